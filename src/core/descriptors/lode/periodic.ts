/**
 * Periodic cells by the reciprocal-space sum (lode.md §2.1):
 *   c^a_(i,nlm) = (8 pi/Omega) sum_{k in H} fhat_p(|k|) I_nl(|k|) Y_lm(khat) s_l T_l(k)
 *               + delta_l0 [p > 3] (N_a/Omega) sqrt(4 pi) fhat_p(0) I_n0(0)   (added by the caller)
 * with T_l = Re (even l) / Im (odd l) of e^(i k.r_i) S_a(k), S_a(k) = sum_{j in a} e^(-i k.r_j).
 *
 * The k-set H is the half space (n1 > 0, or n1 = 0 and n2 > 0, or n1 = n2 = 0 and n3 > 0) with
 * the STRICT test 0 < |k|² < k_c², |k|² evaluated as kx² + ky² + kz² of k = n1 b1 + n2 b2 + n3 b3,
 * b = 2 pi (A^-1)^T: README §4 shows that k-vectors lying on the sphere must be split exactly as
 * the references do (featomic's 6 Å cube).
 */
import { createYlmTable, sphericalHarmonics } from '../common/ylm.ts';
import { cellVolume, invertCell } from '../../geometry/cell.ts';
import type { LodeRadialBasis, RadialQuadrature } from './radial.ts';
import { radialIntegralsAtK } from './radial.ts';
import { smearedKernelFourier } from './special.ts';

/**
 * Per-cell k-space data. The projection matrix A is stored with columns permuted so that all even-l
 * columns (`evenCols` of them) come first, then odd-l ones: colMap[c] = natural index n*(L+1)² + lm.
 */
export interface KSpace {
  readonly cell: Float64Array;
  readonly volume: number;
  readonly nk: number;
  /** Integer triples per k (n1, n2, n3). */
  readonly nvec: Int32Array;
  /** Max |n_i| per axis. */
  readonly nmax: Int32Array;
  /** Reciprocal rows b1, b2, b3 (9 values). */
  readonly recip: Float64Array;
  /** Column-major: a[c*nk + q] for permuted column c (see above) and k-vector q. */
  readonly a: Float64Array;
  readonly width: number;
  readonly evenCols: number;
  readonly colMap: Int32Array;
}

/** Largest projection matrix (doubles, 512 MB) a k-space may hold. */
export const MAX_KSPACE_VALUES = 64 * 1024 * 1024;

/** Column permutation (even l first) for N radial functions and lMax. */
export function parityColumns(N: number, L: number): { colMap: Int32Array; evenCols: number } {
  const nLm = (L + 1) * (L + 1);
  const even: number[] = [], odd: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let l = 0; l <= L; l++) {
      for (let m = -l; m <= l; m++) (l % 2 === 0 ? even : odd).push(n * nLm + l * l + l + m);
    }
  }
  return { colMap: Int32Array.from([...even, ...odd]), evenCols: even.length };
}

