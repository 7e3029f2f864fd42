/**
 * Cell-list neighbour search over every periodic image (soap.md §2, §2.1), shared by SOAP, LENS
 * and LODE.
 *
 * Layout of a NeighbourList (CSR, refilled in place by buildNeighbourList):
 * - `n` centres; centre c (0 <= c < n) is atom `centres[c]` (or atom c when centres is null).
 * - its entries are k = offsets[c] .. offsets[c+1]-1 (offsets has n+1 values, offsets[n] = count);
 * - index[k] = j, the atom index of the neighbour (0-based, trajectory order);
 * - dx[k], dy[k], dz[k] = vector (Å) from the centre to that neighbour's IMAGE, r_j + T - r_c;
 * - r2[k] = dx² + dy² + dz², with r2[k] <= radius² (inclusive test, soap.md §2).
 * Every atom AND every periodic image of every atom within the radius appears: in small cells
 * (radius > half the cell) the same j appears several times with different vectors, and the
 * centre's own images (T != 0) are always listed. The centre itself (j = centre, T = 0, r2 = 0)
 * is listed only when `includeSelf` is true. Entries within a centre are in no particular order.
 * LENS-style neighbour SETS: dedup index[] per centre and drop j = centre.
 * Arrays may be longer than `count` (capacity); only the first `count` entries are valid.
 *
 * The translation vectors are independent of where atoms sit in the cell: positions are wrapped
 * into the cell on periodic axes before binning, which changes no vector r_j + T - r_c (soap.md §2.1:
 * atoms far outside the box still get all their images).
 */
import { cellHeights, invertCell } from './cell.ts';

export interface NeighbourList {
  /** Number of centres. */
  n: number;
  /** n + 1 CSR offsets into the entry arrays. */
  offsets: Int32Array;
  /** Neighbour atom index per entry. */
  index: Int32Array;
  /** Centre-to-neighbour-image vector per entry (Å). */
  dx: Float64Array;
  dy: Float64Array;
  dz: Float64Array;
  /** Squared length of that vector (Å²). */
  r2: Float64Array;
  /** Number of valid entries (= offsets[n]). */
  count: number;
}

/** Internal reusable buffers (bins, fractional coordinates), grown as needed. */
const WORK = new WeakMap<NeighbourList, CellGrid>();

/** An empty list; buildNeighbourList fills it and grows its arrays when needed. */
export function createNeighbourList(capacity = 1024): NeighbourList {
  return {
    n: 0, offsets: new Int32Array(1), index: new Int32Array(capacity), dx: new Float64Array(capacity),
    dy: new Float64Array(capacity), dz: new Float64Array(capacity), r2: new Float64Array(capacity), count: 0,
  };
}

function grow(nl: NeighbourList, need: number): void {
  let cap = nl.index.length;
  if (need <= cap) return;
  while (cap < need) cap = Math.max(16, cap * 2);
  const idx = new Int32Array(cap); idx.set(nl.index.subarray(0, nl.count)); nl.index = idx;
  const gx = new Float64Array(cap); gx.set(nl.dx.subarray(0, nl.count)); nl.dx = gx;
  const gy = new Float64Array(cap); gy.set(nl.dy.subarray(0, nl.count)); nl.dy = gy;
  const gz = new Float64Array(cap); gz.set(nl.dz.subarray(0, nl.count)); nl.dz = gz;
  const gr = new Float64Array(cap); gr.set(nl.r2.subarray(0, nl.count)); nl.r2 = gr;
}

function work(nl: NeighbourList): CellGrid {
  let g = WORK.get(nl);
  if (!g) { g = createCellGrid(); WORK.set(nl, g); }
  return g;
}

/** Upper bound on bins, relative to the atom count: keeps memory linear for sparse systems. */
const MAX_BINS_PER_ATOM = 4;
/** Bins are about radius/2 wide: scanning 5³ bins of (R/2)³ costs ~3.7x the sphere volume. */
const BINS_PER_RADIUS = 2;

/** Bins scanned per centre beyond which a cell is rejected as far too small for the radius (no hang). */
const MAX_SCANNED_BINS = 4_000_000;

const IDENTITY = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);

