/**
 * Open boundaries (lode.md §2.2, §2.3): the pair integral
 *   Itilde_nl(d) = 2 pi int dx x² R_nl(x) int_{-1}^{1} du P_l(u) f_p(sqrt(x² + d² - 2 x d u)),
 * computed directly by Gauss-Legendre quadrature, tabulated on [0, d_sw] for fast interpolation,
 * and replaced beyond d_sw by the generalised multipole series sum_k A_(nl,k) / d^(p+l+2k).
 *
 * The inner u-integral is done in s = |x - r_ij| (u = (x² + d² - s²)/(2 x d), du = -s ds/(x d)),
 * on panels that follow the kernel's scale: [0, 2 sigma], [2 sigma, 4 sigma], ... (f_p varies on
 * the scale sigma near 0 and like s^-p beyond). This avoids the sharp peak of f_p in u near u = 1
 * when x d >> sigma².
 */
import type { LodeRadialBasis } from './radial.ts';
import { radialMoments, radialQuadrature, radialValues } from './radial.ts';
import { gaussLegendre } from '../common/quadrature.ts';
import { compositeRule, legendre, pochhammer, smearedKernel } from './special.ts';

/** Nodes per panel in s (inner) and x (outer). Node doubling changes fixture values by < 1e-12 (test). */
const INNER_ORDER = 16;
const OUTER_ORDER = 16;
/** Far-field series length (lode.md §2.3: "~10 terms"); README §3 uses 12. */
export const FARFIELD_TERMS = 12;
/** Table spacing as a fraction of the smallest length scale (min of sigma and the basis scale). */
const TABLE_STEPS_PER_SCALE = 16;
/** Points per side of the Lagrange interpolation stencil (6-point, quintic). */
const STENCIL = 6;

export interface PairIntegralRule {
  readonly p: number;
  readonly sigma: number;
  readonly basis: LodeRadialBasis;
  readonly inner: { x: Float64Array; w: Float64Array };
  readonly outer: { x: Float64Array; w: Float64Array };
}

export function createPairIntegralRule(basis: LodeRadialBasis, p: number, sigma: number, order = 1): PairIntegralRule {
  return { p, sigma, basis, inner: gaussLegendre(INNER_ORDER * order), outer: gaussLegendre(OUTER_ORDER * order) };
}

/**
 * Itilde_nl(d) into out[l*nRadial + n] by direct quadrature (slow reference path, ~ms per d).
 * d = 0 gives only l = 0 (4 pi int x² R_n0 f_p).
 */
export function pairIntegrals(out: Float64Array, rule: PairIntegralRule, d: number): Float64Array {
  const b = rule.basis, L = b.lMax, N = b.nRadial, W = (L + 1) * N, sigma = rule.sigma, p = rule.p;
  out.fill(0, 0, W);
  const xr = outerRule(rule, d);
  const rv = new Float64Array(W), prim = new Float64Array(N), jl = new Float64Array(L + 1), pl = new Float64Array(L + 1);
  const gx = rule.inner.x, gw = rule.inner.w;
  for (let q = 0; q < xr.x.length; q++) {
    const x = xr.x[q];
    radialValues(rv, b, x, prim);
    jl.fill(0);
    if (d === 0) {
      jl[0] = 2 * smearedKernel(p, sigma, x);
    } else {
      // (1/(x d)) int_{|x-d|}^{x+d} s f_p(s) P_l(u(s)) ds over kernel-scale panels
      const lo = Math.abs(x - d), hi = x + d;
      let a = lo;
      let edge = 2 * sigma;
      while (edge <= a) edge *= 2;
      const inv2xd = 1 / (2 * x * d), x2d2 = x * x + d * d;
      while (a < hi) {
        const bnd = Math.min(edge, hi);
        const half = 0.5 * (bnd - a), mid = 0.5 * (bnd + a);
        for (let i = 0; i < gx.length; i++) {
          const s = mid + half * gx[i];
          const u = Math.max(-1, Math.min(1, (x2d2 - s * s) * inv2xd));
          legendre(pl, L, u);
          const f = gw[i] * half * s * smearedKernel(p, sigma, s);
          for (let l = 0; l <= L; l++) jl[l] += f * pl[l];
        }
        a = bnd;
        edge *= 2;
      }
      const inv = 1 / (x * d);
      for (let l = 0; l <= L; l++) jl[l] *= inv;
    }
    const f = 2 * Math.PI * xr.w[q] * x * x;
    for (let l = 0; l <= L; l++) for (let n = 0; n < N; n++) out[l * N + n] += f * rv[l * N + n] * jl[l];
  }
  return out;
}

/** GTO extent for the pair integrals in units of sigma_max: R_n(10 sigma_max) ~ e^-50 (vs 14 for moments). */
const PAIR_SUPPORT_SIGMAS = 10;

/**
 * Outer x rule for distance d: panels of the kernel width sigma on [d - 3 sigma, d + 3 sigma],
 * where the inner integral varies fastest, and of twice the smaller of sigma and the basis scale
 * elsewhere (R_nl and the inner integral are smooth there).
 */
