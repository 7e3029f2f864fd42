/**
 * Special functions for LODE(p) (lode.md §1.2, §2, §5 "special functions in double precision"):
 * erf/erfc, the exponential integral E1, Gamma at integers and half-integers, the regularised
 * lower incomplete gamma P(a, z) for a = p/2, the smeared power-law kernel f_p and its Fourier
 * transform, spherical Bessel functions j_l, Legendre polynomials, Gauss-Legendre nodes and the
 * symmetric inverse square root (Jacobi eigensolver). Written from the formulas of the spec; unit
 * tested against fixtures/lode/kernels_and_basis_values.json.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const TWO_OVER_SQRT_PI = 2 / SQRT_PI;
/** Euler-Mascheroni constant (E1 series). */
const EULER_GAMMA = 0.5772156649015329;
/** Relative stopping threshold of the series and continued fractions below (~ half an ulp). */
const EPS = 1e-17;
/** Below this argument erf uses its positive series; above, erfc's continued fraction. */
const ERF_SWITCH = 2.5;

/**
 * erfc(x) by the continued fraction e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
 * evaluated with the modified Lentz method; used for x >= ERF_SWITCH.
 */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** erf(x) for 0 <= x < ERF_SWITCH: 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1)/(2n+1)!! (positive terms). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x, sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < EPS * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** Error function, ~1e-16 relative. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x < ERF_SWITCH) return erfSeries(x);
  return 1 - erfcFraction(x);
}

/** Complementary error function, ~1e-15 relative for x >= 0. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < ERF_SWITCH) return 1 - erfSeries(x);
  return erfcFraction(x);
}

/** Gamma(x) for x a positive integer or half-integer (exact recurrences from Gamma(1), Gamma(1/2)). */
export function gammaHalfInteger(x: number): number {
  const twice = Math.round(2 * x);
  if (twice <= 0 || Math.abs(2 * x - twice) > 1e-12) throw new RangeError(`gammaHalfInteger: ${x} is not a positive (half-)integer`);
  let g: number, t: number;
  if (twice % 2 === 0) { g = 1; t = 1; } else { g = SQRT_PI; t = 0.5; }
  while (t < x - 0.25) { g *= t; t += 1; }
  return g;
}

/** Pochhammer symbol (a)_k = a (a+1) ... (a+k-1). */
export function pochhammer(a: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r *= a + i;
  return r;
}

/** Exponential integral E1(x), x > 0: series for x <= 1, continued fraction beyond. */
export function expint1(x: number): number {
  if (!(x > 0)) throw new RangeError(`expint1: x must be > 0 (got ${x})`);
  if (x <= 1) {
    // E1 = -gamma - ln x - sum_{k>=1} (-x)^k / (k k!)
    let sum = 0, term = 1;
    for (let k = 1; k < 100; k++) {
      term *= -x / k;
      const t = term / k;
      sum += t;
      if (Math.abs(t) < EPS * Math.abs(sum)) break;
    }
    return -EULER_GAMMA - Math.log(x) - sum;
  }
  // Lentz on E1 = e^(-x) / (x + 1 - 1/(x + 3 - 4/(x + 5 - ...)))
  const tiny = 1e-300;
  let b = x + 1, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * i;
    b += 2;
    d = 1 / (an * d + b);
    c = b + an / c;
    const del = c * d;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h * Math.exp(-x);
}

/**
 * Upper incomplete gamma Gamma(s, x) for real s and x > ~1 by its continued fraction
 * e^(-x) x^s / (x + 1 - s - 1(1-s)/(x + 3 - s - 2(2-s)/(x + 5 - s - ...))) (modified Lentz).
 */
function upperGammaFraction(s: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - s, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + s * Math.log(x)) * h;
}

/** Smallest z at which the closed forms of P(p/2, z) replace the series (no cancellation beyond). */
function seriesLimit(a: number): number {
  return a + 4;
}

/**
 * Regularised lower incomplete gamma P(a, z) for a = p/2, p = 1..12 (lode.md §1.2): the series
 * z^a e^(-z) sum_k z^k/Gamma(a+k+1) for small z, the closed forms (integer or half-integer a) beyond.
 */