/**
 * A cell list over one frame (refilled in place; buffers grow, never shrink): positions wrapped into
 * the cell on periodic axes (`wrapped`, Å; `frac`, fractional), bins about radius/2 wide along each
 * cell axis (`nb0..2`), every atom's bin (`atomBin`), atoms in bin order (`binAtoms`, a stable
 * counting sort) with CSR starts (`binStart`, nBins + 1), and the bin reach `k0..2` that covers
 * `radius` (a neighbour within radius lies at most k_i bins away along axis i). Shared by the
 * neighbour list and by LENS's set builder, so both make the same cutoff decisions.
 */
export interface CellGrid {
  frac: Float64Array;
  wrapped: Float64Array;
  atomBin: Int32Array;
  binStart: Int32Array;
  binAtoms: Int32Array;
  /** Perpendicular heights of the cell (1, 1, 1 without a cell). */
  heights: Float64Array;
  per0: boolean; per1: boolean; per2: boolean;
  nb0: number; nb1: number; nb2: number;
  k0: number; k1: number; k2: number;
  nBins: number;
}

export function createCellGrid(): CellGrid {
  const cap = 16;
  return {
    frac: new Float64Array(3 * cap), wrapped: new Float64Array(3 * cap), atomBin: new Int32Array(cap),
    binStart: new Int32Array(1), binAtoms: new Int32Array(cap), heights: new Float64Array(3),
    per0: false, per1: false, per2: false, nb0: 1, nb1: 1, nb2: 1, k0: 0, k1: 0, k2: 0, nBins: 1,
  };
}

function ensureGrid(g: CellGrid, nAtoms: number): void {
  if (g.atomBin.length >= nAtoms) return;
  const cap = Math.max(nAtoms, 2 * g.atomBin.length);
  g.frac = new Float64Array(3 * cap); g.wrapped = new Float64Array(3 * cap);
  g.atomBin = new Int32Array(cap); g.binAtoms = new Int32Array(cap);
}

/**
 * Fills `g` for one frame (nAtoms > 0). Throws RangeError on a non-finite position, and when the
 * cell is so small for `radius` that a scan would visit more than MAX_SCANNED_BINS bins.
 */
