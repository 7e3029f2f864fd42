/**
 * LENS (Local Environments and Neighbors Shuffling), lens-tsoap-smoothing.md §1-4.
 *
 * Streaming over frames: per frame the caller builds (or shares) a NeighbourList from
 * src/core/geometry/neighbours.ts with radius >= cutoff; buildNeighbourSets turns it into CSR
 * neighbour SETS (cutoff test, dedup of periodic images, self excluded by atom identity, optional
 * universe mask), and lensFrame compares them with the sets of `delay` frames earlier, which is
 * the only history kept (delay + 1 CSR set arrays, never the whole trajectory).
 *
 * Conventions:
 * - "soapify" (the paper's, default): d <= cutoff (inclusive); output per centre and frame t with
 *   placeholder 0 for t < delay (delay 1: the frame-0 column), shape (N, F).
 * - "dynsight": d^2 < (cutoff - 1e-6)^2 (strict, shrunk); no placeholder: column k is the change
 *   between k and k + delay, shape (N, F - delay). Self is excluded by atom identity (dynsight
 *   compares indices, which is only right when centres = universe; §3).
 * num = |A Δ B| = |A| + |B| - 2|A ∩ B|, den = |A| + |B|, LENS = num/den, 0 when den = 0.
 * Identity = atom index in trajectory order (readers sort atoms by id, trajectory.ts).
 */
import type { NeighbourList } from '../../geometry/neighbours.ts';

export type LensConvention = 'soapify' | 'dynsight';

/** dynsight's cutoff shrink (lens-tsoap-smoothing.md §3: d^2 < (r_c - 1e-6)^2). */
export const DYNSIGHT_CUTOFF_SHRINK = 1e-6;

export interface LensParams {
  /** Cutoff radius (Å), > 0. */
  cutoff: number;
  /** Default "soapify". */
  convention?: LensConvention;
  /** Frames between the two compared neighbour sets, integer >= 1 (default 1). */
  delay?: number;
}

export interface LensPlan {
  readonly cutoff: number;
  readonly convention: LensConvention;
  readonly delay: number;
  /** Squared-distance threshold of the set membership test. */
  readonly r2Cut: number;
  /** True: d^2 <= r2Cut; false: d^2 < r2Cut. */
  readonly inclusive: boolean;
}

export function planLens(p: LensParams): LensPlan {
  const convention = p.convention ?? 'soapify';
  if (convention !== 'soapify' && convention !== 'dynsight') throw new RangeError(`LENS: unknown convention "${String(convention)}" (soapify, dynsight)`);
  if (!(p.cutoff > 0) || !Number.isFinite(p.cutoff)) throw new RangeError(`LENS: cutoff must be a positive number of Å, got ${p.cutoff}`);
  const delay = p.delay ?? 1;
  if (!Number.isInteger(delay) || delay < 1) throw new RangeError(`LENS: delay must be an integer >= 1, got ${delay}`);
  if (convention === 'soapify') return { cutoff: p.cutoff, convention, delay, r2Cut: p.cutoff * p.cutoff, inclusive: true };
  const r = p.cutoff - DYNSIGHT_CUTOFF_SHRINK;
  return { cutoff: p.cutoff, convention, delay, r2Cut: r * r, inclusive: false };
}

/** Number of LENS columns for F frames: F (soapify, with placeholders) or F - delay (dynsight). */
export function lensColumns(plan: LensPlan, nFrames: number): number {
  return plan.convention === 'soapify' ? nFrames : Math.max(0, nFrames - plan.delay);
}

/**
 * Neighbour sets of n centres, CSR: members[offsets[c] .. offsets[c+1]) are the distinct atom
 * indices (self excluded) within the cutoff of centre c, in no particular order.
 */
export interface NeighbourSets {
  n: number;
  offsets: Int32Array;
  members: Int32Array;
  count: number;
}

export function createNeighbourSets(capacity = 1024): NeighbourSets {
  return { n: 0, offsets: new Int32Array(1), members: new Int32Array(capacity), count: 0 };
}

/** Per-worker scratch: an atom-indexed stamp array for dedup and intersections. */
export interface LensScratch {
  stamp: Int32Array;
  tick: number;
}

export function createLensScratch(nAtoms: number): LensScratch {
  return { stamp: new Int32Array(Math.max(1, nAtoms)), tick: 0 };
}

function nextTick(s: LensScratch): number {
  if (s.tick >= 0x7ffffffe) { s.stamp.fill(0); s.tick = 0; }
  return ++s.tick;
}

function ensureStamp(s: LensScratch, nAtoms: number): void {
  if (s.stamp.length < nAtoms) { s.stamp = new Int32Array(nAtoms); s.tick = 0; }
}

/**
 * Fills `out` from a neighbour list: for centre c (atom centres[c], or c when centres is null) the
 * distinct j with r2 inside the plan's cutoff, j != the centre atom, and universe[j] != 0 when a
 * universe mask is given. `nl` must have been built with radius >= plan.cutoff for the same centres
 * (a SOAP list with its larger radius and includeSelf works: the filter and the self test apply).
 * nAtoms bounds the atom indices (the stamp array). With `append`, the centres are added after the
 * out.n already there (for neighbour lists built slice by slice). Returns `out`.
 */
