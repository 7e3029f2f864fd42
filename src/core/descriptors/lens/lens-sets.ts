/**
 * LENS neighbour SETS straight from positions (issue 4: standalone LENS speed), without building a
 * NeighbourList first. Same cell list, same wrapping and the same floating-point vector
 * (r_j + T) - r_c as src/core/geometry/neighbours.ts, so every cutoff decision is the one
 * buildNeighbourList + buildNeighbourSets would make; what is skipped is writing dx, dy, dz and r2
 * for every image. Differences in the work done, never in the result:
 * - the cutoff test is the plan's (inclusive d² <= r2Cut or strict d² < r2Cut) applied at once;
 * - atoms are stored bin by bin with their wrapped coordinates (contiguous reads);
 * - when every periodic cell height exceeds 2 * cutoff no atom can have two images within the
 *   cutoff (|T| >= the smallest height for any lattice vector T != 0), so the dedup stamp is
 *   skipped and self is the only j = centre; otherwise (small or skewed cells) every image is
 *   visited and deduplicated by atom identity as in buildNeighbourSets.
 * The joint SOAP+LENS pass keeps using buildNeighbourSets on SOAP's list.
 */
import { checkFrameArgs, createCellGrid, fillCellGrid, type CellGrid } from '../../geometry/neighbours.ts';
import { lensAdvance, type LensFrameOut, type LensPlan, type LensState, type NeighbourSets } from './lens.ts';

/** Reusable per-thread buffers of buildLensSets (grown on demand, kept across frames). */
export interface LensSetsWork {
  /** The cell list (shared code with neighbours.ts). */
  grid: CellGrid;
  /** Wrapped coordinates in the grid's bin order. */
  bx: Float64Array;
  by: Float64Array;
  bz: Float64Array;
  /** Per-axis bin wrap tables: bin index and image shift of (bin + offset). */
  wrap: Int32Array[];
  shift: Int32Array[];
  stamp: Int32Array;
  tick: number;
  /** Axis-2 runs of one scan row (lo, hi bin, image shift). */
  segLo: Int32Array;
  segHi: Int32Array;
  segN: Int32Array;
}

export function createLensSetsWork(nAtoms = 0): LensSetsWork {
  const n = Math.max(16, nAtoms);
  return {
    grid: createCellGrid(), bx: new Float64Array(n), by: new Float64Array(n), bz: new Float64Array(n),
    wrap: [new Int32Array(1), new Int32Array(1), new Int32Array(1)], shift: [new Int32Array(1), new Int32Array(1), new Int32Array(1)],
    stamp: new Int32Array(n), tick: 0, segLo: new Int32Array(8), segHi: new Int32Array(8), segN: new Int32Array(8),
  };
}

function ensureWork(w: LensSetsWork, nAtoms: number): void {
  if (w.bx.length >= nAtoms) return;
  const n = Math.max(nAtoms, 2 * w.bx.length);
  w.bx = new Float64Array(n); w.by = new Float64Array(n); w.bz = new Float64Array(n);
  w.stamp = new Int32Array(n); w.tick = 0;
}

const IDENTITY = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);

/** Fills the per-axis tables for bins -k .. nb-1+k (index v + k): wrapped bin (or -1) and image shift. */
function axisTable(w: LensSetsWork, axis: number, nb: number, k: number, periodic: boolean): void {
  const len = nb + 2 * k;
  if (w.wrap[axis].length < len) { w.wrap[axis] = new Int32Array(len); w.shift[axis] = new Int32Array(len); }
  const wr = w.wrap[axis], sh = w.shift[axis];
  for (let i = 0; i < len; i++) {
    const t = i - k;
    if (periodic) {
      const n = Math.floor(t / nb);
      wr[i] = t - n * nb; sh[i] = n;
    } else {
      wr[i] = t >= 0 && t < nb ? t : -1; sh[i] = 0;
    }
  }
}

/**
 * Neighbour sets of one frame: for centre c (atom centres[c], or c when centres is null) the
 * distinct atoms j != centre, with universe[j] != 0 when a mask is given, having an image within
 * the plan's cutoff (d² <= r2Cut inclusive, or < r2Cut strict). positions: 3N Å (wrapped
 * internally on periodic axes, not modified); cell: rows a, b, c or null (no images, pbc ignored).
 * Equal, as sets per centre, to buildNeighbourSets over buildNeighbourList(radius = plan.cutoff).
 * `w` is this thread's reusable work (createLensSetsWork). Returns `out`.
 */
