/**
 * SOAP power spectrum, dscribe-compatible (soap.md), with the SOAPify filled + L2-normalised layout
 * (soap.md §8). Shape: planSoap(params) once per parameter set, createSoapScratch(plan) once per
 * thread, then buildNeighbourList + soapFrame per frame (or computeSoap for one-off use).
 */
import { buildNeighbourList, createNeighbourList, type NeighbourList } from '../../geometry/neighbours.ts';
import { atomicNumber } from '../common/elements.ts';
import { fastExp } from '../common/fast-exp.ts';
import { createYlmTable, solidHarmonics, type YlmTable } from '../common/ylm.ts';
import { gtoBasis, polynomialBasis, POLY_QUADRATURE_POINTS, type GtoBasis, type PolynomialBasis } from './basis.ts';
import { createSoapWasmKernel, type SoapWasmKernel } from './wasm/soap-wasm.ts';

export type SoapRbf = 'gto' | 'polynomial';
/** 'off': all species pairs (dscribe compression off = v1 crossover=True); 'crossover': a = b pairs only (soap.md §6.3). */
export type SoapCompression = 'off' | 'crossover';
/** 'compact': dscribe's raw vector (§6.2); 'filled': SOAPify fill + L2 normalisation (§8.1-8.2). */
export type SoapLayout = 'compact' | 'filled';

/** Optional radial weighting of soap.md §7 (r = neighbour distance, Å). */
export interface SoapWeighting {
  function: 'poly' | 'pow' | 'exp';
  r0: number;
  c: number;
  m?: number;
  d?: number;
  /** Weight of atoms at the centre (r = 0), overriding the function (0 hides the centre). */
  w0?: number;
}

export interface SoapParams {
  rCut: number;
  nMax: number;
  lMax: number;
  /** Gaussian width (Å), default 1. */
  sigma?: number;
  rbf?: SoapRbf;
  /** Species symbols; de-duplicated and sorted by atomic number (§1). */
  species: readonly string[];
  /** Use the cell and its periodic images; default: true when the frame has a cell (SOAPify). */
  periodic?: boolean;
  compression?: SoapCompression;
  layout?: SoapLayout;
  weighting?: SoapWeighting | null;
  /** soapFrame implementation for scratches of this plan (createSoapScratch); default DEFAULT_SOAP_KERNEL. */
  kernel?: SoapKernel;
}

export interface SoapPlan {
  readonly params: Readonly<SoapParams>;
  /** Species in feature order (ascending Z; non-elements last, by name). */
  readonly species: readonly string[];
  readonly nMax: number;
  readonly lMax: number;
  readonly sigma: number;
  readonly eta: number;
  readonly rbf: SoapRbf;
  readonly compression: SoapCompression;
  readonly layout: SoapLayout;
  /** R_nb = rCut + 3.7169221888498383 sigma (§2): the neighbour radius for buildNeighbourList. */
  readonly neighbourRadius: number;
  /** Values per row of soapFrame's output (compact or filled width). */
  readonly width: number;
  readonly compactWidth: number;
  readonly filledWidth: number;
  /** Species pairs in feature order with their [start, stop) in the output layout. */
  readonly blocks: readonly { a: number; b: number; start: number; stop: number }[];
  readonly gto: GtoBasis | null;
  readonly poly: PolynomialBasis | null;
  readonly weighting: SoapWeighting | null;
}

export interface SoapScratch {
  readonly ylm: YlmTable;
  /** Solid harmonics of one neighbour, (L+1)². */
  readonly y: Float64Array;
  /** Primitive sums (GTO) at sp*N*(L+1)² + N*l² + k*(2l+1) + (m+l). */
  readonly prim: Float64Array;
  /** c_nlm at sp*N*(L+1)² + N*l² + n*(2l+1) + (m+l). */
  readonly cnlm: Float64Array;
  /** Polynomial radial integrals per neighbour, n*(L+1) + l, and F_l per quadrature point. */
  readonly radial: Float64Array;
  readonly f: Float64Array;
  /** One compact row, for the filled layout's normalisation pass. */
  readonly row: Float64Array;
  /** Per-centre neighbours sorted by species (grown on demand) and one block's harmonics/radial factors. */
  readonly batch: { cap: number; r2: Float64Array; w: Float64Array; dx: Float64Array; dy: Float64Array; dz: Float64Array;
    ylm: Float64Array; rad: Float64Array };
  /** Species segment starts (S + 1) and fill pointers (S) of the batch. */
  readonly spStart: Int32Array;
  readonly spFill: Int32Array;
  /** Which soapFrame path this scratch runs: the WebAssembly SIMD kernel (GTO) or TypeScript (the reference). */
  readonly kernel: SoapKernel;
  /** The wasm kernel instance when kernel = 'wasm'. */
  readonly wasm: SoapWasmKernel | null;
  /** Per-entry radial weights for the wasm path with a weighting (grown on demand). */
  weights: Float64Array;
}

