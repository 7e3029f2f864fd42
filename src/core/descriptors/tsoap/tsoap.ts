/**
 * timeSOAP, lens-tsoap-smoothing.md §5: the distance between an atom's L2-normalised SOAP vectors
 * at frames t - delay and t.
 *
 * - "soapify" (default; the paper's): d = ||xhat(t) - xhat(t - delay)|| computed directly (SOAPify
 *   timeSOAPsimple), feed it the filled (576/1728) vectors. A zero spectrum stays zero, so its
 *   distance to a unit vector is 1.
 * - "dynsight": d = sqrt(max(0, 2 - 2 clip(cos, -1, 1))), fed the compact dscribe vectors; a zero
 *   vector normalises to zeros (cos = 0).
 * Outputs are atom-major (centres x (F - delay)), like LENS; SOAPify stores the transpose
 * ((F - delay) x centres), see tsoapTranspose. Implements the definition for any delay (SOAPify's
 * fast routine is only right for delay 1, §5).
 */

export type TsoapConvention = 'soapify' | 'dynsight';

export interface TsoapParams {
  /** Spectrum length D. */
  width: number;
  /** Frames between the compared spectra, integer >= 1 (default 1). */
  delay?: number;
  convention?: TsoapConvention;
}

export interface TsoapPlan {
  readonly width: number;
  readonly delay: number;
  readonly convention: TsoapConvention;
}

export function planTsoap(p: TsoapParams): TsoapPlan {
  const delay = p.delay ?? 1;
  const convention = p.convention ?? 'soapify';
  if (!Number.isInteger(p.width) || p.width < 1) throw new RangeError(`timeSOAP: width must be a positive integer, got ${p.width}`);
  if (!Number.isInteger(delay) || delay < 1) throw new RangeError(`timeSOAP: delay must be an integer >= 1, got ${delay}`);
  if (convention !== 'soapify' && convention !== 'dynsight') throw new RangeError(`timeSOAP: unknown convention "${String(convention)}"`);
  return { width: p.width, delay, convention };
}

/** numpy's pairwise-summation block (PW_BLOCKSIZE in numpy's loops_utils.h). */
const PW_BLOCKSIZE = 128;

/**
 * sum_k f(k) for k in [0, n) in numpy's pairwise order (add.reduce on a contiguous axis), where
 * f(k) = a[pa + k] * b[pb + k] when `mode` is 0 and (b - a)^2 when `mode` is 1. Matching the order
 * makes sqrt(2 - 2 cos) reproducible to the last bit near cos = 1, where it amplifies rounding.
 */
function pairwiseSum(a: ArrayLike<number>, pa: number, b: ArrayLike<number>, pb: number, n: number, mode: 0 | 1): number {
  const term = (k: number): number => {
    if (mode === 0) return a[pa + k] * b[pb + k];
    const d = b[pb + k] - a[pa + k];
    return d * d;
  };
  if (n < 8) {
    let res = 0;
    for (let k = 0; k < n; k++) res += term(k);
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = term(0), r1 = term(1), r2 = term(2), r3 = term(3), r4 = term(4), r5 = term(5), r6 = term(6), r7 = term(7);
    let k = 8;
    const end = n - (n % 8);
    for (; k < end; k += 8) {
      r0 += term(k); r1 += term(k + 1); r2 += term(k + 2); r3 += term(k + 3);
      r4 += term(k + 4); r5 += term(k + 5); r6 += term(k + 6); r7 += term(k + 7);
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; k < n; k++) res += term(k);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, pa, b, pb, n2, mode) + pairwiseSum(a, pa + n2, b, pb + n2, n - n2, mode);
}

/**
 * Writes into out the L2-normalised copies of n rows of width D (zero rows stay zero): x / ||x||
 * with the norm summed in numpy's order and a true division, as numpy code does.
 * `out` may be `x`.
 */
