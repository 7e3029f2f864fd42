/**
 * SOAP radial bases (soap.md §4 GTO, §5 polynomial). Plan-time code: builds the constant tables the
 * per-neighbour kernels read.
 */
import { dd, ddAdd, ddDiv, ddInverseSqrtSymmetric, ddMul, ddToNumber, type DD } from '../common/double-double.ts';
import { gammaHalfInteger } from '../common/linalg.ts';
import { gaussLegendre } from '../common/quadrature.ts';

export interface GtoBasis {
  /** a_k, k = 0..N-1 (Å). */
  readonly decayRadii: Float64Array;
  /** alpha_lk at l*N + k (Å^-2). */
  readonly alphas: Float64Array;
  /** beta^(l)_nk at (l*N + n)*N + k. */
  readonly betas: Float64Array;
  /** eta alpha/(eta + alpha) at l*N + k: the per-neighbour exponent of exp(-gamma d²). */
  readonly gammas: Float64Array;
  /** beta^(l)_nk (pi/(eta+alpha_lk))^(3/2) (eta/(eta+alpha_lk))^l at (l*N + n)*N + k. */
  readonly coefs: Float64Array;
  /** The distinct values of gammas (exactly equal ones merged), and for each l*N + k its index there. */
  readonly uniqueGammas: Float64Array;
  readonly gammaRow: Int32Array;
}

/** GTO basis of soap.md §4 for (rCut, N, L, sigma). */
export function gtoBasis(rCut: number, nMax: number, lMax: number, sigma: number): GtoBasis {
  const N = nMax, L = lMax, eta = 1 / (2 * sigma * sigma);
  const a = new Float64Array(N);
  for (let k = 0; k < N; k++) a[k] = N === 1 ? 1 : 1 + (k * (rCut - 1)) / (N - 1);
  const alphas = new Float64Array((L + 1) * N), betas = new Float64Array((L + 1) * N * N);
  const gammas = new Float64Array((L + 1) * N), coefs = new Float64Array((L + 1) * N * N);
  const s = new Float64Array(N * N), beta = new Float64Array(N * N);
  const LN1000 = Math.log(1000);
  for (let l = 0; l <= L; l++) {
    for (let k = 0; k < N; k++) alphas[l * N + k] = (LN1000 + l * Math.log(a[k])) / (a[k] * a[k]);
    const g = gammaHalfInteger(l);
    for (let k = 0; k < N; k++) {
      for (let q = 0; q < N; q++) s[k * N + q] = g / (2 * Math.pow(alphas[l * N + k] + alphas[l * N + q], l + 1.5));
    }
    // cond(S) reaches ~6e10 (soap.md §4): float64 would do, double-double Jacobi costs nothing here.
    const bdd = ddInverseSqrtSymmetric(Array.from(s, (v) => dd(v)), N);
    for (let i = 0; i < N * N; i++) beta[i] = ddToNumber(bdd[i]);
    betas.set(beta, l * N * N);
    for (let k = 0; k < N; k++) {
      const al = alphas[l * N + k];
      gammas[l * N + k] = (eta * al) / (eta + al);
      const c = Math.pow(Math.PI / (eta + al), 1.5) * Math.pow(eta / (eta + al), l);
      for (let n = 0; n < N; n++) coefs[(l * N + n) * N + k] = beta[n * N + k] * c;
    }
  }
  const uniq: number[] = [];
  const gammaRow = Int32Array.from(gammas, (v) => { let i = uniq.indexOf(v); if (i < 0) { i = uniq.length; uniq.push(v); } return i; });
  return { decayRadii: a, alphas, betas, gammas, coefs, uniqueGammas: Float64Array.from(uniq), gammaRow };
}

/** dscribe's polynomial quadrature order (soap.md §5). */
export const POLY_QUADRATURE_POINTS = 100;

export interface PolynomialBasis {
  /** beta_nk at n*N + k, from an extended-precision S^(-1/2) rounded to float64. */
  readonly betas: Float64Array;
  /** Quadrature radii r_q on [0, rCut] (Å). */
  readonly radii: Float64Array;
  /** g_n(r_q) at n*Q + q. */
  readonly values: Float64Array;
  /** 4 pi W_q r_q² g_n(r_q) at n*Q + q: the weight of F_l(r_q, d) in c_nlm. */
  readonly weights: Float64Array;
  /** sqrt(4 pi) sum_q W_q r_q² g_n(r_q) exp(-eta r_q²): the l = 0 term of an atom at d = 0. */
  readonly selfTerm: Float64Array;
}

/** Polynomial basis of soap.md §5 (beta in double-double, then float64). */
export function polynomialBasis(rCut: number, nMax: number, sigma: number): PolynomialBasis {
  const N = nMax, Q = POLY_QUADRATURE_POINTS, eta = 1 / (2 * sigma * sigma);
  const rc = dd(rCut);
  const pow = (x: DD, e: number): DD => { let r = dd(1); for (let i = 0; i < e; i++) r = ddMul(r, x); return r; };
  const s: DD[] = [];
  for (let k = 1; k <= N; k++) {
    for (let q = 1; q <= N; q++) {
      const den = (5 + k + q) * (6 + k + q) * (7 + k + q);
      s.push(ddDiv(ddMul(dd(2), pow(rc, 7 + k + q)), dd(den)));
    }
  }
  const betaDD = ddInverseSqrtSymmetric(s, N);
  const betas = Float64Array.from(betaDD, ddToNumber);
  const { x, w } = gaussLegendre(Q);
  const radii = new Float64Array(Q), values = new Float64Array(N * Q), weights = new Float64Array(N * Q);
  const selfTerm = new Float64Array(N);
  for (let q = 0; q < Q; q++) {
    const r = (rCut * (x[q] + 1)) / 2, wq = (rCut / 2) * w[q];
    radii[q] = r;
    // g_n(r) = sum_k beta_nk (rc - r)^(k+2), summed in double-double (the betas alternate, ~1e8).
    const t = dd(rCut - r);
    for (let n = 0; n < N; n++) {
      let acc = dd(0);
      for (let k = 1; k <= N; k++) acc = ddAdd(acc, ddMul(betaDD[n * N + (k - 1)], pow(t, k + 2)));
      const g = ddToNumber(acc);
      values[n * Q + q] = g;
      weights[n * Q + q] = 4 * Math.PI * wq * r * r * g;
      selfTerm[n] += Math.sqrt(4 * Math.PI) * wq * r * r * g * Math.exp(-eta * r * r);
    }
  }
  return { betas, radii, values, weights, selfTerm };
}