/** soapFrame implementation: 'wasm' (wasm/assembly/kernel.ts, GTO only, same rows to <= 1e-12) or 'ts'. */
export type SoapKernel = 'wasm' | 'ts';

/** Default kernel for GTO plans when WebAssembly SIMD is available (README "SOAP engine" has the figures). */
export const DEFAULT_SOAP_KERNEL: SoapKernel = 'wasm';

/** sqrt(-2 ln 1e-3) to 17 digits (soap.md §2): the padding of the neighbour radius, in units of sigma. */
export const SOAP_RADIUS_PADDING = 3.7169221888498383;

/** Sorting key: atomic number, non-elements after all elements. */
function speciesKey(s: string): number {
  const z = atomicNumber(s);
  return z > 0 ? z : 1000;
}

/** Species de-duplicated and ordered as in dscribe (ascending Z). */
export function sortSpecies(species: readonly string[]): string[] {
  const uniq = [...new Set(species.map((s) => s.trim()))];
  return uniq.sort((x, y) => speciesKey(x) - speciesKey(y) || (x < y ? -1 : x > y ? 1 : 0));
}

/** Builds the constant part of a SOAP computation. Throws RangeError on bad parameters. */
export function planSoap(params: SoapParams): SoapPlan {
  const { rCut, nMax, lMax } = params;
  const sigma = params.sigma ?? 1;
  const rbf = params.rbf ?? 'gto';
  const compression = params.compression ?? 'off';
  const layout = params.layout ?? 'compact';
  if (!Number.isInteger(nMax) || nMax < 1 || nMax > 64) throw new RangeError(`nMax must be an integer in 1..64, got ${nMax}`);
  if (!Number.isInteger(lMax) || lMax < 0 || lMax > 20) throw new RangeError(`lMax must be an integer in 0..20, got ${lMax}`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`sigma must be > 0, got ${sigma}`);
  if (rbf !== 'gto' && rbf !== 'polynomial') throw new RangeError(`rbf must be "gto" or "polynomial", got ${String(rbf)}`);
  if (rbf === 'gto' && !(rCut > 1)) throw new RangeError(`rCut must be > 1 Å for the GTO basis (soap.md §1), got ${rCut}`);
  if (!(rCut > 0) || !Number.isFinite(rCut)) throw new RangeError(`rCut must be > 0, got ${rCut}`);
  if (compression !== 'off' && compression !== 'crossover') throw new RangeError(`compression must be "off" or "crossover", got ${String(compression)}`);
  if (layout !== 'compact' && layout !== 'filled') throw new RangeError(`layout must be "compact" or "filled", got ${String(layout)}`);
  const species = sortSpecies(params.species);
  if (species.length === 0 || species.some((s) => s.length === 0)) throw new RangeError('species must list at least one non-empty symbol');
  const w = params.weighting ?? null;
  if (w) {
    if (!['poly', 'pow', 'exp'].includes(w.function)) throw new RangeError(`weighting function must be poly, pow or exp, got ${String(w.function)}`);
    if (!(w.r0 > 0)) throw new RangeError(`weighting r0 must be > 0, got ${w.r0}`);
  }
  const S = species.length, N = nMax, L = lMax;
  const blocks: { a: number; b: number; start: number; stop: number }[] = [];
  let compactWidth = 0, filledWidth = 0;
  const pairs: [number, number][] = [];
  for (let a = 0; a < S; a++) for (let b = a; b < S; b++) if (compression === 'off' || a === b) pairs.push([a, b]);
  for (const [a, b] of pairs) {
    const cSize = (a === b ? (N * (N + 1)) / 2 : N * N) * (L + 1);
    const fSize = N * N * (L + 1);
    blocks.push({ a, b, start: layout === 'compact' ? compactWidth : filledWidth, stop: layout === 'compact' ? compactWidth + cSize : filledWidth + fSize });
    compactWidth += cSize; filledWidth += fSize;
  }
  return {
    params: { ...params }, species, nMax: N, lMax: L, sigma, eta: 1 / (2 * sigma * sigma), rbf, compression, layout,
    neighbourRadius: rCut + SOAP_RADIUS_PADDING * sigma,
    width: layout === 'compact' ? compactWidth : filledWidth, compactWidth, filledWidth, blocks,
    gto: rbf === 'gto' ? gtoBasis(rCut, N, L, sigma) : null,
    poly: rbf === 'polynomial' ? polynomialBasis(rCut, N, sigma) : null,
    weighting: w,
  };
}

