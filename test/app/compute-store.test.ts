import { beforeEach, describe, expect, it } from 'vitest';
import type { StoreApi } from 'zustand/vanilla';
import { createAppStore, IDLE_RUN, type AppState } from '../../src/app/store.ts';
import { AUNP_PRESET, CU211_PRESET } from '../../src/core/pipeline/recipe.ts';
import type { Results } from '../../src/core/pipeline/results.ts';
import { traj } from './fixtures.ts';

let store: StoreApi<AppState>;
const st = () => store.getState();
beforeEach(() => { store = createAppStore(); });

/** The smallest plain Results object the slice stores (the slice never looks inside). */
function fakeResults(name: string): Results {
  return { version: 1, recipe: { ...CU211_PRESET, name }, atoms: Int32Array.from([0]), frames: Int32Array.from([0]), nAtoms: 1, nFrames: 1,
    lens: null, pca: null, scores: new Float64Array(1), scoreDim: 1, analysis: null as unknown as Results['analysis'], timings: [], warnings: [] };
}

describe('analysis slice', () => {
  it('starts empty with the Cu(211) preset and an idle run', () => {
    expect(st().results).toBeNull();
    expect(st().resultsVersion).toBe(0);
    expect(st().recipe).toBe(CU211_PRESET);
    expect(st().run).toEqual(IDLE_RUN);
    expect(st().lensSeries).toBeNull();
  });

  it('setResults / clearResults bump the version; clearing nothing does not', () => {
    st().setTrajectory(traj(1));
    const r = fakeResults('a');
    st().setResults(r);
    expect(st().results).toBe(r);
    expect(st().resultsVersion).toBe(1);
    st().clearResults();
    expect(st().results).toBeNull();
    expect(st().resultsVersion).toBe(2);
    st().clearResults();
    expect(st().resultsVersion).toBe(2);
  });

  it('setRun merges patches', () => {
    st().setRun({ running: true, stage: 'pca' });
    st().setRun({ progress: { stage: 'pca', done: 3, total: 10 } });
    expect(st().run).toEqual({ ...IDLE_RUN, running: true, stage: 'pca', progress: { stage: 'pca', done: 3, total: 10 } });
  });

  it('a new trajectory drops results and computed LENS but keeps the recipe', () => {
    st().setTrajectory(traj(1));
    st().setRecipe(AUNP_PRESET);
    st().setResults(fakeResults('a'));
    st().setLensSeries({ result: { convention: 'soapify', delay: 1, nCentres: 3, nFrames: 4, columns: 4, lens: new Float64Array(12),
      numerator: new Int32Array(12), denominator: new Int32Array(12), counts: new Int32Array(12) }, centres: null, cutoff: 6 });
    st().setTrajectory(traj(2));
    expect(st().results).toBeNull();
    expect(st().resultsVersion).toBe(2);
    expect(st().lensSeries).toBeNull();
    expect(st().recipe).toBe(AUNP_PRESET);
  });
});