/** Builds the half-space k-set and the projection matrix for one cell (rows = lattice vectors). */
export function buildKSpace(cell: Float64Array, basis: LodeRadialBasis, quad: RadialQuadrature, p: number, sigma: number,
  kCutoff: number): KSpace {
  const L = basis.lMax, N = basis.nRadial, nLm = (L + 1) * (L + 1), width = N * nLm;
  const inv = invertCell(new Float64Array(9), cell);
  const twoPi = 2 * Math.PI;
  // b_i = row i of 2 pi (A^-1)^T = 2 pi * column i of A^-1
  const recip = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let c = 0; c < 3; c++) recip[i * 3 + c] = twoPi * inv[c * 3 + i];
  const volume = Math.abs(cellVolume(cell));
  const nmax = new Int32Array(3);
  for (let i = 0; i < 3; i++) {
    const len = Math.hypot(cell[i * 3], cell[i * 3 + 1], cell[i * 3 + 2]);
    nmax[i] = Math.floor((kCutoff * len) / twoPi);
  }
  const kc2 = kCutoff * kCutoff;
  // lode.md §5: N_k ~ Omega k_c³/(12 pi²) half-space vectors; refuse sets whose projection matrix
  // would not fit a worker (e.g. a 100 Å box at sigma 0.5 needs ~3.6e6 k-vectors).
  const estimate = (volume * kc2 * kCutoff) / (12 * Math.PI * Math.PI);
  if (estimate * width > MAX_KSPACE_VALUES) {
    throw new RangeError(`LODE: about ${Math.round(estimate)} k-vectors x ${width} columns exceed the k-space budget ` +
      `(${MAX_KSPACE_VALUES} values); use a larger smearing or a smaller kCutoff`);
  }
  const nv: number[] = [], kv: number[] = [];
  for (let n1 = 0; n1 <= nmax[0]; n1++) {
    for (let n2 = n1 === 0 ? 0 : -nmax[1]; n2 <= nmax[1]; n2++) {
      for (let n3 = n1 === 0 && n2 === 0 ? 1 : -nmax[2]; n3 <= nmax[2]; n3++) {
        const kx = n1 * recip[0] + n2 * recip[3] + n3 * recip[6];
        const ky = n1 * recip[1] + n2 * recip[4] + n3 * recip[7];
        const kz = n1 * recip[2] + n2 * recip[5] + n3 * recip[8];
        const k2 = kx * kx + ky * ky + kz * kz;
        if (k2 > 0 && k2 < kc2) { nv.push(n1, n2, n3); kv.push(kx, ky, kz, k2); }
      }
    }
  }
  const nk = nv.length / 3;
  const { colMap, evenCols } = parityColumns(N, L);
  const a = new Float64Array(nk * width);
  const ylmT = createYlmTable(L);
  const ylm = new Float64Array(nLm);
  const rint = new Float64Array((L + 1) * N), jl = new Float64Array(L + 2);
  const natural = new Float64Array(width);
  // I_nl and fhat depend on |k| only: reuse them across k-vectors of equal |k|² (cubic cells: x24).
  const cache = new Map<number, Float64Array>();
  const pre = (8 * Math.PI) / volume;
  for (let q = 0; q < nk; q++) {
    const kx = kv[4 * q], ky = kv[4 * q + 1], kz = kv[4 * q + 2], k2 = kv[4 * q + 3];
    let radial = cache.get(k2);
    if (!radial) {
      const k = Math.sqrt(k2);
      radialIntegralsAtK(rint, basis, quad, k, jl);
      const fh = smearedKernelFourier(p, sigma, k) * pre;
      radial = new Float64Array((L + 1) * N);
      for (let i = 0; i < radial.length; i++) radial[i] = rint[i] * fh;
      cache.set(k2, radial);
    }
    sphericalHarmonics(ylm, ylmT, kx, ky, kz);
    for (let l = 0; l <= L; l++) {
      // s_l = (-1)^(l/2) for even l, (-1)^((l+1)/2) for odd l
      const half = l % 2 === 0 ? l / 2 : (l + 1) / 2;
      const sl = half % 2 === 0 ? 1 : -1;
      for (let n = 0; n < N; n++) {
        const r = radial[l * N + n] * sl;
        for (let m = -l; m <= l; m++) natural[n * nLm + l * l + l + m] = r * ylm[l * l + l + m];
      }
    }
    for (let c = 0; c < width; c++) a[c * nk + q] = natural[colMap[c]];
  }
  return { cell: Float64Array.from(cell), volume, nk, nvec: Int32Array.from(nv), nmax, recip, a, width, evenCols, colMap };
}

/** Reusable buffers of the periodic path, grown on demand. */
export interface PeriodicWork {
  /** Per atom and axis: cos/sin of n b_alpha . r for n = -nmax..nmax. */
  phaseC: Float64Array;
  phaseS: Float64Array;
  /** Per k and species: Re/Im of S_a(k). */
  sRe: Float64Array;
  sIm: Float64Array;
  /** T_even then T_odd per (centre of the block, species) over all k: 2 x CENTRE_BLOCK x nSpecies x nk. */
  acc: Float64Array;
}