/**
 * Per-thread work buffers for soapFrame. opts.kernel: 'wasm' (default DEFAULT_SOAP_KERNEL) uses the
 * SIMD kernel for GTO plans where WebAssembly SIMD compiles, and falls back to 'ts' otherwise
 * (polynomial basis, no SIMD); s.kernel says which one runs. Without opts.kernel, plan.params.kernel
 * decides (so a worker pool follows the params it is sent).
 */
export function createSoapScratch(plan: SoapPlan, opts: { kernel?: SoapKernel } = {}): SoapScratch {
  const LL = (plan.lMax + 1) ** 2, S = plan.species.length, N = plan.nMax;
  const want = opts.kernel ?? plan.params.kernel ?? DEFAULT_SOAP_KERNEL;
  if (want !== 'wasm' && want !== 'ts') throw new RangeError(`kernel must be "wasm" or "ts", got ${String(want)}`);
  const ylm = createYlmTable(plan.lMax);
  const wasm = want === 'wasm' && plan.gto ? createSoapWasmKernel({ nMax: N, lMax: plan.lMax, nSpecies: S, gto: plan.gto, ylm,
    blocks: plan.blocks, neighbourRadius: plan.neighbourRadius, compactWidth: plan.compactWidth }) : null;
  return {
    kernel: wasm ? 'wasm' : 'ts', wasm, weights: new Float64Array(0),
    ylm, y: new Float64Array(LL), prim: new Float64Array(S * N * LL),
    cnlm: new Float64Array(S * N * LL), radial: new Float64Array(N * (plan.lMax + 1)),
    f: new Float64Array((plan.lMax + 1) * POLY_QUADRATURE_POINTS), row: new Float64Array(plan.compactWidth),
    batch: { cap: 0, r2: new Float64Array(0), w: new Float64Array(0), dx: new Float64Array(0), dy: new Float64Array(0),
      dz: new Float64Array(0), ylm: new Float64Array(0), rad: new Float64Array(0) },
    spStart: new Int32Array(S + 1), spFill: new Int32Array(S),
  };
}

/**
 * Per-atom species codes for a plan: index into plan.species, or -1 for atoms excluded from the
 * density (only when `ignoreUnknown`; otherwise an unknown species is a RangeError, as in dscribe).
 */
export function speciesCodes(plan: SoapPlan, atomSpecies: readonly string[], ignoreUnknown = false,
  out: Int32Array = new Int32Array(atomSpecies.length)): Int32Array {
  const map = new Map(plan.species.map((s, i) => [s, i]));
  for (let i = 0; i < atomSpecies.length; i++) {
    const code = map.get(atomSpecies[i].trim());
    if (code === undefined) {
      if (!ignoreUnknown) throw new RangeError(`atom ${i} has species "${atomSpecies[i]}", which is not in the SOAP species list [${plan.species.join(', ')}]`);
      out[i] = -1;
    } else out[i] = code;
  }
  return out;
}

/** Radial weight of soap.md §7 at distance r (Å). */
function weightAt(w: SoapWeighting, r2: number): number {
  if (w.w0 !== undefined && r2 <= COINCIDENT_R2) return w.w0;
  const r = Math.sqrt(r2), m = w.m ?? 1, d = w.d ?? 0;
  switch (w.function) {
    case 'poly': return r <= w.r0 ? w.c * Math.pow(1 + 2 * (r / w.r0) ** 3 - 3 * (r / w.r0) ** 2, m) : 0;
    case 'pow': return w.c / (d + Math.pow(r / w.r0, m));
    default: return w.c / (d + Math.exp(-r / w.r0));
  }
}

/** soap.md §5: atoms closer than this (d² <= 1e-12 Å²) to the centre count as at the centre. */
const COINCIDENT_R2 = 1e-12;

