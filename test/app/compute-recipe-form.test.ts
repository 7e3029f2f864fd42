import { describe, expect, it } from 'vitest';
import {
  formatTypeElements, parseList, parseNumbers, parseTypeElements, presetOf, recipeError, recipeFileName, recipeJson, runFigures,
} from '../../src/app/compute/recipe-form.ts';
import { stageList } from '../../src/app/compute/stages.ts';
import { AUNP_PRESET, CU211_PRESET, ICE_PRESET, parseRecipe, type Recipe } from '../../src/core/pipeline/recipe.ts';
import type { Results } from '../../src/core/pipeline/results.ts';

describe('recipe form helpers', () => {
  it('names the preset a recipe equals, null once edited', () => {
    expect(presetOf(CU211_PRESET)).toBe('cu211');
    expect(presetOf(structuredClone(AUNP_PRESET))).toBe('aunp');
    expect(presetOf(ICE_PRESET)).toBe('ice');
    expect(presetOf({ ...CU211_PRESET, seed: 1 })).toBeNull();
  });

  it('validation messages name the field; presets are valid', () => {
    for (const r of [CU211_PRESET, AUNP_PRESET, ICE_PRESET]) expect(recipeError(r)).toBeNull();
    expect(recipeError({ ...CU211_PRESET, soap: { ...CU211_PRESET.soap, rCut: Number.NaN } })).toMatch(/soap\.rCut/);
    expect(recipeError({ ...CU211_PRESET, pca: { varianceRatio: 1.5 } })).toMatch(/pca\.varianceRatio/);
    const hd = (params: object): Recipe => ({ ...CU211_PRESET, cluster: { ...CU211_PRESET.cluster, params } as Recipe['cluster'] });
    expect(recipeError(hd({ minClusterSize: 1 }))).toMatch(/minClusterSize/);
    expect(recipeError(hd({ minClusterSize: 80, minSamples: 2.5 }))).toMatch(/minSamples/);
    expect(recipeError(hd({ minClusterSize: 80, clusterSelectionEpsilon: Number.NaN }))).toMatch(/clusterSelectionEpsilon/);
    expect(recipeError(hd({ minClusterSize: 80, minSamples: undefined, clusterSelectionEpsilon: 0.5 }))).toBeNull();
  });

  it('parses list and map fields', () => {
    expect(parseList(' H, O  Cu,,')).toEqual(['H', 'O', 'Cu']);
    expect(parseNumbers('1, 2 x')).toEqual([1, 2, Number.NaN]);
    expect(parseTypeElements('1=Cu, 2=O')).toEqual({ 1: 'Cu', 2: 'O' });
    expect(parseTypeElements('  ')).toBeUndefined();
    expect(parseTypeElements('3')).toEqual({ 3: '' });
    expect(formatTypeElements({ 1: 'Cu', 2: 'O' })).toBe('1=Cu, 2=O');
  });

  it('saved JSON loads back to the same recipe with parseRecipe', () => {
    const r: Recipe = { ...ICE_PRESET, seed: 7 };
    expect(parseRecipe(recipeJson(r))).toEqual(r);
    expect(recipeFileName(CU211_PRESET)).toBe('cu-211-600-k-soap-lens-paper.recipe.json');
  });

  it('stage list: known stages in order, then any unknown one reported', () => {
    expect(stageList([]).map(([id]) => id)).toEqual(['selection', 'lens', 'smoothing', 'pca', 'projection', 'clustering']);
    expect(stageList(['lens', 'extra']).map(([id]) => id).slice(-1)).toEqual(['extra']);
  });

  it('run figures: components, variance at k, clusters, noise rows, macro-clusters, total time', () => {
    const cumulativeRatio = Float64Array.from([0.6, 0.9, 0.99, 1]);
    const r = {
      nFrames: 2, nAtoms: 3, timings: [{ stage: 'lens', ms: 10 }, { stage: 'pca', ms: 30 }],
      pca: { k: 2, dim: 4, cumulativeRatio },
      analysis: { cluster: { labels: Int32Array.from([0, 1, -1, 0, -1, 1]), nClusters: 2, description: 'HDBSCAN*' }, macro: { nMacro: 1 } },
    } as unknown as Results;
    expect(runFigures(r)).toEqual({
      frames: 2, atoms: 3, components: 2, dim: 4, varianceExplained: 0.9, clusters: 2, noiseRows: 2, macroClusters: 1,
      description: 'HDBSCAN*', timings: r.timings, totalMs: 40,
    });
  });
});

describe('compute pool size', () => {
  it('one worker per reported core, 2 when unknown, at most MAX_COMPUTE_WORKERS', async () => {
    const { computePoolSize, MAX_COMPUTE_WORKERS } = await import('../../src/app/compute/compute-pool.ts');
    expect(computePoolSize(8)).toBe(8);
    expect(computePoolSize(undefined)).toBe(2);
    expect(computePoolSize(0)).toBe(2);
    expect(computePoolSize(1000)).toBe(MAX_COMPUTE_WORKERS);
  });
});

describe('SOAP of the loaded trajectory', () => {
  it('leaves virtual sites out of the species and the centres', async () => {
    const { soapCentres, soapParamsFor } = await import('../../src/app/compute/compute-actions.ts');
    const species = ['O', 'H', 'H', 'virtual', 'O'];
    expect(soapParamsFor(CU211_PRESET, species, true).species).toEqual(['O', 'H']);
    expect(Array.from(soapCentres(species)!)).toEqual([0, 1, 2, 4]);
    expect(soapCentres(['Au', 'Au'])).toBeNull();
  });
});

describe('SOAP summary', () => {
  it('timeSOAP and distance to the frame mean per centre; other atoms NaN (grey)', async () => {
    const { createSoapSummary, soapLayers } = await import('../../src/app/compute/layers.ts');
    const b = createSoapSummary(3, 2, Int32Array.from([0, 2]));
    b.push(0, [1, 0, 0, 1], 2);
    b.push(1, [0, 1, 0, 1], 2);
    expect(() => b.push(5, [0, 1, 0, 1], 2)).toThrow(RangeError);
    const [ts, sp] = soapLayers(b.result());
    expect(Array.from(ts.frames)).toEqual([1]);
    expect(Array.from(ts.values)).toEqual([Math.fround(Math.SQRT2), Number.NaN, 0]);
    expect(Array.from(sp.frames)).toEqual([0, 1]);
    expect(Array.from(sp.values)).toEqual([Math.fround(Math.SQRT1_2), Number.NaN, Math.fround(Math.SQRT1_2), 0, Number.NaN, 0]);
  });
});
