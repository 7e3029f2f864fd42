/**
 * Savitzky-Golay smoothing with the semantics of scipy.signal.savgol_filter (deriv 0, delta 1),
 * lens-tsoap-smoothing.md §6: odd and even windows, modes interp (default), nearest, mirror,
 * constant and wrap, applied along the time axis of an (atoms x frames) row-major array.
 *
 * Numerics: every least-squares weight vector is computed with discrete orthogonal polynomials
 * (Stieltjes three-term recurrence on centred abscissae) in float64. That is an orthogonal
 * factorisation of the Vandermonde matrix, so the weights are accurate to a few ulp even for
 * window 100 (normal equations on raw powers would lose ~8 digits there). scipy itself (LAPACK
 * gelsd on unscaled powers) sits within ~1.4e-14 of the exact rational result on the fixtures.
 */

export type SavgolMode = 'interp' | 'nearest' | 'mirror' | 'constant' | 'wrap';

export const SAVGOL_MODES: readonly SavgolMode[] = ['interp', 'nearest', 'mirror', 'constant', 'wrap'];

export interface SavgolParams {
  /** window_length W >= 1, odd or even. */
  window: number;
  /** polyorder P, 0 <= P < W. */
  polyorder: number;
  /** Edge handling; scipy's default is "interp". */
  mode?: SavgolMode;
  /** Value outside the signal for mode "constant" (scipy's cval, default 0). */
  cval?: number;
}

export interface SavgolPlan {
  readonly window: number;
  readonly polyorder: number;
  readonly mode: SavgolMode;
  readonly cval: number;
  /** floor(W/2). */
  readonly halflen: number;
  /** ceil(W/2) - 1: y[i] = sum_m coeffs[m] x[i - shift + m] (§6.2). */
  readonly shift: number;
  /** W convolution weights h (symmetric for deriv 0). */
  readonly coeffs: Float64Array;
  /** halflen x W weights: left edge y[i] = sum_m left[i*W + m] x[m] (mode interp only). */
  readonly left: Float64Array;
  /** halflen x W weights: y[n - halflen + i] = sum_m right[i*W + m] x[n - W + m] (mode interp only). */
  readonly right: Float64Array;
}

/**
 * Weights w (length us.length) such that sum_m w[m] x[m] is the degree-`p` least-squares
 * polynomial through (us[m], x[m]) evaluated at `t`. Uses the discrete orthogonal polynomials
 * of the abscissae (Stieltjes), i.e. w[m] = sum_k q_k(us[m]) q_k(t) / |q_k|^2.
 * Callers centre `us` (and t) first; the fit is shift-invariant.
 */
function lsqEvalWeights(us: Float64Array, p: number, t: number, out: Float64Array): Float64Array {
  const w = us.length;
  let qPrev = new Float64Array(w);
  let q = new Float64Array(w).fill(1);
  let qNext = new Float64Array(w);
  let normPrev = 1;
  let tPrev = 0, tq = 1;
  out.fill(0);
  for (let k = 0; k <= p; k++) {
    let norm = 0, un = 0;
    for (let m = 0; m < w; m++) { const v = q[m]; norm += v * v; un += us[m] * v * v; }
    if (!(norm > 0)) throw new RangeError(`savgol: polyorder ${p} too large for window ${w}`);
    const f = tq / norm;
    for (let m = 0; m < w; m++) out[m] += q[m] * f;
    if (k === p) break;
    const a = un / norm;
    const b = k === 0 ? 0 : norm / normPrev;
    for (let m = 0; m < w; m++) qNext[m] = (us[m] - a) * q[m] - b * qPrev[m];
    const tNext = (t - a) * tq - b * tPrev;
    tPrev = tq; tq = tNext;
    normPrev = norm;
    const tmp = qPrev; qPrev = q; q = qNext; qNext = tmp;
  }
  return out;
}

function checkParams(window: number, polyorder: number): void {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`savgol: window must be a positive integer, got ${window}`);
  if (!Number.isInteger(polyorder) || polyorder < 0) throw new RangeError(`savgol: polyorder must be a non-negative integer, got ${polyorder}`);
  if (polyorder >= window) throw new RangeError(`savgol: polyorder (${polyorder}) must be less than window (${window})`);
}

/**
 * The W convolution coefficients of scipy.signal.savgol_coeffs(W, P) (deriv 0, use "conv"):
 * abscissae u_m = m - pos with pos = halflen - 0.5 for even W, halflen for odd W (§6.1).
 */
export function savgolCoeffs(window: number, polyorder: number): Float64Array {
  checkParams(window, polyorder);
  const halflen = Math.floor(window / 2);
  const pos = window % 2 === 0 ? halflen - 0.5 : halflen;
  const us = new Float64Array(window);
  for (let m = 0; m < window; m++) us[m] = m - pos;
  // The abscissae are symmetric about 0 for deriv 0, so conv order (reversed) equals dot order.
  return lsqEvalWeights(us, polyorder, 0, new Float64Array(window));
}