/** dscribe's cut in F_l (soap.md §5): exp(-eta (r ± rho)²) is set to 0 when r ± rho > 5. */
const POLY_EXP_CUT = 5.0;

/** Grows the per-centre neighbour batch of the scratch to hold `need` neighbours. */
function ensureBatch(plan: SoapPlan, s: SoapScratch, need: number): void {
  if (need <= s.batch.cap) return;
  let cap = Math.max(64, s.batch.cap);
  while (cap < need) cap *= 2;
  const LL = (plan.lMax + 1) ** 2, NL = plan.nMax * (plan.lMax + 1);
  s.batch.cap = cap;
  s.batch.r2 = new Float64Array(cap);
  s.batch.w = new Float64Array(cap);
  s.batch.dx = new Float64Array(cap);
  s.batch.dy = new Float64Array(cap);
  s.batch.dz = new Float64Array(cap);
  if (s.batch.ylm.length < LL * BLOCK) {
    s.batch.ylm = new Float64Array(LL * BLOCK);
    s.batch.rad = new Float64Array(NL * BLOCK);
  }
}

/** Neighbours per block: the block's harmonics and radial factors (~75 kB) stay in L1/L2 cache. */
const BLOCK = 64;

/**
 * Accumulates c_nlm of centre c (entries of nl) into s.cnlm (GTO, soap.md §4 closed form).
 * Neighbours are sorted by species, then handled in blocks of BLOCK: solid harmonics ylm[lm][p]
 * and radial factors rad[u][p] = w exp(-gamma_u d²) column-major, and prim[k][lm] += sum_p rad * ylm
 * as register-blocked dot products (the hot loop); finally c = coef^(l) prim once per centre.
 */
