/**
 * The analysis recipe as plain JSON data (pipeline.md §0-§9): what the app, the CLI
 * (`analyze --config params.json`) and the tests all run. Versioned so saved runs can be reloaded.
 * Everything here is data plus validation; no computation.
 */
import type { SoapParams } from '../descriptors/soap/soap.ts';
import type { LensConvention } from '../descriptors/lens/lens.ts';
import type { SavgolMode } from '../descriptors/smoothing/savgol.ts';
import type { LodeOutput } from '../descriptors/lode/lode.ts';
import type { LodeRadialBasisKind } from '../descriptors/lode/radial.ts';
import type { HdbscanParams } from '../learn/hdbscan/index.ts';
import type { LinkageMethod } from '../learn/hclust.ts';
import { FormatError, quoteFound } from '../errors.ts';

/** Which atoms are analysed (SOAP centres and LENS atoms, pipeline.md §1). */
export type AtomSelection =
  | { kind: 'all' }
  /** Atoms whose element symbol is one of these (ice: O). */
  | { kind: 'species'; species: string[] }
  /**
   * Atoms with z above a height in one frame (Cu(211): "z > 12 Å in frame 0"). `from` says what z
   * is measured from: 'origin' (the coordinates as read) or 'cell-bottom' (z - z_lo of the box, the
   * paper's convention, pipeline.md §1).
   */
  | { kind: 'z-above'; z: number; frame: number; from: 'origin' | 'cell-bottom' }
  /** The `count` atoms with the largest z in one frame (robust to thermal layer motion, pipeline.md §1). */
  | { kind: 'top-by-z'; count: number; frame: number }
  /** Explicit 0-based atom indices (trajectory order). */
  | { kind: 'indices'; indices: number[] };

export interface LensRecipe {
  /** LENS cutoff (Å); the paper uses the SOAP r_cut (pipeline.md §0). */
  cutoff: number;
  convention: LensConvention;
  /** Neighbour universe: the analysed atoms only (the paper's notebook, parity) or all atoms (pipeline.md §1). */
  universe: 'selection' | 'all';
}

export interface SmoothingRecipe {
  /** Savitzky-Golay window W (pipeline.md §0). */
  window: number;
  polyorder: number;
  mode: SavgolMode;
  /** Clip to [0, 1] (pipeline.md §4.2). */
  clip: boolean;
  /** Trim floor(W/2) / ceil(W/2) frames (pipeline.md §4.4). */
  trim: boolean;
}

/**
 * Which rows the PCA and clustering see (pipeline.md §5; LODE: issue 8). A '+'-joined list of
 * blocks, always in the order soap, lens, lode; each row is the concatenation of the blocks in that
 * order, each block multiplied by its weight (Recipe.soapWeight, Recipe.lensWeight, Recipe.lode.weight):
 *  - 'soap', 'lens', 'soap+lens': as before (saved recipes keep working unchanged);
 *  - 'lode', 'soap+lode', 'lens+lode', 'soap+lens+lode': LODE (Recipe.lode, required then) alone or
 *    appended after SOAP and LENS.
 * 'lens' alone skips the PCA (the score is the smoothed LENS value); every other choice goes
 * through the PCA.
 */
export type DescriptorChoice = 'soap' | 'lens' | 'soap+lens' | 'lode' | 'soap+lode' | 'lens+lode' | 'soap+lens+lode';

/** Every DescriptorChoice, in the order the UI lists them. */
export const DESCRIPTOR_CHOICES: readonly DescriptorChoice[] = ['soap+lens', 'soap', 'lens', 'lode', 'soap+lode', 'lens+lode', 'soap+lens+lode'];

/** The blocks of a descriptor choice. */
export function descriptorBlocks(d: DescriptorChoice): { soap: boolean; lens: boolean; lode: boolean } {
  const parts = d.split('+');
  return { soap: parts.includes('soap'), lens: parts.includes('lens'), lode: parts.includes('lode') };
}

/**
 * The LODE block of the rows (issue 8, lode.md): LodeParams without the species, which are the
 * atomic numbers of every element of the trajectory (sorted; every atom contributes to the
 * potential), and only the rotation-invariant outputs.
 */
