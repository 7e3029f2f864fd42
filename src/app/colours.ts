import type { FrameData } from '../core/trajectory.ts';
import type { AtomLayer, ColourBy, LoadedTrajectory } from './store.ts';

/** RGB in [0, 1]. */
export type Rgb = [number, number, number];

const hex = (h: number): Rgb => [((h >> 16) & 255) / 255, ((h >> 8) & 255) / 255, (h & 255) / 255];

// CPK-like element colours (the common Jmol-style convention); anything absent gets FALLBACK.
const ELEMENT_HEX: Record<string, number> = {
  H: 0xffffff, He: 0xd9ffff, Li: 0xcc80ff, Be: 0xc2ff00, B: 0xffb5b5, C: 0x909090, N: 0x3050f8,
  O: 0xff0d0d, F: 0x90e050, Ne: 0xb3e3f5, Na: 0xab5cf2, Mg: 0x8aff00, Al: 0xbfa6a6, Si: 0xf0c8a0,
  P: 0xff8000, S: 0xffff30, Cl: 0x1ff01f, Ar: 0x80d1e3, K: 0x8f40d4, Ca: 0x3dff00, Ti: 0xbfc2c7,
  V: 0xa6a6ab, Cr: 0x8a99c7, Mn: 0x9c7ac7, Fe: 0xe06633, Co: 0xf090a0, Ni: 0x50d050, Cu: 0xc88033,
  Zn: 0x7d80b0, Ga: 0xc28f8f, Ge: 0x668f8f, As: 0xbd80e3, Se: 0xffa100, Br: 0xa62929, Kr: 0x5cb8d1,
  Rb: 0x702eb0, Sr: 0x00ff00, Zr: 0x94e0e0, Mo: 0x54b5b5, Ru: 0x248f8f, Rh: 0x0a7d8c, Pd: 0x006985,
  Ag: 0xc0c0c0, Cd: 0xffd98f, In: 0xa67573, Sn: 0x668080, Sb: 0x9e63b5, I: 0x940094, Xe: 0x429eb0,
  Cs: 0x57178f, Ba: 0x00c900, W: 0x2194d6, Pt: 0xd0d0e0, Au: 0xffd123, Hg: 0xb8b8d0, Pb: 0x575961,
};
const FALLBACK = hex(0xff1493);
const VIRTUAL_RGB = hex(0x606070);

// Covalent radii in Å (Cordero et al., Dalton Trans. 2008), used scaled as ball sizes.
const COVALENT_RADIUS: Record<string, number> = {
  H: 0.31, He: 0.28, Li: 1.28, Be: 0.96, B: 0.84, C: 0.76, N: 0.71, O: 0.66, F: 0.57, Ne: 0.58,
  Na: 1.66, Mg: 1.41, Al: 1.21, Si: 1.11, P: 1.07, S: 1.05, Cl: 1.02, Ar: 1.06, K: 2.03, Ca: 1.76,
  Ti: 1.6, V: 1.53, Cr: 1.39, Mn: 1.39, Fe: 1.32, Co: 1.26, Ni: 1.24, Cu: 1.32, Zn: 1.22, Ga: 1.22,
  Ge: 1.2, As: 1.19, Se: 1.2, Br: 1.2, Kr: 1.16, Rb: 2.2, Sr: 1.95, Zr: 1.75, Mo: 1.54, Ru: 1.46,
  Rh: 1.42, Pd: 1.39, Ag: 1.45, Cd: 1.44, In: 1.42, Sn: 1.39, Sb: 1.39, I: 1.39, Xe: 1.4, Cs: 2.44,
  Ba: 2.15, W: 1.62, Pt: 1.36, Au: 1.36, Hg: 1.32, Pb: 1.46,
};
/** Ball radius = BALL_SCALE * covalent radius: Cu gives 1.12 Å, a little under half its 2.55 Å bond. */
export const BALL_SCALE = 0.85;
const DEFAULT_COVALENT = 0.9;