function expandGto(plan: SoapPlan, g: GtoBasis, nl: NeighbourList, c: number, codes: Int32Array, s: SoapScratch): void {
  const N = plan.nMax, L = plan.lMax, LL = (L + 1) * (L + 1), NLL = N * LL, S = plan.species.length;
  const wgt = plan.weighting, spStart = s.spStart;
  const e0 = nl.offsets[c], e1 = nl.offsets[c + 1];
  ensureBatch(plan, s, e1 - e0);
  const b = s.batch, br2 = b.r2, bw = b.w, bx = b.dx, by = b.dy, bz = b.dz, ylm = b.ylm, rad = b.rad;
  const idx = nl.index;
  // Counting sort of this centre's neighbours by species.
  spStart.fill(0);
  // A list built with a larger radius (shared with LENS, say) is cut to R_nb here (soap.md §2, inclusive).
  const rMax2 = plan.neighbourRadius * plan.neighbourRadius, ar2 = nl.r2;
  for (let e = e0; e < e1; e++) { const sp = codes[idx[e]]; if (sp >= 0 && ar2[e] <= rMax2) spStart[sp + 1]++; }
  for (let sp = 0; sp < S; sp++) spStart[sp + 1] += spStart[sp];
  const fill = s.spFill;
  for (let sp = 0; sp < S; sp++) fill[sp] = spStart[sp];
  const ax = nl.dx, ay = nl.dy, az = nl.dz, tab = s.ylm;
  for (let e = e0; e < e1; e++) {
    const sp = codes[idx[e]];
    const r2 = ar2[e];
    if (sp < 0 || r2 > rMax2) continue;
    const p = fill[sp]++;
    br2[p] = r2; bx[p] = ax[e]; by[p] = ay[e]; bz[p] = az[e];
    bw[p] = wgt ? weightAt(wgt, r2) : 1;
  }
  // One radial row per distinct exponent (alpha does not depend on l when a_k = 1: soap.md §4).
  const gam = g.uniqueGammas, rowOf = g.gammaRow, nU = gam.length;
  const prim = s.prim, cn = s.cnlm, coef = g.coefs;
  prim.fill(0);
  for (let sp = 0; sp < S; sp++) {
    const base = sp * NLL;
    for (let q0 = spStart[sp], qEnd = spStart[sp + 1]; q0 < qEnd; q0 += BLOCK) {
      const nb = Math.min(BLOCK, qEnd - q0);
      for (let p = 0; p < nb; p++) solidHarmonics(ylm, tab, bx[q0 + p], by[q0 + p], bz[q0 + p], p, BLOCK);
      for (let u = 0; u < nU; u++) {
        const gk = gam[u], row = u * BLOCK;
        for (let p = 0; p < nb; p++) rad[row + p] = bw[q0 + p] * fastExp(-gk * br2[q0 + p]);
      }
      for (let l = 0; l <= L; l++) {
        const tl = 2 * l + 1, ll = l * l, blk = base + N * ll;
        // 4 radial rows x 2 harmonic rows per pass: 6 loads feed 8 multiply-adds.
        let k = 0;
        for (; k + 3 < N; k += 4) {
          const r0 = rowOf[l * N + k] * BLOCK, r1 = rowOf[l * N + k + 1] * BLOCK, r2 = rowOf[l * N + k + 2] * BLOCK, r3 = rowOf[l * N + k + 3] * BLOCK;
          let m = 0;
          for (; m + 1 < tl; m += 2) {
            const y0 = (ll + m) * BLOCK, y1 = y0 + BLOCK;
            let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
            for (let p = 0; p < nb; p++) {
              const u = ylm[y0 + p], v = ylm[y1 + p];
              const f0 = rad[r0 + p], f1 = rad[r1 + p], f2 = rad[r2 + p], f3 = rad[r3 + p];
              a0 += f0 * u; a1 += f1 * u; a2 += f2 * u; a3 += f3 * u;
              b0 += f0 * v; b1 += f1 * v; b2 += f2 * v; b3 += f3 * v;
            }
            const o = blk + k * tl + m;
            prim[o] += a0; prim[o + tl] += a1; prim[o + 2 * tl] += a2; prim[o + 3 * tl] += a3;
            prim[o + 1] += b0; prim[o + 1 + tl] += b1; prim[o + 1 + 2 * tl] += b2; prim[o + 1 + 3 * tl] += b3;
          }
          for (; m < tl; m++) {
            const yrow = (ll + m) * BLOCK;
            let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (let p = 0; p < nb; p++) {
              const yv = ylm[yrow + p];
              a0 += rad[r0 + p] * yv;
              a1 += rad[r1 + p] * yv;
              a2 += rad[r2 + p] * yv;
              a3 += rad[r3 + p] * yv;
            }
            const o = blk + k * tl + m;
            prim[o] += a0; prim[o + tl] += a1; prim[o + 2 * tl] += a2; prim[o + 3 * tl] += a3;
          }
        }
        for (; k < N; k++) {
          const rrow = rowOf[l * N + k] * BLOCK;
          for (let m = 0; m < tl; m++) {
            const yrow = (ll + m) * BLOCK;
            let a0 = 0;
            for (let p = 0; p < nb; p++) a0 += rad[rrow + p] * ylm[yrow + p];
            prim[blk + k * tl + m] += a0;
          }
        }
      }
    }
    // c_nlm = sum_k coef^(l)_nk prim_klm.
    for (let l = 0; l <= L; l++) {
      const tl = 2 * l + 1, blk = base + N * l * l, cl = l * N * N;
      for (let n = 0; n < N; n++) {
        const o = blk + n * tl;
        for (let m = 0; m < tl; m++) {
          let acc = 0;
          for (let k = 0; k < N; k++) acc += coef[cl + n * N + k] * prim[blk + k * tl + m];
          cn[o + m] = acc;
        }
      }
    }
  }
}