export interface LodeRecipe {
  params: {
    /** p, integer 1..6. */
    exponent: number;
    /** sigma (Å). */
    smearing: number;
    /** r_c (Å) of the radial basis. */
    cutoff: number;
    /** Number of radial functions N (ignored by 'monomial'). */
    maxRadial: number;
    /** L, the largest angular momentum. */
    maxAngular: number;
    radialBasis: LodeRadialBasisKind;
    output: Extract<LodeOutput, 'lambda0' | 'power-spectrum'>;
    /** k_c (1/Å), default 1.2 pi / smearing. */
    kCutoff?: number;
    /** Weight of the centre atom's own contribution (default 1). */
    centerAtomWeight?: number;
  };
  /** Weight of the LODE block in the rows (>= 0; 0 makes the block constant, so the PCA ignores it). */
  weight: number;
  /**
   * Divide each atom's LODE row by its L2 norm before the weight (as the SOAP block is), so the
   * weight compares like with like; default false (raw LODE values).
   */
  normalise?: boolean;
}

/** A LODE block with small, generic defaults (the UI's starting values). */
export const DEFAULT_LODE_RECIPE: LodeRecipe = {
  params: { exponent: 1, smearing: 1.5, cutoff: 4, maxRadial: 4, maxAngular: 2, radialBasis: 'gto', output: 'power-spectrum' },
  weight: 1,
  normalise: true,
};

export type PcaRecipe = { varianceRatio: number } | { k: number };

/** Soft assignment after HDBSCAN* (pipeline.md §7.1). */
export type SoftAssignment = 'argmax-all' | 'noise-only' | 'hard';

export type ClusterRecipe =
  | {
    method: 'hdbscan';
    params: HdbscanParams;
    soft: SoftAssignment;
    /** 'exact' on all rows, or fit on `subsample` random rows then approximate prediction (issue 5). */
    mode: 'exact' | 'subsample';
    subsample?: number;
  }
  | { method: 'gmm'; nComponents: number; nInit: number; maxIter: number; tol: number; regCovar: number }
  | { method: 'kmeans'; k: number; nInit: number; maxIter: number; tol: number }
  /**
   * LENS-only clustering (pipeline.md §7.3): exact 1-D k-means, thresholds = cluster maxima, then
   * the given rule; or fixed thresholds (`thresholds`, ascending; the paper's manual option).
   */
  | { method: 'lens-kmeans'; k: number; rule: 'paper' | 'rank' | 'inclusive'; thresholds?: number[] };

export interface TransitionRecipe {
  /** Lag in analysed frames (pipeline.md §8); the paper: 1. */
  window: number;
  /** Step between pairs; the paper: 1. */
  stride: number;
}

export interface MacroRecipe {
  metric: 'correlation';
  linkage: LinkageMethod;
  /** Cut height; scipy's "<=" rule (fixtures/learn/hclust/README.md); the paper: 1. */
  cut: number;
  /** Merge micro-clusters (false: show the dendrogram only, as for ice, pipeline.md §7.2). */
  merge: boolean;
}

export interface Recipe {
  version: 1;
  name: string;
  /**
   * Element of each file type name, for files without elements (LAMMPS numeric types); passed to
   * the readers as OpenOptions.typeElements (formats.md §0.3).
   */
  typeElements?: Record<string, string>;
  selection: AtomSelection;
  descriptor: DescriptorChoice;
  soap: SoapParams;
  lens: LensRecipe;
  smoothing: SmoothingRecipe;
  /** Weight w of the LENS column in the joint vector (pipeline.md §5, the paper: 1). */
  lensWeight: number;
  /** Weight of the (L2-normalised) SOAP block in the rows (default 1, as the paper). */
  soapWeight?: number;
  /** The LODE block; required when `descriptor` contains 'lode', kept (unused) otherwise. */
  lode?: LodeRecipe;
  pca: PcaRecipe;
  cluster: ClusterRecipe;
  transitions: TransitionRecipe;
  macro: MacroRecipe;
  /** Seed for every random choice (k-means++, subsampling); same seed, same results. */
  seed: number;
}

