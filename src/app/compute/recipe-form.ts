/**
 * Pure helpers of the parameters panel: recipe validation messages, list/map fields as text, the
 * preset a recipe equals, JSON download text, and the figures shown after a run.
 */
import { PRESETS, validateRecipe, type Recipe } from '../../core/pipeline/recipe.ts';
import type { Results } from '../../core/pipeline/results.ts';

export type PresetKey = keyof typeof PRESETS;
export const PRESET_KEYS = Object.keys(PRESETS) as PresetKey[];

/**
 * validateRecipe's message for this recipe, or null when it is valid; plus the HDBSCAN* parameter
 * ranges the form can break (validateRecipe leaves them to the clusterer, which would only fail
 * after the descriptors were computed).
 */
export function recipeError(r: Recipe): string | null {
  try {
    validateRecipe(r);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (r.cluster.method === 'hdbscan') {
    const p = r.cluster.params;
    const int = (v: number | undefined, lo: number) => v === undefined || (Number.isInteger(v) && v >= lo);
    if (!int(p.minClusterSize, 2)) return `recipe.cluster.params.minClusterSize: must be an integer >= 2, got ${p.minClusterSize}`;
    if (!int(p.minSamples, 1)) return `recipe.cluster.params.minSamples: must be an integer >= 1 or empty, got ${p.minSamples}`;
    if (p.clusterSelectionEpsilon !== undefined && !(p.clusterSelectionEpsilon >= 0 && Number.isFinite(p.clusterSelectionEpsilon))) {
      return `recipe.cluster.params.clusterSelectionEpsilon: must be a number >= 0, got ${p.clusterSelectionEpsilon}`;
    }
  }
  return null;
}

/** The preset this recipe is exactly (by JSON content), or null when edited. */
export function presetOf(r: Recipe): PresetKey | null {
  const j = JSON.stringify(r);
  return PRESET_KEYS.find((k) => JSON.stringify(PRESETS[k]) === j) ?? null;
}

/** "H, O" -> ['H', 'O'] (commas or spaces; empty entries dropped). */
export function parseList(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

/** "1, 5, 7" -> [1, 5, 7]; entries that are not numbers give NaN (validation names them). */
export function parseNumbers(text: string): number[] {
  return parseList(text).map(Number);
}

/** { 1: 'Cu', 2: 'O' } -> "1=Cu, 2=O". */
export function formatTypeElements(m: Record<string, string> | undefined): string {
  return m ? Object.entries(m).map(([t, e]) => `${t}=${e}`).join(', ') : '';
}

/** "1=Cu, 2=O" -> { 1: 'Cu', 2: 'O' }; empty text -> undefined; an entry without "=" maps to "". */
export function parseTypeElements(text: string): Record<string, string> | undefined {
  const items = parseList(text);
  if (items.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const it of items) {
    const i = it.indexOf('=');
    if (i < 0) out[it] = '';
    else out[it.slice(0, i)] = it.slice(i + 1);
  }
  return out;
}

/** The recipe as a saved file (pretty JSON, trailing newline). */
export function recipeJson(r: Recipe): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** A file name for the recipe ("Cu(211) 600 K, ..." -> "cu-211-600-k-....recipe.json"). */
export function recipeFileName(r: Recipe): string {
  const base = r.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${base || 'recipe'}.recipe.json`;
}

export interface RunFigures {
  /** Rows analysed: frames x atoms. */
  frames: number;
  atoms: number;
  /** PCA components kept and their dimension, with the cumulative variance explained (0..1); null for LENS-only. */
  components: number | null;
  dim: number | null;
  varianceExplained: number | null;
  clusters: number;
  /** Rows labelled noise (HDBSCAN* hard labels, or -1 in the final labels). */
  noiseRows: number;
  macroClusters: number;
  description: string;
  timings: Array<{ stage: string; ms: number }>;
  totalMs: number;
}

export function runFigures(r: Results): RunFigures {
  const a = r.analysis;
  const pca = r.pca;
  let noise = 0;
  for (const l of a.cluster.labels) if (l < 0) noise++;
  return {
    frames: r.nFrames, atoms: r.nAtoms,
    components: pca ? pca.k : null,
    dim: pca ? pca.dim : null,
    varianceExplained: pca && pca.k > 0 ? pca.cumulativeRatio[pca.k - 1] : null,
    clusters: a.cluster.nClusters,
    noiseRows: noise,
    macroClusters: a.macro.nMacro,
    description: a.cluster.description,
    timings: r.timings,
    totalMs: r.timings.reduce((s, t) => s + t.ms, 0),
  };
}