/** Accumulates c_nlm of centre c into s.cnlm (polynomial basis, quadrature of soap.md §5). */
function expandPoly(plan: SoapPlan, p: PolynomialBasis, nl: NeighbourList, c: number, codes: Int32Array, s: SoapScratch): void {
  const N = plan.nMax, L = plan.lMax, LL = (L + 1) * (L + 1), NLL = N * LL, Q = POLY_QUADRATURE_POINTS;
  const eta = plan.eta, cn = s.cnlm, y = s.y, f = s.f, rad = s.radial, rq = p.radii, wq = p.weights, wgt = plan.weighting;
  cn.fill(0);
  const rMax2 = plan.neighbourRadius * plan.neighbourRadius;
  for (let e = nl.offsets[c], end = nl.offsets[c + 1]; e < end; e++) {
    const sp = codes[nl.index[e]];
    const r2 = nl.r2[e];
    if (sp < 0 || r2 > rMax2) continue;
    const w = wgt ? weightAt(wgt, r2) : 1;
    if (w === 0) continue;
    const base = sp * NLL;
    if (r2 <= COINCIDENT_R2) {
      for (let n = 0; n < N; n++) cn[base + n] += w * p.selfTerm[n]; // l = 0, m = 0: offset N*0 + n*1 + 0
      continue;
    }
    const rho = Math.sqrt(r2);
    solidHarmonics(y, s.ylm, nl.dx[e] / rho, nl.dy[e] / rho, nl.dz[e] / rho);
    // F_l(r_q, rho) by dscribe's upward recursion, clamped at 0.
    for (let q = 0; q < Q; q++) {
      const r = rq[q];
      const em = r - rho > POLY_EXP_CUT ? 0 : fastExp(-eta * (r - rho) * (r - rho));
      const ep = r + rho > POLY_EXP_CUT ? 0 : fastExp(-eta * (r + rho) * (r + rho));
      const u = 1 / (4 * eta * r * rho);
      const f0 = u * (em - ep);
      f[q] = f0;
      if (L >= 1) {
        let fm2 = f0, fm1 = u * (em + ep - 2 * f0);
        if (fm1 < 0) fm1 = 0;
        f[Q + q] = fm1;
        for (let l = 2; l <= L; l++) {
          let fl = fm2 - (4 * l - 2) * u * fm1;
          if (fl < 0) fl = 0;
          f[l * Q + q] = fl;
          fm2 = fm1; fm1 = fl;
        }
      }
    }
    for (let n = 0; n < N; n++) {
      for (let l = 0; l <= L; l++) {
        let acc = 0;
        for (let q = 0; q < Q; q++) acc += wq[n * Q + q] * f[l * Q + q];
        rad[n * (L + 1) + l] = acc * w;
      }
    }
    for (let l = 0; l <= L; l++) {
      const ll = l * l, tl = 2 * l + 1, blk = base + N * ll;
      for (let n = 0; n < N; n++) {
        const v = rad[n * (L + 1) + l], o = blk + n * tl;
        for (let m = 0; m < tl; m++) cn[o + m] += v * y[ll + m];
      }
    }
  }
}

/**
 * Density coefficients c_nlm of centre c (0-based entry of nl) into s.cnlm, laid out
 * [species][l][n][m] at sp*N*(L+1)² + N*l² + n*(2l+1) + (m+l), harmonics of common/ylm.ts
 * (the LODE convention, lode.md §1.1). Same neighbour-list contract as soapFrame.
 */
export function soapCoefficients(plan: SoapPlan, nl: NeighbourList, c: number, codes: Int32Array, s: SoapScratch): Float64Array {
  if (plan.gto) expandGto(plan, plan.gto, nl, c, codes, s);
  else expandPoly(plan, plan.poly!, nl, c, codes, s);
  return s.cnlm;
}

/** Writes the compact power spectrum (§6.1-6.2) of s.cnlm into out[off..]. */
function powerCompact(plan: SoapPlan, cn: Float64Array, out: Float64Array, off: number): void {
  const N = plan.nMax, L = plan.lMax, NLL = N * (L + 1) * (L + 1);
  let pos = off;
  for (const { a, b } of plan.blocks) {
    for (let l = 0; l <= L; l++) {
      const tl = 2 * l + 1, pref = Math.PI * Math.sqrt(8 / tl);
      const ba = a * NLL + N * l * l, bb = b * NLL + N * l * l;
      for (let n = 0; n < N; n++) {
        for (let q = a === b ? n : 0; q < N; q++) {
          let acc = 0;
          const oa = ba + n * tl, ob = bb + q * tl;
          for (let m = 0; m < tl; m++) acc += cn[oa + m] * cn[ob + m];
          out[pos++] = pref * acc;
        }
      }
    }
  }
}

/**
 * SOAPify fill (§8.1) of one compact row `p` (plan's compact layout) into out[off..off+filledWidth).
 * Same-species blocks: entry (l, n, n') = p[l, min, max]; cross blocks copied unchanged.
 */
export function fillSoapRow(plan: SoapPlan, p: ArrayLike<number>, pOff: number, out: Float64Array, off: number): void {
  const N = plan.nMax, L = plan.lMax, tri = (N * (N + 1)) / 2;
  let src = pOff, dst = off;
  for (const { a, b } of plan.blocks) {
    if (a === b) {
      for (let l = 0; l <= L; l++) {
        const lb = src + l * tri;
        for (let n = 0; n < N; n++) {
          for (let q = 0; q < N; q++) {
            const i = Math.min(n, q), j = Math.max(n, q);
            out[dst++] = p[lb + i * N - (i * (i - 1)) / 2 + (j - i)];
          }
        }
      }
      src += tri * (L + 1);
    } else {
      for (let k = 0; k < N * N * (L + 1); k++) out[dst++] = p[src++];
    }
  }
}

