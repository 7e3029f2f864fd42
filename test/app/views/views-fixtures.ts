import { readSharedJson, readSharedNpy } from '../../helpers/shared.ts';
import { analyseLabels } from '../../../src/core/pipeline/analysis.ts';
import type { Results } from '../../../src/core/pipeline/results.ts';
import { CU211_PRESET } from '../../../src/core/pipeline/recipe.ts';
import type { PcaModel } from '../../../src/core/learn/pca.ts';

/** A stand-in PCA model of k components (only k matters to the views and exports). */
function pcaStub(k: number, dim: number): PcaModel {
  return { dim, nSamples: 0, k, mean: new Float64Array(dim), components: new Float64Array(k * dim), explainedVariance: new Float64Array(dim),
    explainedVarianceRatio: new Float64Array(dim), cumulativeRatio: new Float64Array(dim) };
}

const DIR = ['fixtures', 'learn', 'cu211_pipeline'];

export interface CuPipelineJson {
  atoms: { masked_index_to_dump_index: number[] };
  hdbscan: { joint: {
    transition_counts_soft: number[][];
    hierarchical_clustering_of_soft_probabilities: { linkage: number[][]; fcluster_t1_distance: number[]; dendrogram_leaves_distance_sort_ascending: number[] };
  } };
}

let cached: Results | null = null;

/**
 * Results built from the real Cu(211) reference (fixtures/learn/cu211_pipeline/README.md):
 * 479 kept frames (trajectory frames 10..488) x 900 masked atoms = 431,100 rows, the joint PCA
 * scores (k = 4, float32 upcast), the paper's soft labels, the filtered LENS [:, 10:-10] made
 * frame-major; transitions and macro-clusters computed by the core from those labels.
 */
export function cuResults(): Results {
  if (cached) return cached;
  const json = readSharedJson<CuPipelineJson>(...DIR, 'pipeline.json');
  const scores = readSharedNpy(...DIR, 'joint_pca_scores_f32.npy');
  const labels = readSharedNpy(...DIR, 'joint_hdbscan_soft_labels.npy');
  const lensNpy = readSharedNpy(...DIR, 'lens_filtered_clipped.npy');
  const nAtoms = 900, nFrames = 479;
  const lensAll = lensNpy.data as Float64Array; // (900, 499)
  const lens = new Float64Array(nAtoms * nFrames);
  for (let j = 0; j < nFrames; j++) for (let a = 0; a < nAtoms; a++) lens[j * nAtoms + a] = lensAll[a * 499 + 10 + j];
  const lab = Int32Array.from(labels.data as ArrayLike<number>);
  const recipe = CU211_PRESET;
  const analysis = analyseLabels({ labels: lab, nClusters: 6, description: 'reference soft labels' }, nAtoms, nFrames,
    { transitions: recipe.transitions, macro: recipe.macro });
  cached = {
    version: 1, recipe,
    atoms: Int32Array.from(json.atoms.masked_index_to_dump_index),
    frames: Int32Array.from({ length: nFrames }, (_, j) => j + 10),
    nAtoms, nFrames, lens, pca: pcaStub(4, 577),
    scores: Float64Array.from(scores.data as ArrayLike<number>), scoreDim: 4,
    analysis, timings: [], warnings: [],
  };
  return cached;
}

export function cuJson(): CuPipelineJson {
  return readSharedJson<CuPipelineJson>(...DIR, 'pipeline.json');
}

/** A tiny synthetic run: nFrames x nAtoms rows, 2-D scores on a grid, labels by quadrant. */
export function smallResults(nAtoms = 4, nFrames = 5, atoms?: number[]): Results {
  const n = nAtoms * nFrames;
  const scores = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let j = 0; j < nFrames; j++) {
    for (let a = 0; a < nAtoms; a++) {
      const r = j * nAtoms + a;
      scores[2 * r] = a + 0.1 * j;
      scores[2 * r + 1] = j - 0.05 * a;
      labels[r] = (a + (j >> 1)) % 3;
    }
  }
  const recipe = CU211_PRESET;
  const analysis = analyseLabels({ labels, nClusters: 3, description: 'synthetic' }, nAtoms, nFrames, { transitions: recipe.transitions, macro: recipe.macro });
  return {
    version: 1, recipe, atoms: Int32Array.from(atoms ?? Array.from({ length: nAtoms }, (_, a) => a)),
    frames: Int32Array.from({ length: nFrames }, (_, j) => j + 1), nAtoms, nFrames,
    lens: Float64Array.from({ length: n }, (_, i) => (i % 7) / 10), pca: pcaStub(2, 2), scores, scoreDim: 2, analysis, timings: [], warnings: [],
  };
}
