/**
 * The post-descriptor half of the pipeline (pipeline.md §7-§9): PCA scores -> micro-cluster labels
 * -> transition matrices -> macro-clusters, with the clustering step injected as a function so any
 * method (HDBSCAN*, GMM, KMeans, LENS thresholds, or a stored labelling) plugs in.
 */
import type { Dataset } from '../learn/dataset.ts';
import { macroClusters, type MacroClustering } from '../learn/hclust.ts';
import { relabel, transitionMatrix, type TransitionMatrix } from '../learn/transitions.ts';
import { throwIfCancelled, type RunOptions } from '../progress.ts';
import type { MacroRecipe, TransitionRecipe } from './recipe.ts';

/** What a clustering step returns. */
export interface ClusterOutput {
  /** Label per row, 0..nClusters-1; -1 (noise) allowed and counted as an extra last class. */
  labels: Int32Array;
  nClusters: number;
  /** Short human description for the UI ("HDBSCAN* exact, soft argmax", "GMM 3 components"...). */
  description: string;
  /** Hard labels when they differ from `labels` (HDBSCAN* before the soft argmax; -1 = noise). */
  hardLabels?: Int32Array;
  /** 1 for rows whose labels were predicted from a fitted subsample rather than fitted (issue 5: the UI says which). */
  predicted?: Uint8Array;
  /** Scalar figures of the fit (iterations, log-likelihood, thresholds...). */
  figures?: Record<string, number | number[] | string | boolean>;
}

/** A clustering step over the analysis rows (frame-major: row = frame * nAtoms + atom). */
export type Clusterer = (d: Dataset, o?: RunOptions) => Promise<ClusterOutput>;

export interface ScoresInput {
  /** Rows x dim, row-major, frame-major rows (PCA scores or the 1-D LENS values). */
  scores: Float64Array;
  dim: number;
  /** Analysed atoms per frame. */
  nAtoms: number;
  /** Analysed frames (rows = nFrames * nAtoms). */
  nFrames: number;
}

export interface MacroStep {
  /** Micro -> macro clustering of the transition rows (tree, leaves, cut). */
  tree: MacroClustering;
  /** Macro label per micro label (identity when the recipe does not merge). */
  microToMacro: Int32Array;
  nMacro: number;
  /** Macro label per data row. */
  labels: Int32Array;
  /** Transitions recomputed on macro labels (pipeline.md §9). */
  transitions: TransitionMatrix;
}

export interface Analysis {
  nAtoms: number;
  nFrames: number;
  cluster: ClusterOutput;
  /** Rows per micro label (the noise class last when present). */
  populations: Float64Array;
  /** Micro-cluster transitions (pipeline.md §8). */
  transitions: TransitionMatrix;
  macro: MacroStep;
  warnings: string[];
}

export interface AnalysisParams {
  transitions: TransitionRecipe;
  macro: MacroRecipe;
}

function checkInput(s: ScoresInput): void {
  const { scores, dim, nAtoms, nFrames } = s;
  for (const [name, v] of [['dim', dim], ['nAtoms', nAtoms], ['nFrames', nFrames]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`analysis: ${name} must be a positive integer, got ${v}`);
  }
  if (scores.length !== nAtoms * nFrames * dim) {
    throw new RangeError(`analysis: ${nFrames} frames x ${nAtoms} atoms x ${dim} need ${nAtoms * nFrames * dim} values, got ${scores.length}`);
  }
}

/**
 * Runs clustering, transitions and the macro step on frame-major scores. Deterministic when the
 * clusterer is. The returned object holds only typed arrays, numbers and strings (cloneable).
 */
export async function analyseScores(input: ScoresInput, p: AnalysisParams, clusterer: Clusterer, o?: RunOptions): Promise<Analysis> {
  checkInput(input);
  const { scores, dim, nAtoms, nFrames } = input;
  const n = nAtoms * nFrames;
  o?.onProgress?.({ stage: 'clustering', done: 0, total: 1 });
  const cluster = await clusterer({ x: scores, n, dim }, o);
  if (cluster.labels.length !== n) throw new RangeError(`analysis: the clusterer returned ${cluster.labels.length} labels for ${n} rows`);
  o?.onProgress?.({ stage: 'clustering', done: 1, total: 1 });
  throwIfCancelled(o);
  return analyseLabels(cluster, nAtoms, nFrames, p);
}

/** The steps after clustering alone, e.g. for stored labels or a re-run with new transition settings. */
export function analyseLabels(cluster: ClusterOutput, nAtoms: number, nFrames: number, p: AnalysisParams): Analysis {
  const labels = cluster.labels;
  if (labels.length !== nAtoms * nFrames) throw new RangeError(`analysis: ${labels.length} labels for ${nFrames} x ${nAtoms} rows`);
  const warnings: string[] = [];
  let hasNoise = false;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= cluster.nClusters) throw new RangeError(`analysis: label ${labels[i]} at row ${i} >= nClusters ${cluster.nClusters}`);
    if (labels[i] < 0) hasNoise = true;
  }
  if (hasNoise) warnings.push('noise points are counted as an extra last class in the transition matrices');
  const tp = { nAtoms, window: p.transitions.window, stride: p.transitions.stride, nClasses: cluster.nClusters, noise: 'last' as const };
  const transitions = transitionMatrix(labels, tp);
  if (transitions.pairs === 0) warnings.push(`no transition pairs: ${nFrames} frames are not more than the window ${p.transitions.window}`);
  const populations = new Float64Array(transitions.k);
  for (let i = 0; i < labels.length; i++) populations[labels[i] < 0 ? cluster.nClusters : labels[i]]++;
  const macro = macroStep(labels, transitions, nAtoms, p);
  warnings.push(...macro.tree.warnings);
  return { nAtoms, nFrames, cluster, populations, transitions, macro, warnings };
}

/**
 * Macro-clusters from the micro transitions (pipeline.md §9); call again with another cut when the
 * user drags the dendrogram's cut line: no re-clustering needed.
 */
export function macroStep(labels: Int32Array, transitions: TransitionMatrix, nAtoms: number, p: AnalysisParams): MacroStep {
  const k = transitions.k;
  const tree = macroClusters(transitions.probabilities, k, { method: p.macro.linkage, cut: p.macro.cut });
  const microToMacro = p.macro.merge ? tree.macroLabels : Int32Array.from({ length: k }, (_, i) => i);
  const nMacro = p.macro.merge ? tree.nMacro : k;
  // Noise (-1) is the extra last class of the micro matrix (transitionMatrix noise: 'last').
  const shifted = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) shifted[i] = labels[i] < 0 ? k - 1 : labels[i];
  const macroLabels = relabel(shifted, microToMacro);
  const macroTransitions = transitionMatrix(macroLabels, { nAtoms, window: p.transitions.window, stride: p.transitions.stride, nClasses: nMacro });
  return { tree, microToMacro, nMacro, labels: macroLabels, transitions: macroTransitions };
}