export function fillCellGrid(g: CellGrid, positions: ArrayLike<number>, nAtoms: number,
  cell: ArrayLike<number> | null, pbc: readonly boolean[], radius: number): CellGrid {
  const h = cell ?? IDENTITY;
  ensureGrid(g, nAtoms);
  const per0 = cell !== null && pbc[0], per1 = cell !== null && pbc[1], per2 = cell !== null && pbc[2];
  const hi = invertCell(new Float64Array(9), h);
  const heights = cell ? cellHeights(new Float64Array(3), h) : new Float64Array([1, 1, 1]);
  const frac = g.frac, wr = g.wrapped;

  // Fractional coordinates, wrapped to [0, 1) on periodic axes; bounds on the others.
  let lo0 = Infinity, lo1 = Infinity, lo2 = Infinity, hi0 = -Infinity, hi1 = -Infinity, hi2 = -Infinity;
  for (let i = 0; i < nAtoms; i++) {
    const x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) throw new RangeError(`atom ${i} has a non-finite position`);
    let s0 = x * hi[0] + y * hi[3] + z * hi[6];
    let s1 = x * hi[1] + y * hi[4] + z * hi[7];
    let s2 = x * hi[2] + y * hi[5] + z * hi[8];
    if (per0) { s0 -= Math.floor(s0); if (s0 >= 1) s0 = 0; }
    if (per1) { s1 -= Math.floor(s1); if (s1 >= 1) s1 = 0; }
    if (per2) { s2 -= Math.floor(s2); if (s2 >= 1) s2 = 0; }
    frac[3 * i] = s0; frac[3 * i + 1] = s1; frac[3 * i + 2] = s2;
    if (s0 < lo0) lo0 = s0; if (s0 > hi0) hi0 = s0;
    if (s1 < lo1) lo1 = s1; if (s1 > hi1) hi1 = s1;
    if (s2 < lo2) lo2 = s2; if (s2 > hi2) hi2 = s2;
    if (cell) {
      wr[3 * i] = s0 * h[0] + s1 * h[3] + s2 * h[6];
      wr[3 * i + 1] = s0 * h[1] + s1 * h[4] + s2 * h[7];
      wr[3 * i + 2] = s0 * h[2] + s1 * h[5] + s2 * h[8];
    } else {
      wr[3 * i] = x; wr[3 * i + 1] = y; wr[3 * i + 2] = z;
    }
  }
  if (per0) { lo0 = 0; hi0 = 1; }
  if (per1) { lo1 = 0; hi1 = 1; }
  if (per2) { lo2 = 0; hi2 = 1; }
  // Span of each axis in fractional units and in Å (perpendicular to the other two rows).
  const span0 = per0 ? 1 : Math.max(hi0 - lo0, 0), span1 = per1 ? 1 : Math.max(hi1 - lo1, 0), span2 = per2 ? 1 : Math.max(hi2 - lo2, 0);
  const binLen = radius > 0 ? radius / BINS_PER_RADIUS : 1;
  let nb0 = Math.max(1, Math.floor(span0 * heights[0] / binLen));
  let nb1 = Math.max(1, Math.floor(span1 * heights[1] / binLen));
  let nb2 = Math.max(1, Math.floor(span2 * heights[2] / binLen));
  const maxBins = MAX_BINS_PER_ATOM * nAtoms + 27;
  while (nb0 * nb1 * nb2 > maxBins) {
    if (nb0 >= nb1 && nb0 >= nb2) nb0 = Math.max(1, nb0 >> 1);
    else if (nb1 >= nb2) nb1 = Math.max(1, nb1 >> 1);
    else nb2 = Math.max(1, nb2 >> 1);
  }
  // Bin widths in fractional units; a non-periodic span of zero gets one bin.
  const bw0 = span0 > 0 ? span0 / nb0 : 1, bw1 = span1 > 0 ? span1 / nb1 : 1, bw2 = span2 > 0 ? span2 / nb2 : 1;
  // A neighbour within radius differs by at most radius/h_i in fractional coordinate i.
  const k0 = Math.ceil(radius / heights[0] / bw0), k1 = Math.ceil(radius / heights[1] / bw1), k2 = Math.ceil(radius / heights[2] / bw2);
  const scan = (per0 ? 2 * k0 + 1 : Math.min(2 * k0 + 1, 2 * nb0 - 1)) * (per1 ? 2 * k1 + 1 : Math.min(2 * k1 + 1, 2 * nb1 - 1)) *
    (per2 ? 2 * k2 + 1 : Math.min(2 * k2 + 1, 2 * nb2 - 1));
  if (scan > MAX_SCANNED_BINS) {
    throw new RangeError(`neighbour radius ${radius} Å needs ${scan} cell images per atom: the cell (heights ` +
      `${heights[0].toFixed(3)}, ${heights[1].toFixed(3)}, ${heights[2].toFixed(3)} Å) is too small for it`);
  }

  const nBins = nb0 * nb1 * nb2;
  if (g.binStart.length < nBins + 1) g.binStart = new Int32Array(nBins + 1);
  const binStart = g.binStart, atomBin = g.atomBin, binAtoms = g.binAtoms;
  binStart.fill(0, 0, nBins + 1);
  for (let i = 0; i < nAtoms; i++) {
    let b0 = Math.floor((frac[3 * i] - lo0) / bw0); if (b0 >= nb0) b0 = nb0 - 1; if (b0 < 0) b0 = 0;
    let b1 = Math.floor((frac[3 * i + 1] - lo1) / bw1); if (b1 >= nb1) b1 = nb1 - 1; if (b1 < 0) b1 = 0;
    let b2 = Math.floor((frac[3 * i + 2] - lo2) / bw2); if (b2 >= nb2) b2 = nb2 - 1; if (b2 < 0) b2 = 0;
    const b = (b0 * nb1 + b1) * nb2 + b2;
    atomBin[i] = b;
    binStart[b + 1]++;
  }
  for (let b = 0; b < nBins; b++) binStart[b + 1] += binStart[b];
  // Counting sort of atoms by bin; binStart restored afterwards.
  for (let i = 0; i < nAtoms; i++) binAtoms[binStart[atomBin[i]]++] = i;
  for (let b = nBins; b > 0; b--) binStart[b] = binStart[b - 1];
  binStart[0] = 0;
  g.heights.set(heights);
  g.per0 = per0; g.per1 = per1; g.per2 = per2;
  g.nb0 = nb0; g.nb1 = nb1; g.nb2 = nb2;
  g.k0 = k0; g.k1 = k1; g.k2 = k2;
  g.nBins = nBins;
  return g;
}

