/**
 * A run's results as files (issue 5: "writing the scores, labels, macro labels, matrices and the
 * linkage as .npy/JSON, and a summary"): pure, returns bytes; the CLI writes them to a folder and
 * the app offers them for download. NumPy arrays load with numpy.load; rows are frame-major.
 */
import { writeNpy } from '../io/npy.ts';
import type { Results } from './results.ts';
import { summarise } from './results.ts';

export interface OutputFile {
  /** File name inside the output folder. */
  name: string;
  bytes: Uint8Array;
}

/** Everything `results.json` holds besides the arrays in .npy files. */
export interface ResultsJson {
  version: 1;
  recipe: Results['recipe'];
  nAtoms: number;
  nFrames: number;
  scoreDim: number;
  pca: { k: number; dim: number; nSamples: number; cumulativeRatioFirst10: number[] } | null;
  clustering: { description: string; nClusters: number; figures: Record<string, unknown>; populations: number[] };
  transitions: { k: number; counts: number[][]; probabilities: number[][] };
  macro: {
    nMacro: number; cut: number; microToMacro: number[]; fclusterIds: number[]; keptRows: number[]; excludedRows: number[];
    leaves: number[]; linkage: number[][]; counts: number[][]; probabilities: number[][];
  };
  timings: Results['timings'];
  peakMemoryBytes?: number;
  warnings: string[];
  /** Which .npy file holds what (shape and meaning). */
  files: Record<string, string>;
}

function matrix(a: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(a.subarray(i * cols, (i + 1) * cols)));
}

const enc = new TextEncoder();

/** The output files of a run: .npy arrays, results.json and summary.txt. */
export function resultsFiles(r: Results): OutputFile[] {
  const a = r.analysis;
  const nRows = r.nAtoms * r.nFrames;
  const files: OutputFile[] = [];
  const described: Record<string, string> = {};
  const npy = (name: string, data: Float64Array | Int32Array | Uint8Array, shape: number[], what: string) => {
    files.push({ name, bytes: writeNpy(data, shape) });
    described[name] = `${what}; shape (${shape.join(', ')})`;
  };
  npy('atoms.npy', r.atoms, [r.atoms.length], 'trajectory index of each analysed atom');
  npy('frames.npy', r.frames, [r.frames.length], 'trajectory frame of each analysed frame');
  npy('scores.npy', r.scores, [nRows, r.scoreDim], 'PCA scores (or LENS values), rows frame-major: row = j * nAtoms + a');
  if (r.lens) npy('lens.npy', r.lens, [nRows], 'smoothed, clipped LENS per row');
  npy('labels.npy', a.cluster.labels, [nRows], 'micro-cluster label per row (-1 = noise if any)');
  if (a.cluster.hardLabels) npy('hard_labels.npy', a.cluster.hardLabels, [nRows], 'HDBSCAN* hard label per row (-1 = noise)');
  if (a.cluster.predicted?.some((v) => v !== 0)) npy('predicted.npy', a.cluster.predicted, [nRows], '1 where the label was predicted from a fitted subsample');
  npy('macro_labels.npy', a.macro.labels, [nRows], 'macro-cluster label per row');
  const k = a.transitions.k, K = a.macro.nMacro;
  npy('transition_counts.npy', a.transitions.counts, [k, k], 'micro transition counts T[a, b] (noise last if any)');
  npy('transition_probabilities.npy', a.transitions.probabilities, [k, k], 'row-normalised micro transitions');
  npy('macro_transition_counts.npy', a.macro.transitions.counts, [K, K], 'macro transition counts');
  npy('macro_transition_probabilities.npy', a.macro.transitions.probabilities, [K, K], 'row-normalised macro transitions');
  const nLink = a.macro.tree.linkage.length / 4;
  if (nLink > 0) npy('linkage.npy', a.macro.tree.linkage, [nLink, 4], 'scipy linkage of the kept transition rows (indices within keptRows)');
  if (r.pca) {
    npy('pca_mean.npy', r.pca.mean, [r.pca.dim], 'PCA mean');
    npy('pca_components.npy', r.pca.components, [r.pca.k, r.pca.dim], 'PCA components (rows, unit)');
    npy('pca_explained_variance_ratio.npy', r.pca.explainedVarianceRatio, [r.pca.dim], 'explained variance ratio (all components)');
  }
  const json: ResultsJson = {
    version: 1, recipe: r.recipe, nAtoms: r.nAtoms, nFrames: r.nFrames, scoreDim: r.scoreDim,
    pca: r.pca ? { k: r.pca.k, dim: r.pca.dim, nSamples: r.pca.nSamples, cumulativeRatioFirst10: Array.from(r.pca.cumulativeRatio.subarray(0, 10)) } : null,
    clustering: { description: a.cluster.description, nClusters: a.cluster.nClusters, figures: a.cluster.figures ?? {}, populations: Array.from(a.populations) },
    transitions: { k, counts: matrix(a.transitions.counts, k, k), probabilities: matrix(a.transitions.probabilities, k, k) },
    macro: {
      nMacro: K, cut: a.macro.tree.cut, microToMacro: Array.from(a.macro.microToMacro), fclusterIds: Array.from(a.macro.tree.fclusterIds),
      keptRows: Array.from(a.macro.tree.keptRows), excludedRows: Array.from(a.macro.tree.excludedRows), leaves: Array.from(a.macro.tree.leaves),
      linkage: matrix(a.macro.tree.linkage, nLink, 4), counts: matrix(a.macro.transitions.counts, K, K),
      probabilities: matrix(a.macro.transitions.probabilities, K, K),
    },
    timings: r.timings, peakMemoryBytes: r.peakMemoryBytes, warnings: [...r.warnings, ...a.warnings], files: described,
  };
  files.push({ name: 'results.json', bytes: enc.encode(JSON.stringify(json, null, 1) + '\n') });
  files.push({ name: 'summary.txt', bytes: enc.encode(summarise(r) + '\n') });
  return files;
}
