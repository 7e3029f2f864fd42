/**
 * LODE radial bases (lode.md §1.4) and the one-dimensional integrals built on them: the Fourier
 * radial integrals I_nl(k) (§2.1), the centre-atom term C_n (§1.5) and the moments M_(nl,t) (§2.3).
 *
 * Values of a basis are laid out [l][n] (index l*nRadial + n); the GTO functions are the same for
 * every l, the monomial basis has one function per l (nRadial = 1).
 */
import { inverseSqrtSymmetric } from '../common/linalg.ts';
import { gaussLegendre } from '../common/quadrature.ts';
import { compositeRule, gammaHalfInteger, smearedKernel, sphericalBessel } from './special.ts';

export type LodeRadialBasisKind = 'gto' | 'monomial';

export interface LodeRadialBasis {
  readonly kind: LodeRadialBasisKind;
  /** Functions per l: N for GTO, 1 for monomial. */
  readonly nRadial: number;
  readonly lMax: number;
  /** Basis radius r_c (Å). */
  readonly rc: number;
  /** Upper end of every radial integral (Å): 14 sigma_max for GTO (not truncated, e^-98), r_c for monomial. */
  readonly support: number;
  /** Smallest length scale of the basis functions (Å): sigma_0 for GTO, r_c for monomial. */
  readonly scale: number;
  /** GTO: widths sigma_n, norms N_n, S^-1/2 (row-major N x N). Empty for monomial. */
  readonly sigmaN: Float64Array;
  readonly normN: Float64Array;
  readonly overlap: Float64Array;
  readonly sInvSqrt: Float64Array;
  /** Monomial: N_l per l. Empty for GTO. */
  readonly normL: Float64Array;
}

/** GTO extent in units of its largest width (lode.md §1.4: "not truncated"; e^(-14²/2) ~ 1e-43). */
const GTO_SUPPORT_SIGMAS = 14;

/** Builds a basis; throws RangeError for bad sizes. */
export function createRadialBasis(kind: LodeRadialBasisKind, nRadial: number, lMax: number, rc: number): LodeRadialBasis {
  if (!(rc > 0) || !Number.isFinite(rc)) throw new RangeError(`LODE cutoff (basis radius) must be > 0, got ${rc}`);
  if (!Number.isInteger(lMax) || lMax < 0 || lMax > 12) throw new RangeError(`LODE maxAngular must be an integer 0..12, got ${lMax}`);
  if (kind === 'monomial') {
    const normL = new Float64Array(lMax + 1);
    for (let l = 0; l <= lMax; l++) normL[l] = Math.sqrt((2 * l + 3) / Math.pow(rc, 2 * l + 3));
    const empty = new Float64Array(0);
    return { kind, nRadial: 1, lMax, rc, support: rc, scale: rc, sigmaN: empty, normN: empty, overlap: empty, sInvSqrt: empty, normL };
  }
  if (kind !== 'gto') throw new RangeError(`LODE radial basis must be "gto" or "monomial", got ${String(kind)}`);
  if (!Number.isInteger(nRadial) || nRadial < 1 || nRadial > 16) throw new RangeError(`LODE maxRadial (GTO count) must be 1..16, got ${nRadial}`);
  const N = nRadial;
  const sigmaN = new Float64Array(N), normN = new Float64Array(N), overlap = new Float64Array(N * N);
  for (let n = 0; n < N; n++) {
    sigmaN[n] = (rc * Math.max(Math.sqrt(n), 1)) / N;
    normN[n] = Math.sqrt(2 / (Math.pow(sigmaN[n], 2 * n + 3) * gammaHalfInteger(n + 1.5)));
  }
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) {
      const alpha = (1 / (sigmaN[a] * sigmaN[a]) + 1 / (sigmaN[b] * sigmaN[b])) / 2;
      const e = (3 + a + b) / 2;
      overlap[a * N + b] = (normN[a] * normN[b] * gammaHalfInteger(e)) / (2 * Math.pow(alpha, e));
    }
  }
  const sInvSqrt = inverseSqrtSymmetric(overlap, N);
  return {
    kind, nRadial: N, lMax, rc, support: GTO_SUPPORT_SIGMAS * sigmaN[N - 1], scale: sigmaN[0],
    sigmaN, normN, overlap, sInvSqrt, normL: new Float64Array(0),
  };
}

/**
 * Writes R_nl(x) into out[l*nRadial + n] for l = 0..lMax. `prim` is scratch of nRadial values.
 * No allocation.
 */