/**
 * Checks a frame's positions (3N values) and centre indices (null = all atoms) and returns the
 * number of centres. Shared by the neighbour list and LENS's set builder.
 */
export function checkFrameArgs(positions: ArrayLike<number>, nAtoms: number, centres: Int32Array | null): number {
  if (positions.length < 3 * nAtoms) throw new RangeError(`positions hold ${positions.length} values, need ${3 * nAtoms}`);
  if (!centres) return nAtoms;
  for (let c = 0; c < centres.length; c++) {
    if (!(centres[c] >= 0 && centres[c] < nAtoms)) throw new RangeError(`centre ${centres[c]} is not an atom index (0..${nAtoms - 1})`);
  }
  return centres.length;
}

/**
 * Fills `nl` with, for each centre, every atom and periodic image within `radius` (Å), inclusive
 * (d² <= radius²). See the module comment for the layout.
 *
 * positions: 3N Å (any values; wrapped internally on periodic axes, the input is not modified).
 * cell: 9 numbers, rows a, b, c (Å), or null for no cell (then pbc is ignored). Axes with pbc false
 * get no images. centres: atom indices, or null for all atoms in order. Allocation happens only
 * when the list or its work buffers must grow.
 */
export function buildNeighbourList(nl: NeighbourList, positions: ArrayLike<number>, nAtoms: number,
  cell: ArrayLike<number> | null, pbc: readonly boolean[], radius: number, centres: Int32Array | null,
  includeSelf: boolean): NeighbourList {
  if (!(radius >= 0) || !Number.isFinite(radius)) throw new RangeError(`neighbour radius must be finite and >= 0, got ${radius}`);
  const nC = checkFrameArgs(positions, nAtoms, centres);
  if (nl.offsets.length < nC + 1) nl.offsets = new Int32Array(nC + 1);
  nl.n = nC;
  nl.count = 0;
  nl.offsets[0] = 0;
  if (nAtoms === 0) { for (let c = 0; c <= nC; c++) nl.offsets[c] = 0; return nl; }

  const h = cell ?? IDENTITY;
  const g = fillCellGrid(work(nl), positions, nAtoms, cell, pbc, radius);
  const { per0, per1, per2, nb0, nb1, nb2, k0, k1, k2, binStart, atomBin, binAtoms } = g;
  const wr = g.wrapped;

  const r2max = radius * radius;
  const a0 = h[0], a1 = h[1], a2 = h[2], b0x = h[3], b1y = h[4], b2z = h[5], c0 = h[6], c1 = h[7], c2 = h[8];
  let count = 0;
  for (let c = 0; c < nC; c++) {
    const ci = centres ? centres[c] : c;
    const cx = wr[3 * ci], cy = wr[3 * ci + 1], cz = wr[3 * ci + 2];
    const cb = atomBin[ci];
    const cb2 = cb % nb2, cb1 = ((cb - cb2) / nb2) % nb1, cb0 = (cb - cb2 - cb1 * nb2) / (nb1 * nb2);
    for (let o0 = -k0; o0 <= k0; o0++) {
      let t0 = cb0 + o0, n0 = 0;
      if (per0) { n0 = Math.floor(t0 / nb0); t0 -= n0 * nb0; } else if (t0 < 0 || t0 >= nb0) continue;
      for (let o1 = -k1; o1 <= k1; o1++) {
        let t1 = cb1 + o1, n1 = 0;
        if (per1) { n1 = Math.floor(t1 / nb1); t1 -= n1 * nb1; } else if (t1 < 0 || t1 >= nb1) continue;
        for (let o2 = -k2; o2 <= k2; o2++) {
          let t2 = cb2 + o2, n2 = 0;
          if (per2) { n2 = Math.floor(t2 / nb2); t2 -= n2 * nb2; } else if (t2 < 0 || t2 >= nb2) continue;
          // Translation T = n0 a + n1 b + n2 c; vector = (r_j + T) - r_c (exactly r_j - r_c when T = 0).
          const tx = n0 * a0 + n1 * b0x + n2 * c0;
          const ty = n0 * a1 + n1 * b1y + n2 * c1;
          const tz = n0 * a2 + n1 * b2z + n2 * c2;
          const zeroT = n0 === 0 && n1 === 0 && n2 === 0;
          const b = (t0 * nb1 + t1) * nb2 + t2;
          for (let p = binStart[b], e = binStart[b + 1]; p < e; p++) {
            const j = binAtoms[p];
            const vx = wr[3 * j] + tx - cx;
            const vy = wr[3 * j + 1] + ty - cy;
            const vz = wr[3 * j + 2] + tz - cz;
            const d2 = vx * vx + vy * vy + vz * vz;
            if (d2 > r2max) continue;
            if (zeroT && j === ci && !includeSelf) continue;
            if (count >= nl.index.length) { nl.count = count; grow(nl, count + 1); }
            nl.index[count] = j; nl.dx[count] = vx; nl.dy[count] = vy; nl.dz[count] = vz; nl.r2[count] = d2;
            count++;
          }
        }
      }
    }
    nl.offsets[c + 1] = count;
  }
  nl.count = count;
  return nl;
}