/** Validates parameters and precomputes every weight vector (cheap: O(W^2 P)). */
export function planSavgol(p: SavgolParams): SavgolPlan {
  const { window, polyorder } = p;
  checkParams(window, polyorder);
  const mode = p.mode ?? 'interp';
  if (!SAVGOL_MODES.includes(mode)) throw new RangeError(`savgol: unknown mode "${String(mode)}" (${SAVGOL_MODES.join(', ')})`);
  const cval = p.cval ?? 0;
  const halflen = Math.floor(window / 2);
  const shift = Math.ceil(window / 2) - 1;
  const coeffs = savgolCoeffs(window, polyorder);
  const left = new Float64Array(mode === 'interp' ? halflen * window : 0);
  const right = new Float64Array(mode === 'interp' ? halflen * window : 0);
  if (mode === 'interp') {
    // §6.3: fit to local positions 0..W-1, evaluated at integers (no half-sample shift).
    const c = (window - 1) / 2;
    const us = new Float64Array(window);
    for (let m = 0; m < window; m++) us[m] = m - c;
    const tmp = new Float64Array(window);
    for (let i = 0; i < halflen; i++) {
      left.set(lsqEvalWeights(us, polyorder, i - c, tmp), i * window);
      right.set(lsqEvalWeights(us, polyorder, window - halflen + i - c, tmp), i * window);
    }
  }
  return { window, polyorder, mode, cval, halflen, shift, coeffs, left, right };
}

/** Index into a length-n signal for a position k outside it, per ndimage's extension modes; -1 = cval. */
function extendIndex(k: number, n: number, mode: SavgolMode): number {
  if (k >= 0 && k < n) return k;
  switch (mode) {
    case 'nearest': return k < 0 ? 0 : n - 1;
    case 'wrap': return ((k % n) + n) % n;
    case 'mirror': {
      // d c b | a b c d | c b a: reflection about the edge samples, period 2(n - 1).
      if (n === 1) return 0;
      const period = 2 * (n - 1);
      const r = ((k % period) + period) % period;
      return r < n ? r : period - r;
    }
    default: return -1; // constant (interp uses zero padding only where its edges overwrite)
  }
}

/**
 * Smooths one series: n samples x[xOff + q*xStride], q = 0..n-1, into out[outOff + q*outStride].
 * `out` must not overlap `x`. Throws RangeError for mode "interp" with n < W (as scipy does).
 */
export function savgolSeries(plan: SavgolPlan, x: ArrayLike<number>, xOff: number, xStride: number, n: number,
  out: Float64Array, outOff: number, outStride: number): void {
  const { window: w, halflen, shift, coeffs: h, mode } = plan;
  if (mode === 'interp' && n < w) {
    throw new RangeError(`savgol: with mode "interp" the window (${w}) must not exceed the series length (${n})`);
  }
  if (n === 0) return;
  // Interior: every index in range.
  const iStart = shift, iEnd = n - (w - 1 - shift); // i in [iStart, iEnd) has i - shift >= 0 and i - shift + w - 1 < n
  for (let i = Math.max(0, iStart); i < iEnd; i++) {
    let s = 0;
    const base = xOff + (i - shift) * xStride;
    for (let m = 0; m < w; m++) s += h[m] * x[base + m * xStride];
    out[outOff + i * outStride] = s;
  }
  if (mode === 'interp') {
    const { left, right } = plan;
    const rb = xOff + (n - w) * xStride;
    for (let i = 0; i < halflen; i++) {
      let sl = 0, sr = 0;
      for (let m = 0; m < w; m++) {
        sl += left[i * w + m] * x[xOff + m * xStride];
        sr += right[i * w + m] * x[rb + m * xStride];
      }
      out[outOff + i * outStride] = sl;
      out[outOff + (n - halflen + i) * outStride] = sr;
    }
    return;
  }
  const cval = plan.cval;
  for (let i = 0; i < n; i++) {
    if (i >= iStart && i < iEnd) continue;
    let s = 0;
    for (let m = 0; m < w; m++) {
      const k = extendIndex(i - shift + m, n, mode);
      s += h[m] * (k < 0 ? cval : x[xOff + k * xStride]);
    }
    out[outOff + i * outStride] = s;
  }
}

/**
 * Smooths every row of a row-major (rows x cols) array along its columns (the time axis of an
 * (atoms x frames) array). Returns `out` (allocated when not given; must not be `data`).
 */
export function savgolRows(plan: SavgolPlan, data: ArrayLike<number>, rows: number, cols: number,
  out: Float64Array = new Float64Array(rows * cols)): Float64Array {
  if (data.length < rows * cols || out.length < rows * cols) throw new RangeError(`savgol: arrays shorter than ${rows} x ${cols}`);
  for (let r = 0; r < rows; r++) savgolSeries(plan, data, r * cols, 1, cols, out, r * cols, 1);
  return out;
}

/** One-call equivalent of scipy.signal.savgol_filter(x, W, P, mode=mode, cval=cval) on a 1-D series. */
export function savgolFilter(x: ArrayLike<number>, params: SavgolParams): Float64Array {
  const plan = planSavgol(params);
  const out = new Float64Array(x.length);
  savgolSeries(plan, x, 0, 1, x.length, out, 0, 1);
  return out;
}