export function buildNeighbourSets(plan: LensPlan, nl: NeighbourList, centres: Int32Array | null, nAtoms: number,
  out: NeighbourSets, scratch: LensScratch, universe: Uint8Array | null = null, append = false): NeighbourSets {
  const n = nl.n;
  if (centres && centres.length !== n) throw new RangeError(`LENS: ${centres.length} centres for a neighbour list of ${n}`);
  ensureStamp(scratch, nAtoms);
  const c0 = append ? out.n : 0;
  let count = append ? out.count : 0;
  if (out.offsets.length < c0 + n + 1) {
    const o = new Int32Array(Math.max(c0 + n + 1, 2 * out.offsets.length));
    o.set(out.offsets.subarray(0, c0 + 1));
    out.offsets = o;
  }
  if (out.members.length < count + nl.count) {
    // Upper bound: one member per list entry.
    const m = new Int32Array(Math.max(count + nl.count, 2 * out.members.length));
    m.set(out.members.subarray(0, count));
    out.members = m;
  }
  const { offsets: nlOff, index, r2 } = nl;
  const cut = plan.r2Cut, incl = plan.inclusive;
  const stamp = scratch.stamp, members = out.members, offs = out.offsets;
  offs[c0] = count;
  for (let c = 0; c < n; c++) {
    const self = centres ? centres[c] : c;
    const t = nextTick(scratch);
    stamp[self] = t; // excludes the centre itself (by identity), also its own periodic images
    for (let k = nlOff[c], e = nlOff[c + 1]; k < e; k++) {
      const d2 = r2[k];
      if (incl ? d2 > cut : d2 >= cut) continue;
      const j = index[k];
      if (stamp[j] === t) continue;
      if (universe !== null && universe[j] === 0) continue;
      stamp[j] = t;
      members[count++] = j;
    }
    offs[c0 + c + 1] = count;
  }
  out.n = c0 + n;
  out.count = count;
  return out;
}

/**
 * Compares two set arrays of the same centres. Writes per centre c: num[c], den[c] and
 * lens[c] = num/den (0 when den = 0), from index outOff with stride outStride in each array.
 */
export function lensCompare(a: NeighbourSets, b: NeighbourSets, scratch: LensScratch,
  lens: Float64Array, num: Int32Array | null, den: Int32Array | null, outOff = 0, outStride = 1): void {
  if (a.n !== b.n) throw new RangeError(`LENS: comparing sets of ${a.n} and ${b.n} centres`);
  const stamp = scratch.stamp;
  const aOff = a.offsets, aM = a.members, bOff = b.offsets, bM = b.members;
  for (let c = 0; c < a.n; c++) {
    const t = nextTick(scratch);
    const a0 = aOff[c], a1 = aOff[c + 1], b0 = bOff[c], b1 = bOff[c + 1];
    for (let k = a0; k < a1; k++) stamp[aM[k]] = t;
    let inter = 0;
    for (let k = b0; k < b1; k++) if (stamp[bM[k]] === t) inter++;
    const d = (a1 - a0) + (b1 - b0);
    const nm = d - 2 * inter;
    const o = outOff + c * outStride;
    lens[o] = d > 0 ? nm / d : 0;
    if (num) num[o] = nm;
    if (den) den[o] = d;
  }
}

/** Streaming state: a ring of delay + 1 set arrays and the frame counter. */
export interface LensState {
  readonly plan: LensPlan;
  readonly nAtoms: number;
  readonly ring: NeighbourSets[];
  readonly scratch: LensScratch;
  /** Frames pushed so far. */
  frame: number;
}

export function createLensState(plan: LensPlan, nAtoms: number): LensState {
  const ring: NeighbourSets[] = [];
  for (let i = 0; i <= plan.delay; i++) ring.push(createNeighbourSets());
  return { plan, nAtoms, ring, scratch: createLensScratch(nAtoms), frame: 0 };
}

/** Per-frame outputs, each of length >= nCentres (caller-owned, reused). */
export interface LensFrameOut {
  lens: Float64Array;
  numerator: Int32Array;
  denominator: Int32Array;
  /** Coordination number |B| at this frame (self excluded). */
  counts: Int32Array;
}

export function createLensFrameOut(nCentres: number): LensFrameOut {
  return { lens: new Float64Array(nCentres), numerator: new Int32Array(nCentres), denominator: new Int32Array(nCentres), counts: new Int32Array(nCentres) };
}

/**
 * Pushes one frame. Builds this frame's sets from `nl` (see buildNeighbourSets), writes counts,
 * and when `delay` earlier frames exist writes lens/numerator/denominator of the change from
 * frame t - delay to t and returns true; otherwise writes zeros there and returns false
 * (the soapify placeholder). Returns the frame's sets (valid until delay more pushes).
 */
export function lensFrame(state: LensState, nl: NeighbourList, centres: Int32Array | null, out: LensFrameOut,
  universe: Uint8Array | null = null): boolean {
  const { plan, ring, scratch } = state;
  const cur = buildNeighbourSets(plan, nl, centres, state.nAtoms, ring[state.frame % ring.length], scratch, universe);
  return lensAdvance(state, cur, out);
}

/**
 * Second half of lensFrame: `cur` (the sets of this frame, already in the ring slot
 * state.frame % ring.length) gives counts and, with delay earlier frames, the comparison; advances
 * the frame counter. For set builders other than buildNeighbourSets (lens-sets.ts).
 */
export function lensAdvance(state: LensState, cur: NeighbourSets, out: LensFrameOut): boolean {
  const { plan, ring, scratch } = state;
  if (cur !== ring[state.frame % ring.length]) throw new RangeError('LENS: the sets must be in the current ring slot');
  const n = cur.n;
  for (let c = 0; c < n; c++) out.counts[c] = cur.offsets[c + 1] - cur.offsets[c];
  const have = state.frame >= plan.delay;
  if (have) {
    const prev = ring[(state.frame - plan.delay) % ring.length];
    lensCompare(prev, cur, scratch, out.lens, out.numerator, out.denominator);
  } else {
    out.lens.fill(0, 0, n); out.numerator.fill(0, 0, n); out.denominator.fill(0, 0, n);
  }
  state.frame++;
  return have;
}