export function gammaP(a: number, z: number): number {
  if (z <= 0) return 0;
  if (z < seriesLimit(a)) return Math.exp(a * Math.log(z) - z) * gammaSeriesSum(a, z);
  // z >= a + 4: Q = Gamma(a, z)/Gamma(a) <~ 0.1 from its continued fraction (fast there), P = 1 - Q
  // without cancellation. Equals the closed forms of lode.md §1.2 (tested) and avoids erf.
  const twice = 2 * a;
  const ga = Number.isInteger(twice) && twice >= 1 && twice <= 12 ? GAMMA_HALF_P[twice] : gammaHalfInteger(a);
  return 1 - upperGammaFraction(a, z) / ga;
}

/** Gamma(p/2) for p = 1..12 (index p; index 0 unused). */
const GAMMA_HALF_P = Float64Array.from({ length: 13 }, (_, p) => (p === 0 ? Number.NaN : gammaHalfInteger(p / 2)));
/** 1/Gamma(p/2 + 1) for p = 0..12 (index p). */
const INV_GAMMA_HALF_P_PLUS_1 = Float64Array.from({ length: 13 }, (_, p) => 1 / gammaHalfInteger(p / 2 + 1));

function gammaSeriesSum(a: number, z: number): number {
  const twice = 2 * a;
  let term = Number.isInteger(twice) && twice <= 12 ? INV_GAMMA_HALF_P_PLUS_1[twice] : 1 / gammaHalfInteger(a + 1);
  let sum = term;
  for (let k = 1; k < 500; k++) {
    term *= z / (a + k);
    sum += term;
    if (term < EPS * sum) break;
  }
  return sum;
}

/**
 * The smeared power-law kernel f_p(r) = P(p/2, r^2/(2 sigma^2)) / r^p (lode.md §1.2), finite at 0:
 * for small z it is evaluated as (2 sigma^2)^(-p/2) e^(-z) sum_k z^k/Gamma(p/2+k+1).
 */
export function smearedKernel(p: number, sigma: number, r: number): number {
  const a = p / 2;
  const z = (r * r) / (2 * sigma * sigma);
  if (z < seriesLimit(a)) return Math.pow(2 * sigma * sigma, -a) * Math.exp(-z) * gammaSeriesSum(a, z);
  let rp = r;
  for (let i = 1; i < p; i++) rp *= r;
  // 1 - P(a, z) = Q(a, z) < 2e-18 here: f_p = r^-p to the last bit (hot in table builds)
  if (z > KERNEL_TAIL_Z) return 1 / rp;
  return gammaP(a, z) / rp;
}

/** Beyond z = 48, Q(p/2, z) <= Q(3, 48) = e^-48 (1 + 48 + 48²/2) ~ 2e-18 for p <= 6. */
const KERNEL_TAIL_Z = 48;

/**
 * G_p(x) = x^((p-3)/2) Gamma((3-p)/2, x) of lode.md §1.2: closed forms for x <= 2 (no
 * cancellation there), the continued fraction of the upper incomplete gamma beyond (the closed
 * forms of p = 4, 6 cancel at large x; README §3).
 */
function gp(p: number, x: number): number {
  if (x > 2) return Math.exp(((p - 3) / 2) * Math.log(x)) * upperGammaFraction((3 - p) / 2, x);
  const sx = Math.sqrt(x);
  const ex = Math.exp(-x);
  switch (p) {
    case 1: return ex / x;
    case 2: return Math.sqrt(Math.PI / x) * erfc(sx);
    case 3: return expint1(x);
    case 4: return 2 * (ex - SQRT_PI * sx * erfc(sx));
    case 5: return ex - x * expint1(x);
    case 6: return ((2 - 4 * x) * ex + 4 * SQRT_PI * x * sx * erfc(sx)) / 3;
    default: throw new RangeError(`LODE exponent p must be an integer 1..6 (got ${p})`);
  }
}

/** Fourier transform of f_p at |k| > 0 (lode.md §1.2): pi^(3/2) (2 sigma^2)^((3-p)/2)/Gamma(p/2) G_p(k^2 sigma^2/2). */
export function smearedKernelFourier(p: number, sigma: number, k: number): number {
  const x = (k * k * sigma * sigma) / 2;
  return (Math.PI * SQRT_PI * Math.pow(2 * sigma * sigma, (3 - p) / 2) / gammaHalfInteger(p / 2)) * gp(p, x);
}