/**
 * Minimum-image vector of d (Å) in a possibly triclinic cell: writes into out[0..2] the shortest
 * d + T over lattice translations T on periodic axes, returns its squared length. `cellInv` is
 * invertCell(h). Exact for any cell shape (checks the 27 images around the rounded one).
 */
export function minimumImage(out: Float64Array, dx: number, dy: number, dz: number, h: ArrayLike<number>,
  cellInv: ArrayLike<number>, pbc: readonly boolean[]): number {
  let s0 = dx * cellInv[0] + dy * cellInv[3] + dz * cellInv[6];
  let s1 = dx * cellInv[1] + dy * cellInv[4] + dz * cellInv[7];
  let s2 = dx * cellInv[2] + dy * cellInv[5] + dz * cellInv[8];
  if (pbc[0]) s0 = Math.round(s0);
  else s0 = 0;
  if (pbc[1]) s1 = Math.round(s1);
  else s1 = 0;
  if (pbc[2]) s2 = Math.round(s2);
  else s2 = 0;
  const bx = dx - s0 * h[0] - s1 * h[3] - s2 * h[6];
  const by = dy - s0 * h[1] - s1 * h[4] - s2 * h[7];
  const bz = dz - s0 * h[2] - s1 * h[5] - s2 * h[8];
  let best = bx * bx + by * by + bz * bz, ox = bx, oy = by, oz = bz;
  // Rounding in fractional space is not the minimum image in skewed cells: try the neighbours too.
  const r0 = pbc[0] ? 1 : 0, r1 = pbc[1] ? 1 : 0, r2 = pbc[2] ? 1 : 0;
  for (let i = -r0; i <= r0; i++) {
    for (let j = -r1; j <= r1; j++) {
      for (let k = -r2; k <= r2; k++) {
        if (i === 0 && j === 0 && k === 0) continue;
        const x = bx + i * h[0] + j * h[3] + k * h[6];
        const y = by + i * h[1] + j * h[4] + k * h[7];
        const z = bz + i * h[2] + j * h[5] + k * h[8];
        const d2 = x * x + y * y + z * z;
        if (d2 < best) { best = d2; ox = x; oy = y; oz = z; }
      }
    }
  }
  out[0] = ox; out[1] = oy; out[2] = oz;
  return best;
}

/** Minimum-image distance (Å) between atoms i and j of a 3N position array; cell null = plain distance. */
export function minimumImageDistance(positions: ArrayLike<number>, i: number, j: number,
  h: ArrayLike<number> | null, pbc: readonly boolean[], cellInv?: ArrayLike<number>): number {
  const dx = positions[3 * j] - positions[3 * i], dy = positions[3 * j + 1] - positions[3 * i + 1], dz = positions[3 * j + 2] - positions[3 * i + 2];
  if (!h) return Math.sqrt(dx * dx + dy * dy + dz * dz);
  const inv = cellInv ?? invertCell(new Float64Array(9), h);
  return Math.sqrt(minimumImage(new Float64Array(3), dx, dy, dz, h, inv, pbc));
}
