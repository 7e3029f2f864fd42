/**
 * Gaussian mixture with full covariances fitted by EM, following scikit-learn 1.2
 * GaussianMixture exactly (pipeline.md §7.2; fixtures/learn/gmm_kmeans/README.md "scikit-learn
 * semantics a port must follow"):
 * - each iteration is an E-step (log space, log-sum-exp) then an M-step; the lower bound is the
 *   mean log-likelihood of the E-step, i.e. under the parameters *before* that M-step;
 * - convergence when |change of the lower bound| < tol; after the loop one more E-step gives labels;
 * - M-step: nk = sum resp + 10 eps, means = resp^T X / nk, cov = weighted scatter / nk + regCovar I,
 *   weights = nk / sum nk; the E-step uses the Cholesky factor of each precision matrix.
 * Initialisation: explicit weights/means/precisions, or KMeans labels (k-means++ seeded, one run)
 * turned into one-hot responsibilities, with nInit seeded restarts keeping the best lower bound.
 */
import type { Dataset } from './dataset.ts';
import { checkpoint, createReporter, type RunOptions } from '../progress.ts';
import { cholesky, invertLower } from './linalg.ts';
import { fitKMeans } from './kmeans.ts';
import { seededRng } from './rng.ts';

export interface GmmInit {
  /** k mixture weights. */
  weights: Float64Array;
  /** k x dim means. */
  means: Float64Array;
  /** k x dim x dim precision (inverse covariance) matrices. */
  precisions: Float64Array;
}

export interface GmmParams {
  nComponents: number;
  /** Default 1e-3 (scikit-learn). */
  tol?: number;
  /** Default 100 (scikit-learn). */
  maxIter?: number;
  /** Added to covariance diagonals; default 1e-6 (scikit-learn). */
  regCovar?: number;
  /** Seeded restarts (only with KMeans initialisation); default 1. */
  nInit?: number;
  /** Seed for the KMeans initialisation; required unless `init` is given. */
  seed?: number;
  /** Explicit starting parameters (scikit-learn weights_init, means_init, precisions_init). */
  init?: GmmInit;
}

/** A fitted mixture: plain typed arrays, cloneable. */
export interface GmmModel {
  k: number;
  dim: number;
  weights: Float64Array;
  /** k x dim. */
  means: Float64Array;
  /** k x dim x dim, regCovar included. */
  covariances: Float64Array;
  /** k x dim x dim; precision_c = P_c P_c^T (scikit-learn precisions_cholesky_). */
  precisionsCholesky: Float64Array;
  /** Mean log-likelihood of the last E-step of the fit (scikit-learn lower_bound_). */
  lowerBound: number;
  nIter: number;
  converged: boolean;
}

export interface GmmFit {
  model: GmmModel;
  /** Labels of the training rows from the final E-step. */
  labels: Int32Array;
}

const DEFAULT_TOL = 1e-3;
const DEFAULT_MAX_ITER = 100;
const DEFAULT_REG_COVAR = 1e-6;
/** scikit-learn adds 10 * machine epsilon to every component mass to avoid division by zero. */
const NK_FLOOR = 10 * Number.EPSILON;
const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Weighted log-probabilities log(w_c) + log N(x | mu_c, Sigma_c) of every row, n x k row-major,
 * into `out` (caller-owned or new).
 */
export function gmmWeightedLogProb(m: GmmModel, d: Dataset, out = new Float64Array(d.n * m.k)): Float64Array {
  const { k, dim } = m;
  if (d.dim !== dim) throw new RangeError(`GMM: model has ${dim} columns, data ${d.dim}`);
  const { x, n } = d;
  const diff = new Float64Array(dim);
  const means = m.means, allPc = m.precisionsCholesky, weights = m.weights;
  const pcT = new Float64Array(dim * dim); // transposed: row j = column j of the factor
  for (let c = 0; c < k; c++) {
    const base0 = c * dim * dim;
    let logDet = 0;
    for (let i = 0; i < dim; i++) {
      logDet += Math.log(allPc[base0 + i * dim + i]);
      for (let j = 0; j < dim; j++) pcT[j * dim + i] = allPc[base0 + i * dim + j];
    }
    const base = -0.5 * dim * LOG_2PI + logDet + Math.log(weights[c]);
    const mu = c * dim;
    for (let r = 0; r < n; r++) {
      const off = r * dim;
      for (let j = 0; j < dim; j++) diff[j] = x[off + j] - means[mu + j];
      let q = 0;
      for (let j = 0; j < dim; j++) {
        const row = j * dim;
        let y = 0;
        for (let i = 0; i < dim; i++) y += diff[i] * pcT[row + i];
        q += y * y;
      }
      out[r * k + c] = base - 0.5 * q;
    }
  }
  return out;
}

/**
 * In place: turns each row of weighted log-probabilities into log-responsibilities and returns the
 * per-row log-likelihood in `norm` (log-sum-exp). Returns the mean log-likelihood.
 */