/** Checks a recipe (e.g. parsed from JSON) and throws a RangeError naming the first bad field. */
export function validateRecipe(r: Recipe): Recipe {
  const bad = (field: string, why: string): never => { throw new RangeError(`recipe.${field}: ${why}`); };
  const posInt = (v: unknown, field: string) => { if (!Number.isInteger(v) || (v as number) < 1) bad(field, `must be a positive integer, got ${String(v)}`); };
  const posNum = (v: unknown, field: string) => { if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) bad(field, `must be a positive number, got ${String(v)}`); };
  if (typeof r !== 'object' || r === null) bad('', 'must be an object');
  if (r.version !== 1) bad('version', `unsupported version ${String(r.version)} (expected 1)`);
  if (r.typeElements !== undefined) {
    if (typeof r.typeElements !== 'object' || r.typeElements === null) bad('typeElements', 'must map type names to element symbols');
    for (const [t, e] of Object.entries(r.typeElements)) if (typeof e !== 'string' || !e) bad(`typeElements.${t}`, 'must be an element symbol');
  }
  const s = r.selection;
  if (!s || typeof s !== 'object') bad('selection', 'missing');
  switch (s.kind) {
    case 'all': break;
    case 'species': if (!Array.isArray(s.species) || s.species.length === 0) bad('selection.species', 'must list at least one species'); break;
    case 'z-above':
      if (!Number.isFinite(s.z)) bad('selection.z', 'must be a number (Å)');
      if (!Number.isInteger(s.frame) || s.frame < 0) bad('selection.frame', 'must be a frame index');
      if (s.from !== 'origin' && s.from !== 'cell-bottom') bad('selection.from', 'must be "origin" or "cell-bottom"');
      break;
    case 'top-by-z': posInt(s.count, 'selection.count'); if (!Number.isInteger(s.frame) || s.frame < 0) bad('selection.frame', 'must be a frame index'); break;
    case 'indices': if (!Array.isArray(s.indices) || s.indices.some((i) => !Number.isInteger(i) || i < 0)) bad('selection.indices', 'must be non-negative integers'); break;
    default: bad('selection.kind', `unknown kind ${String((s as { kind: unknown }).kind)}`);
  }
  if (!DESCRIPTOR_CHOICES.includes(r.descriptor)) bad('descriptor', `unknown descriptor ${String(r.descriptor)}`);
  if (r.soapWeight !== undefined && (typeof r.soapWeight !== 'number' || !(r.soapWeight >= 0) || !Number.isFinite(r.soapWeight))) {
    bad('soapWeight', 'must be a number >= 0');
  }
  if (r.lode !== undefined || descriptorBlocks(r.descriptor).lode) validateLode(r.lode, bad);
  if (typeof r.soap !== 'object' || r.soap === null) bad('soap', 'missing');
  if (!Array.isArray(r.soap.species) || r.soap.species.length === 0) bad('soap.species', 'must list at least one species');
  posNum(r.soap?.rCut, 'soap.rCut');
  posInt(r.soap?.nMax, 'soap.nMax');
  if (!Number.isInteger(r.soap?.lMax) || r.soap.lMax < 0) bad('soap.lMax', 'must be an integer >= 0');
  posNum(r.lens?.cutoff, 'lens.cutoff');
  if (r.lens.universe !== 'selection' && r.lens.universe !== 'all') bad('lens.universe', 'must be "selection" or "all"');
  if (r.lens.convention !== 'soapify' && r.lens.convention !== 'dynsight') bad('lens.convention', 'must be "soapify" or "dynsight"');
  posInt(r.smoothing?.window, 'smoothing.window');
  if (!Number.isInteger(r.smoothing.polyorder) || r.smoothing.polyorder < 0 || r.smoothing.polyorder >= r.smoothing.window) {
    bad('smoothing.polyorder', 'must be an integer in 0..window-1');
  }
  if (!['interp', 'nearest', 'mirror', 'constant', 'wrap'].includes(r.smoothing.mode)) bad('smoothing.mode', `unknown mode ${String(r.smoothing.mode)}`);
  if (typeof r.smoothing.clip !== 'boolean' || typeof r.smoothing.trim !== 'boolean') bad('smoothing', 'clip and trim must be true or false');
  if (typeof r.lensWeight !== 'number' || !(r.lensWeight >= 0) || !Number.isFinite(r.lensWeight)) bad('lensWeight', 'must be a number >= 0');
  if (typeof r.pca !== 'object' || r.pca === null) bad('pca', 'missing');
  if ('k' in r.pca) posInt(r.pca.k, 'pca.k');
  else if (!(r.pca.varianceRatio > 0 && r.pca.varianceRatio <= 1)) bad('pca.varianceRatio', 'must be in (0, 1]');
  const c = r.cluster;
  switch (c?.method) {
    case 'hdbscan':
      if (typeof c.params !== 'object' || c.params === null || Array.isArray(c.params)) bad('cluster.params', 'must be an object of HDBSCAN* parameters');
      if (!['argmax-all', 'noise-only', 'hard'].includes(c.soft)) bad('cluster.soft', `unknown ${String(c.soft)}`);
      if (c.mode !== 'exact' && c.mode !== 'subsample') bad('cluster.mode', 'must be "exact" or "subsample"');
      if (c.mode === 'subsample') posInt(c.subsample, 'cluster.subsample');
      break;
    case 'gmm': posInt(c.nComponents, 'cluster.nComponents'); posInt(c.nInit, 'cluster.nInit'); posInt(c.maxIter, 'cluster.maxIter'); break;
    case 'kmeans': posInt(c.k, 'cluster.k'); posInt(c.nInit, 'cluster.nInit'); posInt(c.maxIter, 'cluster.maxIter'); break;
    case 'lens-kmeans':
      posInt(c.k, 'cluster.k');
      if (c.thresholds && (c.thresholds.length < 1 || c.thresholds.some((t, i) => !Number.isFinite(t) || (i > 0 && !(t > c.thresholds![i - 1]))))) {
        bad('cluster.thresholds', 'must be finite and strictly ascending');
      }
      break;
    default: bad('cluster.method', `unknown method ${String((c as { method?: unknown })?.method)}`);
  }
  posInt(r.transitions?.window, 'transitions.window');
  posInt(r.transitions?.stride, 'transitions.stride');
  if (r.transitions.window < r.transitions.stride) bad('transitions.window', 'must be >= stride (SOAPify, pipeline.md §8)');
  if (r.macro?.metric !== 'correlation') bad('macro.metric', 'only "correlation" is supported');
  if (!['single', 'complete', 'average', 'ward'].includes(r.macro.linkage)) bad('macro.linkage', `unknown ${String(r.macro.linkage)}`);
  if (!Number.isFinite(r.macro.cut)) bad('macro.cut', 'must be a number');
  if (typeof r.macro.merge !== 'boolean') bad('macro.merge', 'must be true or false');
  if (!Number.isInteger(r.seed)) bad('seed', 'must be an integer');
  return r;
}

