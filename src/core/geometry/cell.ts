/**
 * Cell algebra (formats.md §1). A cell is a Float64Array(9), row-major, rows = a, b, c in Å.
 * Functions take `out` first where they write, and never allocate in loops.
 */

const DEG = Math.PI / 180;

/** cos of an angle in degrees, exact 0 at 90 (formats.md §1.1: avoid 6e-17 tilts). */
function cosDeg(a: number): number {
  return a === 90 ? 0 : Math.cos(a * DEG);
}
function sinDeg(a: number): number {
  return a === 90 ? 1 : Math.sin(a * DEG);
}

/** Cell rows from lengths (Å) and angles (degrees), a along x and b in the xy plane. */
export function cellFromParameters(a: number, b: number, c: number, alpha: number, beta: number,
  gamma: number, out: Float64Array = new Float64Array(9)): Float64Array {
  const ca = cosDeg(alpha), cb = cosDeg(beta), cg = cosDeg(gamma), sg = sinDeg(gamma);
  const cy = (ca - cb * cg) / sg;
  out[0] = a; out[1] = 0; out[2] = 0;
  out[3] = b * cg; out[4] = b * sg; out[5] = 0;
  out[6] = c * cb; out[7] = c * cy; out[8] = c * Math.sqrt(Math.max(0, 1 - cb * cb - cy * cy));
  return out;
}

/** [a, b, c, alpha, beta, gamma] (Å, degrees) of a cell. */
export function cellParameters(h: ArrayLike<number>): [number, number, number, number, number, number] {
  const a = Math.hypot(h[0], h[1], h[2]);
  const b = Math.hypot(h[3], h[4], h[5]);
  const c = Math.hypot(h[6], h[7], h[8]);
  const ang = (u: number, v: number, lu: number, lv: number) => {
    const d = (h[u] * h[v] + h[u + 1] * h[v + 1] + h[u + 2] * h[v + 2]) / (lu * lv);
    return Math.acos(Math.max(-1, Math.min(1, d))) / DEG;
  };
  return [a, b, c, ang(3, 6, b, c), ang(0, 6, a, c), ang(0, 3, a, b)];
}

/** Signed volume a · (b × c). */
export function cellVolume(h: ArrayLike<number>): number {
  return h[0] * (h[4] * h[8] - h[5] * h[7]) - h[1] * (h[3] * h[8] - h[5] * h[6]) + h[2] * (h[3] * h[7] - h[4] * h[6]);
}

/** Inverse of the 3x3 row matrix H, so that s = r H^-1 gives fractional coordinates. */
export function invertCell(out: Float64Array, h: ArrayLike<number>): Float64Array {
  const det = cellVolume(h);
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('cell is singular (zero volume)');
  const inv = 1 / det;
  out[0] = (h[4] * h[8] - h[5] * h[7]) * inv;
  out[1] = (h[2] * h[7] - h[1] * h[8]) * inv;
  out[2] = (h[1] * h[5] - h[2] * h[4]) * inv;
  out[3] = (h[5] * h[6] - h[3] * h[8]) * inv;
  out[4] = (h[0] * h[8] - h[2] * h[6]) * inv;
  out[5] = (h[2] * h[3] - h[0] * h[5]) * inv;
  out[6] = (h[3] * h[7] - h[4] * h[6]) * inv;
  out[7] = (h[1] * h[6] - h[0] * h[7]) * inv;
  out[8] = (h[0] * h[4] - h[1] * h[3]) * inv;
  return out;
}

/** Perpendicular heights h_i = V / |a_j × a_k| (formats.md §1.2), written to out[0..2]. */
export function cellHeights(out: Float64Array, h: ArrayLike<number>): Float64Array {
  const v = Math.abs(cellVolume(h));
  for (let i = 0; i < 3; i++) {
    const j = ((i + 1) % 3) * 3, k = ((i + 2) % 3) * 3;
    const cx = h[j + 1] * h[k + 2] - h[j + 2] * h[k + 1];
    const cy = h[j + 2] * h[k] - h[j] * h[k + 2];
    const cz = h[j] * h[k + 1] - h[j + 1] * h[k];
    out[i] = v / Math.hypot(cx, cy, cz);
  }
  return out;
}

/** True when a cell is a placeholder meaning "no cell" (all zero or unit cube, formats.md §1.1). */
export function isPlaceholderCell(h: ArrayLike<number>): boolean {
  let zero = true, unit = true;
  for (let i = 0; i < 9; i++) {
    const diag = i === 0 || i === 4 || i === 8;
    if (h[i] !== 0) zero = false;
    if (h[i] !== (diag ? 1 : 0)) unit = false;
  }
  return zero || unit;
}

/**
 * Wraps positions into the cell on periodic axes: s = (r - origin) H^-1, s_i -= floor(s_i),
 * r = s H + origin (formats.md §1.2). Writes 3N values into `out` (may be `pos`).
 */
export function wrapPositions(out: Float64Array, pos: ArrayLike<number>, n: number, h: ArrayLike<number>,
  pbc: readonly boolean[], origin?: ArrayLike<number> | null): Float64Array {
  const hi = invertCell(new Float64Array(9), h);
  const ox = origin ? origin[0] : 0, oy = origin ? origin[1] : 0, oz = origin ? origin[2] : 0;
  for (let i = 0; i < n; i++) {
    const x = pos[3 * i] - ox, y = pos[3 * i + 1] - oy, z = pos[3 * i + 2] - oz;
    let s0 = x * hi[0] + y * hi[3] + z * hi[6];
    let s1 = x * hi[1] + y * hi[4] + z * hi[7];
    let s2 = x * hi[2] + y * hi[5] + z * hi[8];
    if (pbc[0]) s0 -= Math.floor(s0);
    if (pbc[1]) s1 -= Math.floor(s1);
    if (pbc[2]) s2 -= Math.floor(s2);
    out[3 * i] = s0 * h[0] + s1 * h[3] + s2 * h[6] + ox;
    out[3 * i + 1] = s0 * h[1] + s1 * h[4] + s2 * h[7] + oy;
    out[3 * i + 2] = s0 * h[2] + s1 * h[5] + s2 * h[8] + oz;
  }
  return out;
}