export function buildLensSets(plan: LensPlan, positions: ArrayLike<number>, nAtoms: number, cell: ArrayLike<number> | null,
  pbc: readonly boolean[], centres: Int32Array | null, out: NeighbourSets, w: LensSetsWork,
  universe: Uint8Array | null = null): NeighbourSets {
  const radius = plan.cutoff;
  const nC = checkFrameArgs(positions, nAtoms, centres);
  if (out.offsets.length < nC + 1) out.offsets = new Int32Array(nC + 1);
  out.n = nC; out.count = 0; out.offsets[0] = 0;
  if (nAtoms === 0) { out.offsets.fill(0, 0, nC + 1); return out; }
  ensureWork(w, nAtoms);

  const h = cell ?? IDENTITY;
  // The same cell list as neighbours.ts (fillCellGrid), so both make the same cutoff decisions.
  const g = fillCellGrid(w.grid, positions, nAtoms, cell, pbc, radius);
  const { per0, per1, per2, nb0, nb1, nb2, k0, k1, k2, nBins, binStart, atomBin, binAtoms, heights } = g;
  const wr = g.wrapped;
  // Wrapped coordinates in bin order, so a scan over a bin reads them contiguously.
  const bx = w.bx, by = w.by, bz = w.bz;
  for (let p = 0; p < nAtoms; p++) {
    const j = binAtoms[p];
    bx[p] = wr[3 * j]; by[p] = wr[3 * j + 1]; bz[p] = wr[3 * j + 2];
  }
  if (universe !== null) {
    // Compact each bin to its universe members (order kept); binStart gets the new bounds.
    let q = 0;
    for (let b = 0; b < nBins; b++) {
      const s = binStart[b], e = binStart[b + 1];
      binStart[b] = q;
      for (let p = s; p < e; p++) {
        const j = binAtoms[p];
        if (universe[j] === 0) continue;
        binAtoms[q] = j; bx[q] = bx[p]; by[q] = by[p]; bz[q] = bz[p]; q++;
      }
    }
    binStart[nBins] = q;
  }

  axisTable(w, 0, nb0, k0, per0);
  axisTable(w, 1, nb1, k1, per1);
  axisTable(w, 2, nb2, k2, per2);
  const wrap0 = w.wrap[0], wrap1 = w.wrap[1], wrap2 = w.wrap[2], sh0 = w.shift[0], sh1 = w.shift[1], sh2 = w.shift[2];

  // Unique images: no periodic height <= 2 * cutoff (then also no self images).
  const unique = (!per0 || heights[0] > 2 * radius) && (!per1 || heights[1] > 2 * radius) && (!per2 || heights[2] > 2 * radius);
  // One comparison d2 <= lim for both tests: strict d2 < r2Cut is d2 <= the largest double below r2Cut.
  const lim = plan.inclusive ? plan.r2Cut : previousDouble(plan.r2Cut);
  const a0 = h[0], a1 = h[1], a2 = h[2], b0x = h[3], b1y = h[4], b2z = h[5], c0 = h[6], c1 = h[7], c2 = h[8];
  const offs = out.offsets;
  const stamp = w.stamp;
  // Axis-2 bins of one scan row as runs of consecutive bins with one image shift: [lo, hi], shift.
  const nSeg = 2 * k2 + 1;
  if (w.segLo.length < nSeg) { w.segLo = new Int32Array(nSeg); w.segHi = new Int32Array(nSeg); w.segN = new Int32Array(nSeg); }
  const segLo = w.segLo, segHi = w.segHi, segN = w.segN;
  let count = 0;
  for (let c = 0; c < nC; c++) {
    const ci = centres ? centres[c] : c;
    const cx = wr[3 * ci], cy = wr[3 * ci + 1], cz = wr[3 * ci + 2];
    const cb = atomBin[ci];
    const cb2 = cb % nb2, cb1 = ((cb - cb2) / nb2) % nb1, cb0 = (cb - cb2 - cb1 * nb2) / (nb1 * nb2);
    let t = 0;
    if (!unique) {
      if (w.tick >= 0x7ffffffe) { stamp.fill(0); w.tick = 0; }
      t = ++w.tick;
      stamp[ci] = t; // the centre and its own images never count
    }
    // Room for every stored atom once more (the most a centre can add).
    if (out.members.length < count + nAtoms) {
      const m = new Int32Array(Math.max(count + nAtoms, 2 * out.members.length));
      m.set(out.members.subarray(0, count));
      out.members = m;
    }
    const members = out.members;
    let ns = 0;
    for (let o2 = 0; o2 < nSeg; o2++) {
      const v2 = cb2 + o2; // table index of bin cb2 + o2 - k2
      const t2 = wrap2[v2];
      if (t2 < 0) continue;
      const n2 = sh2[v2];
      if (ns > 0 && segN[ns - 1] === n2 && segHi[ns - 1] === t2 - 1) segHi[ns - 1] = t2;
      else { segLo[ns] = t2; segHi[ns] = t2; segN[ns] = n2; ns++; }
    }
    for (let o0 = 0; o0 <= 2 * k0; o0++) {
      const v0 = cb0 + o0;
      const t0 = wrap0[v0];
      if (t0 < 0) continue;
      const n0 = sh0[v0];
      for (let o1 = 0; o1 <= 2 * k1; o1++) {
        const v1 = cb1 + o1;
        const t1 = wrap1[v1];
        if (t1 < 0) continue;
        const n1 = sh1[v1];
        const row = (t0 * nb1 + t1) * nb2;
        for (let g = 0; g < ns; g++) {
          const n2 = segN[g];
          // Translation and vector exactly as neighbours.ts: (r_j + T) - r_c.
          const tx = n0 * a0 + n1 * b0x + n2 * c0;
          const ty = n0 * a1 + n1 * b1y + n2 * c1;
          const tz = n0 * a2 + n1 * b2z + n2 * c2;
          const p0 = binStart[row + segLo[g]], p1 = binStart[row + segHi[g] + 1];
          count = unique
            ? scanUnique(bx, by, bz, binAtoms, p0, p1, tx, ty, tz, cx, cy, cz, lim, ci, members, count)
            : scanDedup(bx, by, bz, binAtoms, p0, p1, tx, ty, tz, cx, cy, cz, lim, stamp, t, members, count);
        }
      }
    }
    offs[c + 1] = count;
  }
  out.count = count;
  return out;
}