function normaliseLogResp(wlp: Float64Array, n: number, k: number, norm?: Float64Array): number {
  let total = 0;
  for (let r = 0; r < n; r++) {
    const o = r * k;
    let mx = -Infinity;
    for (let c = 0; c < k; c++) if (wlp[o + c] > mx) mx = wlp[o + c];
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(wlp[o + c] - mx);
    const lse = mx === -Infinity ? -Infinity : mx + Math.log(s);
    for (let c = 0; c < k; c++) wlp[o + c] -= lse;
    if (norm) norm[r] = lse;
    total += lse;
  }
  return total / n;
}

/** Per-row log-likelihood log p(x) under the mixture (scikit-learn score_samples). */
export function gmmScoreSamples(m: GmmModel, d: Dataset, out = new Float64Array(d.n)): Float64Array {
  const wlp = gmmWeightedLogProb(m, d);
  normaliseLogResp(wlp, d.n, m.k, out);
  return out;
}

/** Mean log-likelihood (scikit-learn score). */
export function gmmScore(m: GmmModel, d: Dataset): number {
  return normaliseLogResp(gmmWeightedLogProb(m, d), d.n, m.k);
}

/** Responsibilities (n x k row-major, scikit-learn predict_proba). */
export function gmmPredictProba(m: GmmModel, d: Dataset): Float64Array {
  const wlp = gmmWeightedLogProb(m, d);
  normaliseLogResp(wlp, d.n, m.k);
  for (let i = 0; i < wlp.length; i++) wlp[i] = Math.exp(wlp[i]);
  return wlp;
}

/** argmax_c of the weighted log-probability (first on ties), scikit-learn predict. */
export function gmmPredict(m: GmmModel, d: Dataset, out = new Int32Array(d.n)): Int32Array {
  return argmaxRows(gmmWeightedLogProb(m, d), d.n, m.k, out);
}

/**
 * E-step in one pass: from weighted log-probabilities (n x k) writes responsibilities (linear
 * scale) into `resp` and returns the mean log-likelihood. One exp per entry, one log per row.
 */
function responsibilities(wlp: Float64Array, n: number, k: number, resp: Float64Array): number {
  let total = 0;
  for (let r = 0; r < n; r++) {
    const o = r * k;
    let mx = -Infinity;
    for (let c = 0; c < k; c++) if (wlp[o + c] > mx) mx = wlp[o + c];
    let s = 0;
    for (let c = 0; c < k; c++) { const e = Math.exp(wlp[o + c] - mx); resp[o + c] = e; s += e; }
    const inv = 1 / s;
    for (let c = 0; c < k; c++) resp[o + c] *= inv;
    total += mx + Math.log(s);
  }
  return total / n;
}

function argmaxRows(a: Float64Array, n: number, k: number, out: Int32Array): Int32Array {
  for (let r = 0; r < n; r++) {
    let best = -Infinity, arg = 0;
    for (let c = 0; c < k; c++) if (a[r * k + c] > best) { best = a[r * k + c]; arg = c; }
    out[r] = arg;
  }
  return out;
}

/**
 * M-step from responsibilities (n x k, linear scale): writes weights, means, covariances and
 * precision Cholesky factors into `m`.
 */
function mStep(m: GmmModel, d: Dataset, resp: Float64Array, regCovar: number): void {
  const { k, dim } = m;
  const { x, n } = d;
  const nk = new Float64Array(k);
  for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) nk[c] += resp[r * k + c];
  let total = 0;
  for (let c = 0; c < k; c++) { nk[c] += NK_FLOOR; total += nk[c]; }
  m.means.fill(0);
  for (let r = 0; r < n; r++) {
    const off = r * dim;
    for (let c = 0; c < k; c++) {
      const w = resp[r * k + c];
      if (w === 0) continue;
      const mo = c * dim;
      for (let j = 0; j < dim; j++) m.means[mo + j] += w * x[off + j];
    }
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < dim; j++) m.means[c * dim + j] /= nk[c];
  m.covariances.fill(0);
  const diff = new Float64Array(dim);
  const chol = new Float64Array(dim * dim), inv = new Float64Array(dim * dim);
  for (let c = 0; c < k; c++) {
    const cov = m.covariances.subarray(c * dim * dim, (c + 1) * dim * dim);
    const mo = c * dim;
    for (let r = 0; r < n; r++) {
      const w = resp[r * k + c];
      if (w === 0) continue;
      const off = r * dim;
      for (let j = 0; j < dim; j++) diff[j] = x[off + j] - m.means[mo + j];
      for (let i = 0; i < dim; i++) {
        const wi = w * diff[i];
        for (let j = i; j < dim; j++) cov[i * dim + j] += wi * diff[j];
      }
    }
    for (let i = 0; i < dim; i++) {
      for (let j = i; j < dim; j++) {
        const v = cov[i * dim + j] / nk[c];
        cov[i * dim + j] = v;
        cov[j * dim + i] = v;
      }
      cov[i * dim + i] += regCovar;
    }
    // precision Cholesky = (chol(cov))^-T, upper triangular.
    cholesky(cov, dim, chol, `GMM component ${c} covariance (increase regCovar?)`);
    invertLower(chol, dim, inv);
    const pc = m.precisionsCholesky.subarray(c * dim * dim, (c + 1) * dim * dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) pc[i * dim + j] = inv[j * dim + i];
  }
  for (let c = 0; c < k; c++) m.weights[c] = nk[c] / total;
}

