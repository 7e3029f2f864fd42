/**
 * HDBSCAN* for every point, exact or by subsample-then-predict (hdbscan.md §14):
 * - 'exact': fit on all points; hard labels from the fit, soft labels = argmax of
 *   all_points_membership_vectors (§12);
 * - 'subsample': fit on a seeded random subsample, label the subsample as above and every other
 *   point with approximate_predict (§13.2, hard) and the argmax of membership_vector (§13.3, soft).
 *   The predicted rows are flagged so the UI can say which points were predicted.
 */
import { checkpoint, createReporter, type RunOptions } from '../../progress.ts';
import { seededRng } from '../rng.ts';
import {
  approximatePredict, fitHdbscan, membershipVector, softLabels, softMembership, type Dataset, type HdbscanModel,
  type HdbscanParams,
} from './index.ts';
import { rowArgmax } from './soft.ts';

/** spec §14: "default 50,000 when n > 200,000" */
export const DEFAULT_SAMPLE_SIZE = 50_000;
export const SUBSAMPLE_ABOVE = 200_000;

export interface HdbscanRunOptions {
  /** 'auto' (default): exact up to SUBSAMPLE_ABOVE points, subsample above */
  mode?: 'exact' | 'subsample' | 'auto';
  /** subsample size (default DEFAULT_SAMPLE_SIZE) */
  sampleSize?: number;
  /** seed of the subsample (default 0) */
  seed?: number;
}

export interface HdbscanRun {
  mode: 'exact' | 'subsample';
  model: HdbscanModel;
  /** rows of the input that were fitted, ascending (all rows in exact mode) */
  fittedRows: Int32Array;
  /** 1 where the labels come from prediction (§13), 0 where from the fit */
  predicted: Uint8Array;
  /** per input row: hard label (-1 = noise) */
  labels: Int32Array;
  /** per input row: argmax of the membership vector (every point gets a cluster; -1 only if there is none) */
  softLabels: Int32Array;
}

/** Rows to fit: `size` distinct rows of 0..n-1 by a seeded partial Fisher-Yates, sorted ascending. */
export function sampleRows(n: number, size: number, seed: number): Int32Array {
  const rng = seededRng(seed);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const m = Math.min(size, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  return idx.slice(0, m).sort();
}

/** Points in chunks between checkpoints when predicting (cancel + progress). */
const PREDICT_CHUNK = 8192;

export async function runHdbscan(d: Dataset, p: HdbscanParams = {}, r: HdbscanRunOptions = {}, o?: RunOptions): Promise<HdbscanRun> {
  const { n, dim } = d;
  const sampleSize = r.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  if (!Number.isInteger(sampleSize) || sampleSize < 2) throw new RangeError(`sampleSize must be an integer >= 2, got ${sampleSize}`);
  const mode = r.mode ?? 'auto';
  if (mode !== 'exact' && mode !== 'subsample' && mode !== 'auto') throw new RangeError(`unknown mode ${String(mode)}`);
  const useSample = (mode === 'subsample' || (mode === 'auto' && n > SUBSAMPLE_ABOVE)) && sampleSize < n;
  if (!useSample) {
    const model = await fitHdbscan(d, p, o);
    const fittedRows = new Int32Array(n);
    for (let i = 0; i < n; i++) fittedRows[i] = i;
    return {
      mode: 'exact', model, fittedRows, predicted: new Uint8Array(n), labels: model.labels,
      softLabels: softLabels(model, softMembership(model)),
    };
  }
  const rows = sampleRows(n, sampleSize, r.seed ?? 0);
  const m = rows.length;
  const xs = new Float64Array(m * dim);
  for (let i = 0; i < m; i++) xs.set(d.x.subarray(rows[i] * dim, rows[i] * dim + dim), i * dim);
  const model = await fitHdbscan({ x: xs, n: m, dim }, p, o);
  const labels = new Int32Array(n), soft = new Int32Array(n), predicted = new Uint8Array(n).fill(1);
  const fitSoft = softLabels(model, softMembership(model));
  for (let i = 0; i < m; i++) { labels[rows[i]] = model.labels[i]; soft[rows[i]] = fitSoft[i]; predicted[rows[i]] = 0; }
  // the other rows, in chunks
  const rest = new Int32Array(n - m);
  for (let i = 0, j = 0; i < n; i++) if (predicted[i]) rest[j++] = i;
  const K = model.nClusters;
  const report = createReporter(o, 'predict', rest.length);
  const buf = new Float64Array(PREDICT_CHUNK * dim);
  for (let s = 0; s < rest.length; s += PREDICT_CHUNK) {
    const e = Math.min(rest.length, s + PREDICT_CHUNK), c = e - s;
    for (let i = 0; i < c; i++) buf.set(d.x.subarray(rest[s + i] * dim, rest[s + i] * dim + dim), i * dim);
    const pts = { x: buf.subarray(0, c * dim), n: c, dim };
    const hard = approximatePredict(model, pts);
    const mv = rowArgmax(membershipVector(model, pts), c, K);
    for (let i = 0; i < c; i++) { labels[rest[s + i]] = hard.labels[i]; soft[rest[s + i]] = mv[i]; }
    report(e);
    if (o) await checkpoint(o);
  }
  return { mode: 'subsample', model, fittedRows: rows, predicted, labels, softLabels: soft };
}