function validateLode(l: LodeRecipe | undefined, bad: (field: string, why: string) => never): void {
  if (typeof l !== 'object' || l === null) bad('lode', `missing (descriptor uses LODE)`);
  const p = l!.params;
  if (typeof p !== 'object' || p === null) bad('lode.params', 'missing');
  if (!Number.isInteger(p.exponent) || p.exponent < 1 || p.exponent > 6) bad('lode.params.exponent', `must be an integer 1..6, got ${String(p.exponent)}`);
  const pos = (v: unknown, f: string) => { if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) bad(f, `must be a positive number, got ${String(v)}`); };
  pos(p.smearing, 'lode.params.smearing');
  pos(p.cutoff, 'lode.params.cutoff');
  if (!Number.isInteger(p.maxRadial) || p.maxRadial < 1) bad('lode.params.maxRadial', `must be a positive integer, got ${String(p.maxRadial)}`);
  if (!Number.isInteger(p.maxAngular) || p.maxAngular < 0) bad('lode.params.maxAngular', `must be an integer >= 0, got ${String(p.maxAngular)}`);
  if (p.radialBasis !== 'gto' && p.radialBasis !== 'monomial') bad('lode.params.radialBasis', 'must be "gto" or "monomial"');
  if (p.output !== 'lambda0' && p.output !== 'power-spectrum') bad('lode.params.output', 'must be "lambda0" or "power-spectrum"');
  if (p.kCutoff !== undefined) pos(p.kCutoff, 'lode.params.kCutoff');
  if (p.centerAtomWeight !== undefined && (typeof p.centerAtomWeight !== 'number' || !Number.isFinite(p.centerAtomWeight))) {
    bad('lode.params.centerAtomWeight', 'must be a finite number');
  }
  if (typeof l!.weight !== 'number' || !(l!.weight >= 0) || !Number.isFinite(l!.weight)) bad('lode.weight', 'must be a number >= 0');
  if (l!.normalise !== undefined && typeof l!.normalise !== 'boolean') bad('lode.normalise', 'must be true or false');
}

/**
 * Reads a recipe saved as JSON (the CLI's --config, a reloaded run). Malformed JSON throws a
 * FormatError naming `file`; a well-formed but invalid recipe throws validateRecipe's RangeError.
 */
export function parseRecipe(text: string, file = 'recipe.json'): Recipe {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new FormatError(file, {}, 'a JSON recipe', quoteFound(e instanceof Error ? e.message : String(e)));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FormatError(file, {}, 'a JSON object', quoteFound(text.trim()));
  return validateRecipe(value as Recipe);
}

// ------------------------------------------------------------------------------------------------
// Presets: the paper's three systems. Every value cites pipeline.md §0 (table "Per-system
// parameters") unless another section is named.

const PAPER_SOAP_COMMON = { nMax: 8, lMax: 8, sigma: 1, rbf: 'gto', periodic: true, layout: 'filled' } as const; // §0 row "SOAP"