/** Divides out[off..off+width) by its Euclidean norm; a zero vector stays zero (§8.2). */
export function normalizeRow(out: Float64Array, off: number, width: number): void {
  let ss = 0;
  for (let k = 0; k < width; k++) ss += out[off + k] * out[off + k];
  if (ss === 0) return;
  const inv = 1 / Math.sqrt(ss);
  for (let k = 0; k < width; k++) out[off + k] *= inv;
}

/**
 * SOAP rows of every centre of a neighbour list built with radius >= plan.neighbourRadius (entries
 * beyond it are skipped) and includeSelf = true (soap.md §2: the centre and its images are part of
 * the density).
 * codes: per-atom species code (speciesCodes). Writes nl.n rows of plan.width float64 values,
 * row-major, into out starting at outOffset; out is owned by the caller. No allocation.
 */
export function soapFrame(plan: SoapPlan, nl: NeighbourList, codes: Int32Array, out: Float64Array,
  outOffset: number, s: SoapScratch): void {
  if (out.length < outOffset + nl.n * plan.width) throw new RangeError(`output holds ${out.length - outOffset} values after the offset, need ${nl.n * plan.width}`);
  if (s.wasm) { soapFrameWasm(plan, nl, codes, out, outOffset, s, s.wasm); return; }
  for (let c = 0; c < nl.n; c++) {
    soapCoefficients(plan, nl, c, codes, s);
    const off = outOffset + c * plan.width;
    if (plan.layout === 'compact') powerCompact(plan, s.cnlm, out, off);
    else {
      powerCompact(plan, s.cnlm, s.row, 0);
      fillSoapRow(plan, s.row, 0, out, off);
      normalizeRow(out, off, plan.width);
    }
  }
}

/** soapFrame on the wasm kernel: compact rows from wasm, then (filled layout) fill + normalise here. */
function soapFrameWasm(plan: SoapPlan, nl: NeighbourList, codes: Int32Array, out: Float64Array, outOffset: number,
  s: SoapScratch, k: SoapWasmKernel): void {
  const W = plan.width, CW = plan.compactWidth, wgt = plan.weighting;
  let weights: Float64Array | null = null;
  if (wgt) {
    const count = nl.offsets[nl.n];
    if (s.weights.length < count) s.weights = new Float64Array(Math.max(count, 2 * s.weights.length));
    weights = s.weights;
    for (let e = 0; e < count; e++) weights[e] = weightAt(wgt, nl.r2[e]);
  }
  k.compactRows(nl, codes, weights, (c0, c1, rows) => {
    if (plan.layout === 'compact') out.set(rows, outOffset + c0 * W);
    else {
      for (let c = c0; c < c1; c++) {
        const off = outOffset + c * W;
        fillSoapRow(plan, rows, (c - c0) * CW, out, off);
        normalizeRow(out, off, W);
      }
    }
  });
}

/**
 * One-shot SOAP of one frame. positions: 3N Å (wrapped internally on periodic axes); species: per
 * atom symbol; cell: rows a, b, c or null; centres: atom indices (default all). periodic defaults
 * to `cell !== null` (SOAPify); with periodic false the cell is ignored. Returns
 * centres.length x plan.width values, row-major.
 */
export function computeSoap(positions: ArrayLike<number>, species: readonly string[], cell: ArrayLike<number> | null,
  pbc: readonly boolean[], params: SoapParams | SoapPlan, centres?: Int32Array | null,
  opts: { ignoreUnknownSpecies?: boolean; neighbours?: NeighbourList; scratch?: SoapScratch } = {}): Float64Array {
  const plan = 'blocks' in params ? params : planSoap(params);
  const n = species.length;
  const periodic = plan.params.periodic ?? cell !== null;
  if (periodic && !cell) throw new RangeError('periodic SOAP needs a cell');
  const nl = opts.neighbours ?? createNeighbourList();
  buildNeighbourList(nl, positions, n, periodic ? cell : null, pbc, plan.neighbourRadius, centres ?? null, true);
  const codes = speciesCodes(plan, species, opts.ignoreUnknownSpecies ?? false);
  const out = new Float64Array(nl.n * plan.width);
  soapFrame(plan, nl, codes, out, 0, opts.scratch ?? createSoapScratch(plan));
  return out;
}