/** The largest double below x (x > 0 finite). */
function previousDouble(x: number): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] -= 1n;
  return f[0];
}

/** Atoms p0..p1-1 (bin order) within lim of the centre, self excluded; no duplicates possible. */
function scanUnique(bx: Float64Array, by: Float64Array, bz: Float64Array, binAtoms: Int32Array, p0: number, p1: number,
  tx: number, ty: number, tz: number, cx: number, cy: number, cz: number, lim: number, ci: number, members: Int32Array, count: number): number {
  for (let p = p0; p < p1; p++) {
    const vx = bx[p] + tx - cx, vy = by[p] + ty - cy, vz = bz[p] + tz - cz;
    if (vx * vx + vy * vy + vz * vz > lim) continue;
    const j = binAtoms[p];
    if (j !== ci) members[count++] = j;
  }
  return count;
}

/** As scanUnique, deduplicated by the stamp (the centre is pre-stamped). */
function scanDedup(bx: Float64Array, by: Float64Array, bz: Float64Array, binAtoms: Int32Array, p0: number, p1: number,
  tx: number, ty: number, tz: number, cx: number, cy: number, cz: number, lim: number, stamp: Int32Array, t: number,
  members: Int32Array, count: number): number {
  for (let p = p0; p < p1; p++) {
    const vx = bx[p] + tx - cx, vy = by[p] + ty - cy, vz = bz[p] + tz - cz;
    if (vx * vx + vy * vy + vz * vz > lim) continue;
    const j = binAtoms[p];
    if (stamp[j] === t) continue;
    stamp[j] = t;
    members[count++] = j;
  }
  return count;
}

/**
 * lensFrame (lens.ts) on positions: builds this frame's sets with buildLensSets into the state's
 * ring and compares them with the sets of `delay` frames earlier. Same outputs and return value.
 */
export function lensFrameFromPositions(state: LensState, positions: ArrayLike<number>, cell: ArrayLike<number> | null,
  pbc: readonly boolean[], centres: Int32Array | null, out: LensFrameOut, w: LensSetsWork, universe: Uint8Array | null = null): boolean {
  const cur = state.ring[state.frame % state.ring.length];
  buildLensSets(state.plan, positions, state.nAtoms, cell, pbc, centres, cur, w, universe);
  return lensAdvance(state, cur, out);
}