export function createPeriodicWork(): PeriodicWork {
  const z = new Float64Array(0);
  return { phaseC: z, phaseS: z, sRe: z, sIm: z, acc: z };
}

/** Centres per block of the projection loop (see periodicCoefficients); T then holds 2 x 8 x nSpecies x nk doubles. */
const CENTRE_BLOCK = 8;

/** out[row of centre c0 + r/nSpecies][species r % nSpecies][natural column dst] = v. */
function storeRow(out: Float64Array, outOffset: number, rowStride: number, width: number, nSpecies: number, c0: number,
  r: number, dst: number, v: number): void {
  const b = (r / nSpecies) | 0, a = r - b * nSpecies;
  out[outOffset + (c0 + b) * rowStride + a * width + dst] = v;
}

function ensure(buf: Float64Array, n: number): Float64Array {
  return buf.length >= n ? buf : new Float64Array(Math.max(n, Math.ceil(buf.length * 1.5)));
}

/**
 * Adds the reciprocal-space sum for the given centres to out (nCentres rows, each
 * nSpecies x N x (L+1)² in natural [a][n][lm] order, starting at outOffset; rowStride values
 * apart). Rows are overwritten (not accumulated).
 */
export function periodicCoefficients(ks: KSpace, positions: Float64Array, nAtoms: number, speciesIndex: Int32Array,
  nSpecies: number, centres: Int32Array, out: Float64Array, outOffset: number, rowStride: number, w: PeriodicWork): void {
  const nk = ks.nk, width = ks.width, evenCols = ks.evenCols;
  const len = [2 * ks.nmax[0] + 1, 2 * ks.nmax[1] + 1, 2 * ks.nmax[2] + 1];
  const axisOff = [0, len[0], len[0] + len[1]];
  const perAtom = len[0] + len[1] + len[2];
  w.phaseC = ensure(w.phaseC, nAtoms * perAtom);
  w.phaseS = ensure(w.phaseS, nAtoms * perAtom);
  const pc = w.phaseC, ps = w.phaseS, rc = ks.recip;
  for (let j = 0; j < nAtoms; j++) {
    const x = positions[3 * j], y = positions[3 * j + 1], z = positions[3 * j + 2];
    for (let ax = 0; ax < 3; ax++) {
      const th = rc[ax * 3] * x + rc[ax * 3 + 1] * y + rc[ax * 3 + 2] * z;
      const nm = ks.nmax[ax], base = j * perAtom + axisOff[ax] + nm;
      pc[base] = 1; ps[base] = 0;
      const c1 = Math.cos(th), s1 = Math.sin(th);
      // powers by recurrence, re-anchored with direct cos/sin every 8 steps to bound round-off
      for (let n = 1; n <= nm; n++) {
        let c: number, s: number;
        if (n % 8 === 0) { c = Math.cos(n * th); s = Math.sin(n * th); } else {
          const cp = pc[base + n - 1], sp = ps[base + n - 1];
          c = cp * c1 - sp * s1; s = sp * c1 + cp * s1;
        }
        pc[base + n] = c; ps[base + n] = s;
        pc[base - n] = c; ps[base - n] = -s;
      }
    }
  }
  // S_a(k) = sum_j e^(-i k.r_j)
  w.sRe = ensure(w.sRe, nk * nSpecies);
  w.sIm = ensure(w.sIm, nk * nSpecies);
  const sRe = w.sRe, sIm = w.sIm;
  sRe.fill(0, 0, nk * nSpecies); sIm.fill(0, 0, nk * nSpecies);
  const nv = ks.nvec;
  const o0 = axisOff[0] + ks.nmax[0], o1 = axisOff[1] + ks.nmax[1], o2 = axisOff[2] + ks.nmax[2];
  for (let j = 0; j < nAtoms; j++) {
    const a = speciesIndex[j], bj = j * perAtom;
    for (let q = 0; q < nk; q++) {
      const i1 = bj + o0 + nv[3 * q], i2 = bj + o1 + nv[3 * q + 1], i3 = bj + o2 + nv[3 * q + 2];
      const c12 = pc[i1] * pc[i2] - ps[i1] * ps[i2], s12 = ps[i1] * pc[i2] + pc[i1] * ps[i2];
      const c = c12 * pc[i3] - s12 * ps[i3], s = s12 * pc[i3] + c12 * ps[i3];
      sRe[q * nSpecies + a] += c;
      sIm[q * nSpecies + a] -= s;
    }
  }
  // Centres in blocks of CENTRE_BLOCK. For every (centre, species) of the block, T_even/T_odd over
  // all k are tabulated; each coefficient is then a dot product over k of a column of A (stored
  // column-major, contiguous in k) with a T row, accumulated in registers four (centre, species)
  // rows at a time, so each A value loaded serves four multiply-adds and nothing is stored per k.
  const rows = CENTRE_BLOCK * nSpecies;
  w.acc = ensure(w.acc, 2 * rows * nk);
  const T = w.acc, A = ks.a, colMap = ks.colMap;
  for (let c0 = 0; c0 < centres.length; c0 += CENTRE_BLOCK) {
    const cb = Math.min(CENTRE_BLOCK, centres.length - c0), nr = cb * nSpecies;
    for (let b = 0; b < cb; b++) {
      const bi = centres[c0 + b] * perAtom;
      for (let q = 0; q < nk; q++) {
        const i1 = bi + o0 + nv[3 * q], i2 = bi + o1 + nv[3 * q + 1], i3 = bi + o2 + nv[3 * q + 2];
        const c12 = pc[i1] * pc[i2] - ps[i1] * ps[i2], s12 = ps[i1] * pc[i2] + pc[i1] * ps[i2];
        const er = c12 * pc[i3] - s12 * ps[i3], ei = s12 * pc[i3] + c12 * ps[i3];
        for (let a = 0; a < nSpecies; a++) {
          const sr = sRe[q * nSpecies + a], si = sIm[q * nSpecies + a], r = b * nSpecies + a;
          T[r * nk + q] = er * sr - ei * si; // Re(e^{ik.r_i} S_a) = sum_j cos(k.(r_i - r_j))
          T[(rows + r) * nk + q] = er * si + ei * sr; // Im(...) = sum_j sin(k.(r_i - r_j))
        }
      }
    }
    for (let c = 0; c < width; c++) {
      const ac = c * nk, tBase = c < evenCols ? 0 : rows * nk, dst = colMap[c];
      let r = 0;
      for (; r + 4 <= nr; r += 4) {
        const t0 = tBase + r * nk, t1 = t0 + nk, t2 = t1 + nk, t3 = t2 + nk;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let q = 0; q < nk; q++) {
          const av = A[ac + q];
          s0 += av * T[t0 + q]; s1 += av * T[t1 + q]; s2 += av * T[t2 + q]; s3 += av * T[t3 + q];
        }
        storeRow(out, outOffset, rowStride, width, nSpecies, c0, r, dst, s0);
        storeRow(out, outOffset, rowStride, width, nSpecies, c0, r + 1, dst, s1);
        storeRow(out, outOffset, rowStride, width, nSpecies, c0, r + 2, dst, s2);
        storeRow(out, outOffset, rowStride, width, nSpecies, c0, r + 3, dst, s3);
      }
      for (; r < nr; r++) {
        const t0 = tBase + r * nk;
        let s0 = 0;
        for (let q = 0; q < nk; q++) s0 += A[ac + q] * T[t0 + q];
        storeRow(out, outOffset, rowStride, width, nSpecies, c0, r, dst, s0);
      }
    }
  }
}