const ELEMENT_RGB = new Map<string, Rgb>(Object.entries(ELEMENT_HEX).map(([k, h]) => [k, hex(h)]));

/** CPK-like colour of an element symbol (a shared array: do not modify it). */
export function elementColour(species: string): Rgb {
  if (species === 'virtual') return VIRTUAL_RGB;
  return ELEMENT_RGB.get(species) ?? FALLBACK;
}

export function elementRadius(species: string): number {
  if (species === 'virtual') return 0.25;
  return BALL_SCALE * (COVALENT_RADIUS[species] ?? DEFAULT_COVALENT);
}

// Colour scale for continuous values: stops sampled from matplotlib's viridis (CC0).
const SCALE_STOPS: Rgb[] = [0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58,
  0xb5de2b, 0xfde725].map(hex);

/** Colour of t in [0, 1] on the continuous scale (clamped; NaN gives MISSING). */
export function scaleColour(t: number, out: Rgb = [0, 0, 0]): Rgb {
  if (Number.isNaN(t)) { out[0] = MISSING[0]; out[1] = MISSING[1]; out[2] = MISSING[2]; return out; }
  const x = Math.min(1, Math.max(0, t)) * (SCALE_STOPS.length - 1);
  const i = Math.min(SCALE_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = SCALE_STOPS[i], b = SCALE_STOPS[i + 1];
  out[0] = a[0] + (b[0] - a[0]) * f;
  out[1] = a[1] + (b[1] - a[1]) * f;
  out[2] = a[2] + (b[2] - a[2]) * f;
  return out;
}

/** CSS linear-gradient for the legend of the continuous scale. */
export function scaleGradientCss(): string {
  const stops = SCALE_STOPS.map((c, i) => `${cssRgb(c)} ${((100 * i) / (SCALE_STOPS.length - 1)).toFixed(1)}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

// Categorical palette (types, clusters): ten well-separated hues.
const CATEGORY_STOPS: Rgb[] = [0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7,
  0x9c755f, 0xbab0ac].map(hex);
export const MISSING: Rgb = hex(0x3a3f47);

export function categoryColour(k: number): Rgb {
  if (!Number.isInteger(k) || k < 0) return MISSING;
  return CATEGORY_STOPS[k % CATEGORY_STOPS.length];
}

export function cssRgb(c: Rgb): string {
  return `rgb(${Math.round(c[0] * 255)}, ${Math.round(c[1] * 255)}, ${Math.round(c[2] * 255)})`;
}

export type Legend =
  | { kind: 'categorical'; title: string; items: Array<{ label: string; colour: Rgb }> }
  | { kind: 'continuous'; title: string; min: number; max: number };

export interface ColourInput {
  trajectory: LoadedTrajectory;
  colourBy: ColourBy;
  frame: FrameData | null;
  frameIndex: number;
  layers: Record<string, AtomLayer>;
  /** Range for continuous property colouring; null = this frame's min/max. */
  range: [number, number] | null;
}

/** Finite min/max of values; null when none is finite. */
export function finiteRange(v: ArrayLike<number>): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo <= hi ? [lo, hi] : null;
}

function fillContinuous(out: Float32Array, v: ArrayLike<number>, lo: number, hi: number): void {
  const span = hi > lo ? hi - lo : 1;
  const c: Rgb = [0, 0, 0];
  for (let i = 0; i < v.length; i++) {
    scaleColour((v[i] - lo) / span, c);
    out[3 * i] = c[0]; out[3 * i + 1] = c[1]; out[3 * i + 2] = c[2];
  }
}

function fillLabels(out: Float32Array, labels: readonly string[]): void {
  const index = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    let k = index.get(labels[i]);
    if (k === undefined) { k = index.size; index.set(labels[i], k); }
    const c = categoryColour(k);
    out[3 * i] = c[0]; out[3 * i + 1] = c[1]; out[3 * i + 2] = c[2];
  }
}

/**
 * Writes one RGB triple per atom into `out` (3N, caller-owned) for the chosen colouring. Property
 * colouring with no frame yet, or a layer without this frame, gives the MISSING colour.
 */
export function fillAtomColours(out: Float32Array, inp: ColourInput): void {
  const t = inp.trajectory;
  const n = t.nAtoms;
  const c = inp.colourBy;
  const missing = (): void => {
    for (let i = 0; i < n; i++) { out[3 * i] = MISSING[0]; out[3 * i + 1] = MISSING[1]; out[3 * i + 2] = MISSING[2]; }
  };
  if (c.kind === 'species') {
    for (let i = 0; i < n; i++) {
      const col = elementColour(t.species[i]);
      out[3 * i] = col[0]; out[3 * i + 1] = col[1]; out[3 * i + 2] = col[2];
    }
    return;
  }
  if (c.kind === 'type') {
    if (t.types) fillLabels(out, t.types); else missing();
    return;
  }
  if (c.kind === 'property') {
    const v = inp.frame?.properties?.[c.name];
    if (!v || v.length !== n) { missing(); return; }
    const r = inp.range ?? finiteRange(v) ?? [0, 1];
    fillContinuous(out, v, r[0], r[1]);
    return;
  }
  const layer = inp.layers[c.id];
  const row = layer ? layer.frames.indexOf(inp.frameIndex) : -1;
  if (!layer || row < 0) { missing(); return; }
  const v = layer.values.subarray(row * n, (row + 1) * n);
  if (layer.kind === 'continuous') {
    const r = layer.range ?? [0, 1];
    fillContinuous(out, v, r[0], r[1]);
    return;
  }
  for (let i = 0; i < n; i++) {
    const col = categoryColour(v[i]);
    out[3 * i] = col[0]; out[3 * i + 1] = col[1]; out[3 * i + 2] = col[2];
  }
}

/** Whether the colours depend on the frame shown (recolour on every new frame). */
export function coloursFollowFrame(c: ColourBy): boolean {
  return c.kind === 'property' || c.kind === 'layer';
}

/** The legend for the chosen colouring (what fillAtomColours draws). */
export function legendOf(inp: ColourInput): Legend {
  const t = inp.trajectory;
  const c = inp.colourBy;
  if (c.kind === 'species') {
    return { kind: 'categorical', title: 'Species', items: t.speciesCounts.map(([s]) => ({ label: s, colour: elementColour(s) })) };
  }
  if (c.kind === 'type') {
    const labels = [...new Set(t.types ?? [])];
    return { kind: 'categorical', title: 'Type', items: labels.map((label, k) => ({ label, colour: categoryColour(k) })) };
  }
  if (c.kind === 'property') {
    const v = inp.frame?.properties?.[c.name];
    const r = inp.range ?? (v ? finiteRange(v) : null);
    return r ? { kind: 'continuous', title: c.name, min: r[0], max: r[1] }
      : { kind: 'categorical', title: c.name, items: [{ label: 'no data for this frame', colour: MISSING }] };
  }
  const layer = inp.layers[c.id];
  if (!layer) return { kind: 'categorical', title: c.id, items: [] };
  if (layer.kind === 'continuous') {
    const r = layer.range ?? [0, 1];
    return { kind: 'continuous', title: layer.label, min: r[0], max: r[1] };
  }
  let kMax = -1;
  for (let i = 0; i < layer.values.length; i++) if (layer.values[i] > kMax) kMax = layer.values[i];
  const k = Math.max(layer.categories?.length ?? 0, kMax + 1);
  return {
    kind: 'categorical', title: layer.label,
    items: Array.from({ length: k }, (_, j) => ({ label: layer.categories?.[j] ?? String(j), colour: categoryColour(j) })),
  };
}