/** Cu(211) slab, 600 K: the paper's SOAP&LENS analysis (pipeline.md §0, §1, §7.1). */
export const CU211_PRESET: Recipe = {
  version: 1,
  name: 'Cu(211) 600 K, SOAP&LENS (paper)',
  typeElements: { 1: 'Cu' },                                // §0: one species, Cu (the dump has numeric type 1)
  // §1: z - z_lo > 12 Å in frame 0 (900 atoms on the paper's slab); on the generated run the
  // learn fixture uses z > 2.28 Å as read, i.e. the top 900 atoms, hence 'top-by-z' 900.
  selection: { kind: 'top-by-z', count: 900, frame: 0 },
  descriptor: 'soap+lens',                                  // §5: SOAP&LENS dataset
  soap: { ...PAPER_SOAP_COMMON, rCut: 6, species: ['Cu'] }, // §0: r_cut 6 Å, species Cu
  lens: { cutoff: 6, convention: 'soapify', universe: 'selection' }, // §0: LENS cutoff = r_cut; §1: masked universe
  smoothing: { window: 20, polyorder: 2, mode: 'interp', clip: true, trim: true }, // §0: W 20, P 2; §4
  lensWeight: 1,                                            // §5: w = 1
  pca: { varianceRatio: 0.995 },                            // §0: >= 99.5 %
  cluster: { method: 'hdbscan', params: { minClusterSize: 80, clusterSelectionMethod: 'eom' }, soft: 'argmax-all', mode: 'exact' }, // §0, §7.1
  transitions: { window: 1, stride: 1 },                    // §8
  macro: { metric: 'correlation', linkage: 'average', cut: 1, merge: true }, // §9
  seed: 666,                                                // §7.3: the notebook's random_state
};

/** Au309 nanoparticle, 200 K (pipeline.md §0). */
export const AUNP_PRESET: Recipe = {
  version: 1,
  name: 'Au309 nanoparticle 200 K, SOAP&LENS (paper)',
  selection: { kind: 'all' },                               // §0: all 309 atoms
  descriptor: 'soap+lens',
  soap: { ...PAPER_SOAP_COMMON, rCut: 4.48, species: ['Au'] }, // §0: r_cut 4.48 Å
  lens: { cutoff: 4.48, convention: 'soapify', universe: 'all' }, // §0: LENS universe all 309
  smoothing: { window: 100, polyorder: 2, mode: 'interp', clip: true, trim: true }, // §0: W 100, P 2
  lensWeight: 1,                                            // §5
  pca: { varianceRatio: 0.995 },                            // §0
  cluster: { method: 'hdbscan', params: { minClusterSize: 150, clusterSelectionMethod: 'eom' }, soft: 'argmax-all', mode: 'exact' }, // §0
  transitions: { window: 1, stride: 1 },                    // §8
  macro: { metric: 'correlation', linkage: 'average', cut: 1, merge: true }, // §9
  seed: 666,
};

/** TIP4P/Ice ice/water interface, 268 K (pipeline.md §0, §1, §7.2). */
export const ICE_PRESET: Recipe = {
  version: 1,
  name: 'TIP4P/Ice ice/water 268 K, SOAP&LENS (paper)',
  selection: { kind: 'species', species: ['O'] },           // §0: 2048 oxygens
  descriptor: 'soap+lens',
  soap: { ...PAPER_SOAP_COMMON, rCut: 6, species: ['H', 'O'] }, // §0: species H,O -> 1728
  lens: { cutoff: 6, convention: 'soapify', universe: 'selection' }, // §0: LENS on O only
  smoothing: { window: 100, polyorder: 2, mode: 'interp', clip: true, trim: true }, // §0: W 100, P 2
  lensWeight: 1,                                            // §5
  pca: { varianceRatio: 0.99 },                             // §0: >= 99 %
  cluster: { method: 'gmm', nComponents: 3, nInit: 1, maxIter: 100, tol: 1e-3, regCovar: 1e-6 }, // §7.2
  transitions: { window: 1, stride: 1 },                    // §8
  macro: { metric: 'correlation', linkage: 'average', cut: 1, merge: false }, // §7.2: not merged, dendrogram shown
  seed: 666,
};

/** LENS-only variant of a preset (pipeline.md §0 row "LENS-only clustering", §7.3). */
export function lensOnly(base: Recipe, k: number): Recipe {
  return { ...base, name: `${base.name}, LENS only`, descriptor: 'lens', pca: { k: 1 },
    cluster: { method: 'lens-kmeans', k, rule: 'rank' } };
}

export const PRESETS: Readonly<Record<'cu211' | 'aunp' | 'ice', Recipe>> = { cu211: CU211_PRESET, aunp: AUNP_PRESET, ice: ICE_PRESET };