export function radialValues(out: Float64Array, b: LodeRadialBasis, x: number, prim: Float64Array): Float64Array {
  const L = b.lMax, N = b.nRadial;
  if (b.kind === 'monomial') {
    const inside = x < b.rc;
    let xl = 1;
    for (let l = 0; l <= L; l++) {
      out[l] = inside ? b.normL[l] * xl : 0;
      xl *= x;
    }
    return out;
  }
  const x2 = x * x;
  let xn = 1;
  for (let n = 0; n < N; n++) {
    const s = b.sigmaN[n];
    prim[n] = b.normN[n] * xn * Math.exp(-x2 / (2 * s * s));
    xn *= x;
  }
  for (let n = 0; n < N; n++) {
    let v = 0;
    for (let m = 0; m < N; m++) v += b.sInvSqrt[n * N + m] * prim[m];
    for (let l = 0; l <= L; l++) out[l * N + n] = v;
  }
  return out;
}

/** Nodes per panel of the composite Gauss-Legendre rules used for the radial integrals. */
const RADIAL_ORDER = 24;

/**
 * A quadrature in x on [0, support] resolving the basis (panels <= its smallest scale), a kernel of
 * width `sigma`, and oscillations up to wavenumber kMax, holding w x² R_nl(x) per node:
 * weighted[q*(L+1)*N + l*N + n].
 */
export interface RadialQuadrature {
  readonly x: Float64Array;
  readonly weighted: Float64Array;
}

export function radialQuadrature(b: LodeRadialBasis, sigma: number, kMax: number): RadialQuadrature {
  const width = Math.min(b.scale, sigma, kMax > 0 ? Math.PI / kMax : Infinity);
  const rule = compositeRule(0, b.support, [], width, gaussLegendre(RADIAL_ORDER));
  const W = (b.lMax + 1) * b.nRadial;
  const weighted = new Float64Array(rule.x.length * W);
  const vals = new Float64Array(W), prim = new Float64Array(b.nRadial);
  for (let q = 0; q < rule.x.length; q++) {
    const x = rule.x[q];
    radialValues(vals, b, x, prim);
    const f = rule.w[q] * x * x;
    for (let i = 0; i < W; i++) weighted[q * W + i] = f * vals[i];
  }
  return { x: rule.x, weighted };
}

/**
 * I_nl(k) = integral_0^inf r² R_nl(r) j_l(k r) dr into out[l*nRadial + n] (lode.md §2.1).
 * GTO: by the quadrature (which must resolve k); monomial: closed form N_l r_c^(l+2) j_(l+1)(k r_c)/k.
 * `jl` is scratch of lMax + 2 values.
 */
export function radialIntegralsAtK(out: Float64Array, b: LodeRadialBasis, quad: RadialQuadrature, k: number,
  jl: Float64Array): Float64Array {
  const L = b.lMax, N = b.nRadial, W = (L + 1) * N;
  if (b.kind === 'monomial') {
    const rc = b.rc;
    if (k === 0) {
      out.fill(0, 0, W);
      out[0] = (b.normL[0] * rc * rc * rc) / 3;
      return out;
    }
    sphericalBessel(jl, L + 1, k * rc);
    let rcl = rc * rc;
    for (let l = 0; l <= L; l++) {
      out[l] = (b.normL[l] * rcl * jl[l + 1]) / k;
      rcl *= rc;
    }
    return out;
  }
  out.fill(0, 0, W);
  const nq = quad.x.length, wt = quad.weighted;
  for (let q = 0; q < nq; q++) {
    sphericalBessel(jl, L, k * quad.x[q]);
    const base = q * W;
    for (let l = 0; l <= L; l++) {
      const j = jl[l];
      for (let n = 0; n < N; n++) out[l * N + n] += wt[base + l * N + n] * j;
    }
  }
  return out;
}

/** C_n = sqrt(4 pi) integral r² R_n0 f_p dr (lode.md §1.5), n = 0..nRadial-1. */
export function centerContribution(b: LodeRadialBasis, p: number, sigma: number): Float64Array {
  const quad = radialQuadrature(b, sigma, 0);
  const N = b.nRadial, W = (b.lMax + 1) * N;
  const out = new Float64Array(N);
  for (let q = 0; q < quad.x.length; q++) {
    const f = smearedKernel(p, sigma, quad.x[q]);
    for (let n = 0; n < N; n++) out[n] += quad.weighted[q * W + n] * f;
  }
  const s = Math.sqrt(4 * Math.PI);
  for (let n = 0; n < N; n++) out[n] *= s;
  return out;
}

/** M_(nl,t) = integral x^(2+t) R_nl(x) dx into a new array [l][n]. Monomial: closed form. */
export function radialMoments(b: LodeRadialBasis, quad: RadialQuadrature, t: number): Float64Array {
  const N = b.nRadial, W = (b.lMax + 1) * N;
  const out = new Float64Array(W);
  if (b.kind === 'monomial') {
    for (let l = 0; l <= b.lMax; l++) out[l] = (b.normL[l] * Math.pow(b.rc, l + t + 3)) / (l + t + 3);
    return out;
  }
  for (let q = 0; q < quad.x.length; q++) {
    const xt = Math.pow(quad.x[q], t);
    for (let i = 0; i < W; i++) out[i] += quad.weighted[q * W + i] * xt;
  }
  return out;
}
