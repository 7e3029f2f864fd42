/**
 * Clustering steps for `analyseScores`, built from a recipe's cluster settings (pipeline.md §7).
 */
import type { Dataset } from '../learn/dataset.ts';
import { fitGmm } from '../learn/gmm.ts';
import { runHdbscan } from '../learn/hdbscan/index.ts';
import { clusterMaxima, fitKMeans, kmeans1dOptimal, thresholdLabels } from '../learn/kmeans.ts';
import type { RunOptions } from '../progress.ts';
import type { Clusterer, ClusterOutput } from './analysis.ts';
import type { ClusterRecipe } from './recipe.ts';

/** A clusterer that returns fixed labels (stored results, tests, a brushed selection turned into clusters). */
export function fixedLabels(labels: Int32Array, nClusters: number, description = 'given labels'): Clusterer {
  return async (d: Dataset) => {
    if (labels.length !== d.n) throw new RangeError(`fixedLabels: ${labels.length} labels for ${d.n} rows`);
    return { labels, nClusters, description };
  };
}

/** The clusterer a recipe asks for; `seed` drives every random choice. */
export function clustererFor(c: ClusterRecipe, seed: number): Clusterer {
  switch (c.method) {
    case 'gmm':
      return async (d, o) => {
        const { model, labels } = await fitGmm(d, { nComponents: c.nComponents, nInit: c.nInit, maxIter: c.maxIter, tol: c.tol,
          regCovar: c.regCovar, seed }, o);
        return { labels, nClusters: c.nComponents, description: `GMM, ${c.nComponents} components, full covariance`,
          figures: { lowerBound: model.lowerBound, nIter: model.nIter, converged: model.converged } };
      };
    case 'kmeans':
      return async (d, o) => {
        const m = await fitKMeans(d, { k: c.k, nInit: c.nInit, maxIter: c.maxIter, tol: c.tol, seed }, o);
        return { labels: m.labels, nClusters: c.k, description: `KMeans, k = ${c.k} (k-means++, ${c.nInit} runs)`,
          figures: { inertia: m.inertia, nIter: m.nIter } };
      };
    case 'lens-kmeans':
      return async (d) => lensClusters(d, c.k, c.rule, c.thresholds);
    case 'hdbscan':
      return (d, o) => hdbscanClusters(d, c, seed, o);
  }
}

/**
 * pipeline.md §7.3 on 1-D values: thresholds = maxima of the exact 1-D k-means clusters (or the
 * given ones), labels by `rule`, clusters numbered by ascending threshold (0 = least dynamic).
 */
function lensClusters(d: Dataset, k: number, rule: 'paper' | 'rank' | 'inclusive', given?: number[]): ClusterOutput {
  if (d.dim !== 1) throw new RangeError(`LENS clustering needs 1-D rows, got ${d.dim} columns`);
  const v = d.x.length === d.n ? d.x : d.x.subarray(0, d.n);
  let thresholds: Float64Array, inertia: number | undefined;
  if (given) {
    thresholds = Float64Array.from(given);
  } else {
    const opt = kmeans1dOptimal(v, k);
    thresholds = clusterMaxima(v, opt.labels, k);
    inertia = opt.inertia;
  }
  const labels = thresholdLabels(v, thresholds, { rule });
  const figures: Record<string, number | number[]> = { thresholds: Array.from(thresholds) };
  if (inertia !== undefined) figures.inertia = inertia;
  return { labels, nClusters: thresholds.length, description: `LENS thresholds (${given ? 'manual' : `1-D k-means, k = ${k}`}, ${rule} rule)`, figures };
}

async function hdbscanClusters(d: Dataset, c: Extract<ClusterRecipe, { method: 'hdbscan' }>, seed: number, o?: RunOptions): Promise<ClusterOutput> {
  // hdbscan.md §14 via the HDBSCAN* module: exact on all rows, or a seeded subsample fitted and
  // every other row predicted (approximate_predict for hard labels, membership_vector argmax for soft).
  const run = await runHdbscan(d, c.params, { mode: c.mode, sampleSize: c.subsample, seed }, o);
  const K = run.model.nClusters;
  const nPredicted = run.mode === 'subsample' ? d.n - run.fittedRows.length : 0;
  const mode = run.mode === 'subsample' ? `subsample of ${run.fittedRows.length} rows, ${nPredicted} predicted` : 'exact, all rows';
  if (K === 0) {
    return { labels: new Int32Array(d.n).fill(-1), nClusters: 0, description: `HDBSCAN* (${mode}): no cluster found`,
      hardLabels: run.labels, predicted: run.predicted, figures: { nClusters: 0, predicted: nPredicted } };
  }
  const hard = run.labels, soft = run.softLabels;
  let labels: Int32Array;
  if (c.soft === 'argmax-all') labels = soft;
  else if (c.soft === 'noise-only') labels = hard.map((h, i) => (h >= 0 ? h : soft[i]));
  else labels = hard;
  let noise = 0;
  for (let i = 0; i < hard.length; i++) if (hard[i] < 0) noise++;
  const how = c.soft === 'hard' ? 'hard labels' : c.soft === 'noise-only' ? 'soft argmax for noise' : 'soft argmax';
  return { labels, nClusters: K, hardLabels: hard, predicted: run.predicted,
    description: `HDBSCAN* (${mode}), min_cluster_size ${run.model.params.minClusterSize}, ${how}`,
    figures: { nClusters: K, noise, predicted: nPredicted, persistence: Array.from(run.model.clusterPersistence) } };
}