/** fhat_p(0) for p > 3: pi^(3/2) (2 sigma^2)^((3-p)/2) 2/((p-3) Gamma(p/2)); NaN for p <= 3 (infinite). */
export function smearedKernelFourierAtZero(p: number, sigma: number): number {
  if (p <= 3) return Number.NaN;
  return (Math.PI * SQRT_PI * Math.pow(2 * sigma * sigma, (3 - p) / 2) * 2) / ((p - 3) * gammaHalfInteger(p / 2));
}

/**
 * Spherical Bessel functions j_0..j_lMax at x >= 0 into out[0..lMax]. Power series for x < 1,
 * upward recurrence for x > lMax (stable there), otherwise Miller's downward recurrence normalised
 * by j_0 or j_1 (whichever is larger in magnitude), with rescaling against overflow.
 */
export function sphericalBessel(out: Float64Array, lMax: number, x: number): Float64Array {
  if (x < 1) {
    // j_l(x) = x^l/(2l+1)!! sum_k (-x^2/2)^k / (k! (2l+3)(2l+5)...(2l+2k+1))
    const h = -0.5 * x * x;
    let pre = 1;
    for (let l = 0; l <= lMax; l++) {
      if (l > 0) pre *= x / (2 * l + 1);
      let term = 1, sum = 1;
      for (let k = 1; k < 60; k++) {
        term *= h / (k * (2 * l + 2 * k + 1));
        sum += term;
        if (Math.abs(term) < EPS * Math.abs(sum)) break;
      }
      out[l] = pre * sum;
    }
    return out;
  }
  const s = Math.sin(x), c = Math.cos(x);
  const j0 = s / x;
  const j1 = s / (x * x) - c / x;
  if (x > lMax) {
    out[0] = j0;
    if (lMax >= 1) out[1] = j1;
    for (let l = 1; l < lMax; l++) out[l + 1] = ((2 * l + 1) / x) * out[l] - out[l - 1];
    return out;
  }
  const start = lMax + 20 + Math.ceil(x);
  let fNext = 0, f = 1e-250;
  for (let l = start; l > 0; l--) {
    const fPrev = ((2 * l + 1) / x) * f - fNext;
    fNext = f;
    f = fPrev;
    if (l - 1 <= lMax) out[l - 1] = f;
    if (Math.abs(f) > 1e200) {
      // rescale everything stored so far
      for (let q = l - 1; q <= lMax; q++) if (q >= 0) out[q] *= 1e-200;
      f *= 1e-200; fNext *= 1e-200;
    }
  }
  // out[0] = f_0 and out[1] = f_1 (unnormalised)
  const scale = Math.abs(j0) > Math.abs(j1) ? j0 / out[0] : j1 / out[1];
  for (let l = 0; l <= lMax; l++) out[l] *= scale;
  out[0] = j0;
  if (lMax >= 1) out[1] = j1;
  return out;
}

/** Legendre polynomials P_0..P_lMax at u into out. */
export function legendre(out: Float64Array, lMax: number, u: number): Float64Array {
  out[0] = 1;
  if (lMax >= 1) out[1] = u;
  for (let l = 1; l < lMax; l++) out[l + 1] = ((2 * l + 1) * u * out[l] - l * out[l - 1]) / (l + 1);
  return out;
}

/**
 * Composite Gauss-Legendre rule on [a, b] split at the given break points (those inside (a, b)),
 * each piece cut into panels no wider than maxWidth, `order` nodes per panel.
 */
export function compositeRule(a: number, b: number, breaks: readonly number[], maxWidth: number,
  base: { x: Float64Array; w: Float64Array }): { x: Float64Array; w: Float64Array } {
  const pts = [a, ...breaks.filter((t) => t > a && t < b).sort((u, v) => u - v), b];
  const xs: number[] = [], ws: number[] = [];
  for (let s = 0; s + 1 < pts.length; s++) {
    const lo = pts[s], hi = pts[s + 1];
    const panels = Math.max(1, Math.ceil((hi - lo) / maxWidth));
    const h = (hi - lo) / panels;
    for (let q = 0; q < panels; q++) {
      const mid = lo + (q + 0.5) * h;
      for (let i = 0; i < base.x.length; i++) {
        xs.push(mid + 0.5 * h * base.x[i]);
        ws.push(0.5 * h * base.w[i]);
      }
    }
  }
  return { x: Float64Array.from(xs), w: Float64Array.from(ws) };
}