function outerRule(rule: PairIntegralRule, d: number): { x: Float64Array; w: Float64Array } {
  const b = rule.basis, sigma = rule.sigma;
  const top = b.kind === 'gto' ? PAIR_SUPPORT_SIGMAS * b.sigmaN[b.nRadial - 1] : b.support;
  const wide = 2 * Math.min(sigma, b.scale), narrow = Math.min(sigma, b.scale);
  const lo = Math.max(0, d - 3 * sigma), hi = Math.min(top, d + 3 * sigma);
  const parts: { x: Float64Array; w: Float64Array }[] = [];
  if (lo > 0) parts.push(compositeRule(0, Math.min(lo, top), [], wide, rule.outer));
  if (hi > lo) parts.push(compositeRule(lo, hi, [d], narrow, rule.outer));
  if (top > Math.max(hi, lo)) parts.push(compositeRule(Math.max(hi, lo), top, [], wide, rule.outer));
  let n = 0;
  for (const q of parts) n += q.x.length;
  const x = new Float64Array(n), w = new Float64Array(n);
  let o = 0;
  for (const q of parts) { x.set(q.x, o); w.set(q.w, o); o += q.x.length; }
  return { x, w };
}

/** Far-field switch distance d_sw (lode.md §2.2): 12 sigma_max + 6 sigma (GTO), r_c + 6 sigma (monomial). */
export function farFieldSwitch(basis: LodeRadialBasis, sigma: number): number {
  if (basis.kind === 'monomial') return basis.rc + 6 * sigma;
  return 12 * basis.sigmaN[basis.nRadial - 1] + 6 * sigma;
}

/**
 * A_(nl,k)(p) = 4 pi (p/2)_(l+k) ((p-1)/2)_k / ((3/2)_(l+k) k!) M_(nl,l+2k) (lode.md §2.3), laid out
 * [l][n][k] (index (l*N + n)*FARFIELD_TERMS + k).
 */
export function farFieldCoefficients(basis: LodeRadialBasis, p: number, sigma: number): Float64Array {
  const L = basis.lMax, N = basis.nRadial, K = FARFIELD_TERMS;
  const quad = radialQuadrature(basis, sigma, 0);
  const out = new Float64Array((L + 1) * N * K);
  let kfact = 1;
  for (let k = 0; k < K; k++) {
    if (k > 0) kfact *= k;
    for (let l = 0; l <= L; l++) {
      const m = radialMoments(basis, quad, l + 2 * k);
      const c = (4 * Math.PI * pochhammer(p / 2, l + k) * pochhammer((p - 1) / 2, k)) / (pochhammer(1.5, l + k) * kfact);
      for (let n = 0; n < N; n++) out[(l * N + n) * K + k] = c * m[l * N + n];
    }
  }
  return out;
}

/** Itilde_nl(d) from the far-field series into out[l*N + n]. */
export function farFieldPairIntegrals(out: Float64Array, a: Float64Array, L: number, N: number, p: number, d: number): Float64Array {
  const K = FARFIELD_TERMS;
  const inv = 1 / d, inv2 = inv * inv;
  let base = Math.pow(inv, p);
  for (let l = 0; l <= L; l++) {
    for (let n = 0; n < N; n++) {
      const o = (l * N + n) * K;
      // Horner in 1/d²
      let s = a[o + K - 1];
      for (let k = K - 2; k >= 0; k--) s = s * inv2 + a[o + k];
      out[l * N + n] = s * base;
    }
    base *= inv;
  }
  return out;
}

/** Tabulated Itilde_nl on [0, dMax] with uniform spacing h: values[i*W + l*N + n]. */
export interface PairIntegralTable {
  readonly h: number;
  readonly count: number;
  readonly values: Float64Array;
}

export function buildPairIntegralTable(rule: PairIntegralRule): PairIntegralTable {
  const b = rule.basis, W = (b.lMax + 1) * b.nRadial;
  const dSwitch = farFieldSwitch(b, rule.sigma);
  const h = Math.min(rule.sigma, b.scale) / TABLE_STEPS_PER_SCALE;
  const count = Math.ceil(dSwitch / h) + STENCIL;
  const values = new Float64Array(count * W);
  const tmp = new Float64Array(W);
  for (let i = 0; i < count; i++) {
    pairIntegrals(tmp, rule, i * h);
    values.set(tmp, i * W);
  }
  return { h, count, values };
}

/**
 * Itilde_nl(d) from the table (6-point Lagrange on the uniform grid), for d < d_sw (beyond, use
 * farFieldPairIntegrals). No allocation; `w6` is scratch of 6 values.
 */
export function interpolatePairIntegrals(out: Float64Array, t: PairIntegralTable, L: number, N: number,
  d: number, w6: Float64Array): Float64Array {
  const W = (L + 1) * N;
  const u = d / t.h;
  let i0 = Math.floor(u) - 2;
  if (i0 < 0) i0 = 0;
  if (i0 > t.count - STENCIL) i0 = t.count - STENCIL;
  const xr = u - i0;
  // Lagrange weights on nodes 0..5 at xr
  for (let j = 0; j < STENCIL; j++) {
    let wj = 1;
    for (let m = 0; m < STENCIL; m++) if (m !== j) wj *= (xr - m) / (j - m);
    w6[j] = wj;
  }
  const v = t.values;
  for (let c = 0; c < W; c++) {
    let s = 0;
    for (let j = 0; j < STENCIL; j++) s += w6[j] * v[(i0 + j) * W + c];
    out[c] = s;
  }
  return out;
}