export function normaliseRows(x: ArrayLike<number>, xOff: number, n: number, width: number, out: Float64Array, outOff: number): void {
  for (let r = 0; r < n; r++) {
    const b = xOff + r * width, o = outOff + r * width;
    const norm = Math.sqrt(pairwiseSum(x, b, x, b, width, 0));
    if (norm > 0) for (let k = 0; k < width; k++) out[o + k] = x[b + k] / norm;
    else for (let k = 0; k < width; k++) out[o + k] = 0;
  }
}

/**
 * Distances between n pairs of already-normalised rows a[aOff + r*D ..] and b[bOff + r*D ..]
 * (a = earlier frame), written to out[outOff + r*outStride].
 */
export function tsoapDistances(plan: TsoapPlan, a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number,
  n: number, out: Float64Array, outOff: number, outStride: number): void {
  const D = plan.width;
  const direct = plan.convention === 'soapify';
  for (let r = 0; r < n; r++) {
    const pa = aOff + r * D, pb = bOff + r * D;
    if (direct) {
      out[outOff + r * outStride] = Math.sqrt(pairwiseSum(a, pa, b, pb, D, 1));
    } else {
      const s = pairwiseSum(a, pa, b, pb, D, 0);
      const c = s > 1 ? 1 : s < -1 ? -1 : s;
      out[outOff + r * outStride] = Math.sqrt(Math.max(0, 2 - 2 * c));
    }
  }
}

/** Streaming state: the last delay + 1 frames of normalised spectra (a ring). */
export interface TsoapState {
  readonly plan: TsoapPlan;
  readonly nCentres: number;
  readonly ring: Float64Array[];
  frame: number;
}

export function createTsoapState(plan: TsoapPlan, nCentres: number): TsoapState {
  const ring: Float64Array[] = [];
  for (let i = 0; i <= plan.delay; i++) ring.push(new Float64Array(nCentres * plan.width));
  return { plan, nCentres, ring, frame: 0 };
}

/**
 * Pushes one frame of spectra (nCentres rows of width D from spectra[offset]); when delay earlier
 * frames exist, writes the nCentres distances to out[outOff + c*outStride] and returns true.
 */
export function tsoapPush(state: TsoapState, spectra: ArrayLike<number>, offset: number,
  out: Float64Array, outOff = 0, outStride = 1): boolean {
  const { plan, ring, nCentres } = state;
  const cur = ring[state.frame % ring.length];
  normaliseRows(spectra, offset, nCentres, plan.width, cur, 0);
  const have = state.frame >= plan.delay;
  if (have) tsoapDistances(plan, ring[(state.frame - plan.delay) % ring.length], 0, cur, 0, nCentres, out, outOff, outStride);
  state.frame++;
  return have;
}

/**
 * timeSOAP of a whole (frames x centres x D) frame-major spectra array: returns atom-major
 * (nCentres x (F - delay)); column k = distance between frames k and k + delay.
 */
export function computeTsoap(plan: TsoapPlan, spectra: ArrayLike<number>, nFrames: number, nCentres: number): Float64Array {
  const D = plan.width;
  if (spectra.length < nFrames * nCentres * D) throw new RangeError(`timeSOAP: spectra hold ${spectra.length} values, need ${nFrames} x ${nCentres} x ${D}`);
  const cols = Math.max(0, nFrames - plan.delay);
  const out = new Float64Array(nCentres * cols);
  const st = createTsoapState(plan, nCentres);
  for (let t = 0; t < nFrames; t++) tsoapPush(st, spectra, t * nCentres * D, out, t - plan.delay, cols);
  return out;
}

/** First difference along time of an atom-major (rows x cols) array: (rows x (cols - 1)) (SOAPify's derivative). */
export function diffRows(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const c1 = Math.max(0, cols - 1);
  const out = new Float64Array(rows * c1);
  for (let r = 0; r < rows; r++) for (let k = 0; k < c1; k++) out[r * c1 + k] = x[r * cols + k + 1] - x[r * cols + k];
  return out;
}

/** Transpose of a row-major (rows x cols) array (atom-major <-> SOAPify's frame-major). */
export function tsoapTranspose(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[k * rows + r] = x[r * cols + k];
  return out;
}