function emptyModel(k: number, dim: number): GmmModel {
  return { k, dim, weights: new Float64Array(k), means: new Float64Array(k * dim), covariances: new Float64Array(k * dim * dim),
    precisionsCholesky: new Float64Array(k * dim * dim), lowerBound: -Infinity, nIter: 0, converged: false };
}

function modelFromInit(init: GmmInit, k: number, dim: number): GmmModel {
  if (init.weights.length !== k || init.means.length !== k * dim || init.precisions.length !== k * dim * dim) {
    throw new RangeError(`GMM: init arrays must hold ${k} weights, ${k * dim} means and ${k * dim * dim} precision values`);
  }
  const m = emptyModel(k, dim);
  m.weights.set(init.weights);
  m.means.set(init.means);
  const chol = new Float64Array(dim * dim), inv = new Float64Array(dim * dim);
  for (let c = 0; c < k; c++) {
    const p = init.precisions.subarray(c * dim * dim, (c + 1) * dim * dim);
    // scikit-learn: precisions_cholesky_ = cholesky(precisions_init, lower=True)
    cholesky(p, dim, chol, `GMM initial precision ${c}`);
    m.precisionsCholesky.set(chol, c * dim * dim);
    // covariances_ (not used by EM) = inverse precision, for completeness.
    invertLower(chol, dim, inv);
    const cov = m.covariances.subarray(c * dim * dim, (c + 1) * dim * dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let t = 0; t < dim; t++) s += inv[t * dim + i] * inv[t * dim + j];
      cov[i * dim + j] = s;
    }
  }
  return m;
}

/**
 * Fits the mixture. Deterministic for a given seed (or given init). Cancellable between EM
 * iterations through `o.signal`; reports progress as iterations of maxIter * nInit.
 */
export async function fitGmm(d: Dataset, p: GmmParams, o?: RunOptions): Promise<GmmFit> {
  const k = p.nComponents, dim = d.dim, n = d.n;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`GMM: nComponents must be a positive integer, got ${k}`);
  if (n < k) throw new RangeError(`GMM: ${n} rows cannot make ${k} components`);
  if (d.x.length < n * dim) throw new RangeError(`GMM: dataset needs ${n * dim} values, got ${d.x.length}`);
  const tol = p.tol ?? DEFAULT_TOL;
  const maxIter = p.maxIter ?? DEFAULT_MAX_ITER;
  const regCovar = p.regCovar ?? DEFAULT_REG_COVAR;
  const nInit = p.init ? 1 : (p.nInit ?? 1);
  if (!(tol >= 0)) throw new RangeError(`GMM: tol must be >= 0, got ${tol}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`GMM: maxIter must be a positive integer, got ${maxIter}`);
  if (!(regCovar >= 0)) throw new RangeError(`GMM: regCovar must be >= 0, got ${regCovar}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`GMM: nInit must be a positive integer, got ${nInit}`);
  if (!p.init && p.seed === undefined) throw new RangeError('GMM: KMeans initialisation needs a seed');
  const rng = seededRng(p.seed ?? 0);
  const report = createReporter(o, 'gmm', maxIter * nInit);
  const wlp = new Float64Array(n * k), resp = new Float64Array(n * k);
  let best: GmmModel | null = null;
  for (let run = 0; run < nInit; run++) {
    let m: GmmModel;
    if (p.init) {
      m = modelFromInit(p.init, k, dim);
    } else {
      // scikit-learn init_params='kmeans': KMeans(k, n_init=1, random_state) labels -> one-hot resp.
      const km = await fitKMeans(d, { k, nInit: 1, seed: Math.floor(rng() * 0x7fffffff) });
      const resp = new Float64Array(n * k);
      for (let r = 0; r < n; r++) resp[r * k + km.labels[r]] = 1;
      m = emptyModel(k, dim);
      mStep(m, d, resp, regCovar);
    }
    let lower = -Infinity;
    for (let it = 1; it <= maxIter; it++) {
      if (o && it % 10 === 1) await checkpoint(o);
      const prev = lower;
      gmmWeightedLogProb(m, d, wlp);
      lower = responsibilities(wlp, n, k, resp);
      mStep(m, d, resp, regCovar);
      m.nIter = it;
      report(run * maxIter + it);
      if (Math.abs(lower - prev) < tol) { m.converged = true; break; }
    }
    m.lowerBound = lower;
    if (!best || lower > best.lowerBound) best = m;
  }
  const model = best as GmmModel;
  return { model, labels: gmmPredict(model, d) };
}
