import { describe, expect, it } from 'vitest';
import { readNpy } from '../../../src/core/io/npy.ts';
import { createPcaAccumulator, pcaAccumulate, pcaFinish, pcaProject } from '../../../src/core/learn/pca.ts';
import { seededRng } from '../../../src/core/learn/rng.ts';
import { analyseScores } from '../../../src/core/pipeline/analysis.ts';
import { clustererFor } from '../../../src/core/pipeline/clusterers.ts';
import { resultsFiles, type ResultsJson } from '../../../src/core/pipeline/export.ts';
import { ICE_PRESET } from '../../../src/core/pipeline/recipe.ts';
import type { Results } from '../../../src/core/pipeline/results.ts';

describe('result files', () => {
  it('arrays round-trip through .npy and results.json describes the run', async () => {
    const rng = seededRng(4);
    const nAtoms = 40, nFrames = 12, D = 6, n = nAtoms * nFrames;
    const x = Float64Array.from({ length: n * D }, (_, i) => (i % D === 0 ? 5 * ((Math.floor(i / D) % nAtoms) % 3) : 0) + rng());
    const acc = createPcaAccumulator(D);
    pcaAccumulate(acc, x, n);
    const pca = pcaFinish(acc, { k: 2 });
    const scores = pcaProject(pca, x, n);
    const analysis = await analyseScores({ scores, dim: 2, nAtoms, nFrames }, { transitions: ICE_PRESET.transitions, macro: ICE_PRESET.macro },
      clustererFor(ICE_PRESET.cluster, 1));
    const r: Results = { version: 1, recipe: ICE_PRESET, atoms: Int32Array.from({ length: nAtoms }, (_, i) => 2 * i),
      frames: Int32Array.from({ length: nFrames }, (_, j) => j + 50), nAtoms, nFrames, lens: null, pca, scores, scoreDim: 2,
      analysis, timings: [{ stage: 'pca', ms: 12 }], warnings: [] };
    const files = new Map(resultsFiles(r).map((f) => [f.name, f.bytes]));
    const npy = (name: string) => readNpy(files.get(name)!, name);
    expect(npy('scores.npy')).toEqual({ dtype: 'f8', shape: [n, 2], data: scores });
    expect(npy('labels.npy').data).toEqual(analysis.cluster.labels);
    expect(npy('macro_labels.npy').data).toEqual(analysis.macro.labels);
    expect(npy('transition_counts.npy').shape).toEqual([3, 3]);
    expect(npy('linkage.npy').data).toEqual(analysis.macro.tree.linkage);
    expect(npy('pca_components.npy').shape).toEqual([2, D]);
    expect(npy('frames.npy').data).toEqual(r.frames);
    expect(files.has('lens.npy')).toBe(false);
    const json = JSON.parse(new TextDecoder().decode(files.get('results.json'))) as ResultsJson;
    expect(json.recipe).toEqual(ICE_PRESET);
    expect(json.transitions.counts.flat()).toEqual(Array.from(analysis.transitions.counts));
    expect(json.macro.leaves).toEqual(Array.from(analysis.macro.tree.leaves));
    expect(json.clustering.nClusters).toBe(3);
    expect(Object.keys(json.files)).toContain('scores.npy');
    expect(new TextDecoder().decode(files.get('summary.txt'))).toMatch(/PCA: 2 components of 6/);
  });
});
