import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import type { StoreApi } from 'zustand/vanilla';
import { createAppStore, loadedTrajectory, type AppState } from '../../src/app/store.ts';
import { cancelPipeline, computeLens, computeSoap, runPipeline, type ComputeServices, type RecipeRunner } from '../../src/app/compute/compute-actions.ts';
import { clusterLayers } from '../../src/app/compute/layers.ts';
import type { ComputeApi } from '../../workers/compute.worker.ts';
import { inThreadPool } from './compute-fixture.ts';
import type { Pool } from '../../workers/pool.ts';
import { CancelledError } from '../../src/core/errors.ts';
import { blobSource } from '../../src/core/io/source.ts';
import { openTrajectory } from '../../src/core/io/index.ts';
import { computeLens as coreLens, lensAtFrame, trajectoryFrames } from '../../src/core/descriptors/lens/compute-lens.ts';
import { createSoapScratch, planSoap, soapFrame, speciesCodes } from '../../src/core/descriptors/soap/soap.ts';
import { buildNeighbourList, createNeighbourList } from '../../src/core/geometry/neighbours.ts';
import { computeTsoap, planTsoap } from '../../src/core/descriptors/tsoap/tsoap.ts';
import { CU211_PRESET, type Recipe } from '../../src/core/pipeline/recipe.ts';
import type { Results } from '../../src/core/pipeline/results.ts';
import type { Trajectory } from '../../src/core/trajectory.ts';
import { readShared } from '../helpers/shared.ts';

// The compute panel's actions on a real cut of ../shared/data/generated/au309_ico_200K_gupta.xyz.gz
// (our own MD output, 309 Au atoms, no cell), run through an in-thread "pool" of real compute APIs,
// checked against the core functions called directly. Layers are float32: values are compared
// to the float64 reference rounded to float32.
const AU_ATOMS = 309;
const FRAMES = 5;
/** float32 storage of the layer: relative rounding 2^-24, plus nothing else (same float64 maths). */
const F32_REL = 2 ** -23;

let auFile: File;
beforeAll(() => {
  const text = gunzipSync(readShared('data', 'generated', 'au309_ico_200K_gupta.xyz.gz')).toString('latin1');
  let pos = 0;
  for (let i = 0; i < FRAMES * (AU_ATOMS + 2); i++) pos = text.indexOf('\n', pos) + 1;
  auFile = new File([Buffer.from(text.slice(0, pos), 'latin1')], 'au309_cut.xyz');
});

function services(pool: Pool<ComputeApi>, runRecipe?: RecipeRunner): ComputeServices {
  return {
    pool: () => pool,
    openTrajectory: (files, o) => openTrajectory(files.map((f) => blobSource(f)), { typeElements: o.typeElements, signal: o.signal }),
    proxy: (f) => f,
    runRecipe,
  };
}

let store: StoreApi<AppState>;
const st = () => store.getState();
let traj: Trajectory;

beforeEach(async () => {
  store = createAppStore();
  traj = await openTrajectory([blobSource(auFile)]);
  st().setTrajectory(loadedTrajectory(traj, 1, [auFile]));
});

describe('computeLens', () => {
  it('installs the LENS layer, the series and the colouring; values equal core computeLens', async () => {
    const seen: Array<{ stage: string; done: number; total: number }> = [];
    const unsub = store.subscribe((s) => { const p = s.jobs[0]?.progress; if (p && seen.at(-1) !== p) seen.push(p); });
    const ok = await computeLens(store, services(inThreadPool(2)), { cutoff: 4.48, convention: 'soapify' });
    unsub();
    expect(seen.at(-1)).toEqual({ stage: 'lens', done: FRAMES, total: FRAMES });
    expect(ok).toBe(true);
    expect(st().jobs).toEqual([]);
    expect(st().errors).toEqual([]);
    expect(st().colourBy).toEqual({ kind: 'layer', id: 'lens' });
    expect(st().frameIndex).toBe(1); // frame 0 has no LENS: the view moves to the first frame with values
    const layer = st().layers.lens;
    expect(layer.label).toBe('LENS');
    expect(Array.from(layer.frames)).toEqual([1, 2, 3, 4]); // frame 0 has no previous frame: grey
    const ref = await coreLens(trajectoryFrames(traj), AU_ATOMS, FRAMES, traj.pbc, { cutoff: 4.48, convention: 'soapify', delay: 1 });
    let nonZero = 0;
    for (let r = 0; r < layer.frames.length; r++) {
      const want = lensAtFrame(ref, layer.frames[r], AU_ATOMS);
      for (let a = 0; a < AU_ATOMS; a++) {
        expect(layer.values[r * AU_ATOMS + a]).toBe(Math.fround(want[a]));
        if (want[a] > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(0);
    expect(layer.range![0]).toBeGreaterThanOrEqual(0);
    expect(layer.range![1]).toBeLessThanOrEqual(1);
    expect(st().lensSeries?.result.lens).toEqual(ref.lens);
  });

  it('cancel keeps what was there, shows no error and ends the job', async () => {
    st().addLayer({ id: 'lens', label: 'LENS', kind: 'continuous', nAtoms: AU_ATOMS, frames: Int32Array.from([0]), values: new Float32Array(AU_ATOMS) });
    const before = st().layers.lens;
    const p = computeLens(store, services(inThreadPool(2)), { cutoff: 4.48, convention: 'soapify' });
    st().jobs[0].cancel!();
    expect(await p).toBe(false);
    expect(st().layers.lens).toBe(before);
    expect(st().errors).toEqual([]);
    expect(st().jobs).toEqual([]);
  });

  it('a bad cutoff is an error message, not a crash', async () => {
    expect(await computeLens(store, services(inThreadPool(1)), { cutoff: -1, convention: 'soapify' })).toBe(false);
    expect(st().errors).toHaveLength(1);
    expect(JSON.stringify(st().errors[0])).toMatch(/cutoff/);
  });

  it('a trajectory replaced while computing gets no layer from the old one', async () => {
    const p = computeLens(store, services(inThreadPool(2)), { cutoff: 4.48, convention: 'soapify' });
    st().setTrajectory(loadedTrajectory(traj, 2, [auFile]));
    expect(await p).toBe(false);
    expect(st().layers).toEqual({});
    expect(st().lensSeries).toBeNull();
  });
});

describe('computeSoap', () => {
  it('streams SOAP through the pool into timeSOAP and spread layers equal to the core computation', async () => {
    const recipe: Recipe = { ...CU211_PRESET, soap: { ...CU211_PRESET.soap, nMax: 4, lMax: 3, rCut: 4.48 } };
    st().setRecipe(recipe);
    const seen: Array<{ stage: string; done: number; total: number }> = [];
    const unsub = store.subscribe((s) => { const p = s.jobs[0]?.progress; if (p && seen.at(-1) !== p) seen.push(p); });
    expect(await computeSoap(store, services(inThreadPool(2)))).toBe(true);
    unsub();
    expect(seen.at(-1)).toEqual({ stage: 'soap', done: FRAMES, total: FRAMES }); // the job's progress bar reached the end
    expect(st().errors).toEqual([]);
    expect(st().colourBy).toEqual({ kind: 'layer', id: 'timesoap' });
    // reference: core SOAP per frame (filled, normalised, not periodic: the XYZ has no cell)
    const plan = planSoap({ ...recipe.soap, species: ['Au'], layout: 'filled', periodic: false });
    const scratch = createSoapScratch(plan);
    const nl = createNeighbourList();
    const codes = speciesCodes(plan, traj.species);
    const spectra = new Float64Array(FRAMES * AU_ATOMS * plan.width);
    for (let t = 0; t < FRAMES; t++) {
      const f = await traj.readFrame(t);
      buildNeighbourList(nl, f.positions, AU_ATOMS, null, traj.pbc, plan.neighbourRadius, null, true);
      soapFrame(plan, nl, codes, spectra, t * AU_ATOMS * plan.width, scratch);
    }
    const ts = computeTsoap(planTsoap({ width: plan.width, delay: 1, convention: 'soapify' }), spectra, FRAMES, AU_ATOMS);
    const tl = st().layers.timesoap;
    expect(tl.label).toBe('timeSOAP');
    expect(Array.from(tl.frames)).toEqual([1, 2, 3, 4]);
    for (let r = 0; r < 4; r++) for (let a = 0; a < AU_ATOMS; a++) {
      const want = ts[a * (FRAMES - 1) + r];
      expect(Math.abs(tl.values[r * AU_ATOMS + a] - want)).toBeLessThanOrEqual(F32_REL * want + 1e-12);
    }
    const sp = st().layers['soap-spread'];
    expect(Array.from(sp.frames)).toEqual([0, 1, 2, 3, 4]);
    const t = 2, D = plan.width, base = t * AU_ATOMS * D;
    const mean = new Float64Array(D);
    for (let a = 0; a < AU_ATOMS; a++) for (let j = 0; j < D; j++) mean[j] += spectra[base + a * D + j] / AU_ATOMS;
    for (let a = 0; a < AU_ATOMS; a += 37) {
      let s = 0;
      for (let j = 0; j < D; j++) s += (spectra[base + a * D + j] - mean[j]) ** 2;
      expect(sp.values[t * AU_ATOMS + a]).toBeCloseTo(Math.sqrt(s), 5);
    }
  });
});

/** A Results object with given labels (the runner's own tests cover its numbers). */
function fakeResults(recipe: Recipe, atoms: number[], frames: number[], labels: number[], macro: number[], nClusters: number, nMacro: number): Results {
  return {
    version: 1, recipe, atoms: Int32Array.from(atoms), frames: Int32Array.from(frames), nAtoms: atoms.length, nFrames: frames.length,
    lens: null, pca: null, scores: new Float64Array(labels.length), scoreDim: 1,
    analysis: {
      nAtoms: atoms.length, nFrames: frames.length,
      cluster: { labels: Int32Array.from(labels), nClusters, description: 'test' },
      populations: new Float64Array(nClusters),
      transitions: null as never,
      macro: { tree: null as never, microToMacro: new Int32Array(nClusters), nMacro, labels: Int32Array.from(macro), transitions: null as never },
      warnings: [],
    },
    timings: [{ stage: 'pca', ms: 5 }], warnings: [],
  };
}

describe('clusterLayers', () => {
  it('puts labels on analysed atoms of kept frames, -1 (grey) elsewhere, noise as its own category', () => {
    const r = fakeResults(CU211_PRESET, [1, 3], [2, 3], [0, -1, 1, 0], [0, 0, 0, 0], 2, 1);
    const [c, m] = clusterLayers(r, 4);
    expect(Array.from(c.frames)).toEqual([2, 3]);
    expect(Array.from(c.values)).toEqual([-1, 0, -1, 2, -1, 1, -1, 0]);
    expect(c.categories).toEqual(['cluster 0', 'cluster 1', 'noise']);
    expect(Array.from(m.values)).toEqual([-1, 0, -1, 0, -1, 0, -1, 0]);
    expect(m.categories).toEqual(['macro 0']);
  });
});

describe('runPipeline', () => {
  const recipe: Recipe = { ...CU211_PRESET, typeElements: undefined, selection: { kind: 'all' } };

  it('reports stages, installs results and cluster/macro layers', async () => {
    st().setRecipe(recipe);
    const res = fakeResults(recipe, [0, 1], [1, 2], [0, 1, 1, 0], [0, 0, 0, 0], 2, 1);
    const seen: string[] = [];
    const runner: RecipeRunner = async (r, input, _pool, o) => {
      expect(r).toBe(recipe);
      expect(input.sources).toEqual([auFile]);
      expect(input.trajectory.nAtoms).toBe(AU_ATOMS);
      expect(o.maxFrames).toBe(3);
      o.onStage?.({ stage: 'lens', state: 'start' });
      seen.push(String(store.getState().run.stage));
      o.onProgress?.({ stage: 'lens', done: 1, total: 3 });
      seen.push(JSON.stringify(store.getState().run.progress));
      o.onStage?.({ stage: 'lens', state: 'done', ms: 12 });
      return res;
    };
    expect(await runPipeline(store, services(inThreadPool(1), runner), { maxFrames: 3 })).toBe(true);
    expect(seen).toEqual(['lens', JSON.stringify({ stage: 'lens', done: 1, total: 3 })]);
    expect(st().results).toBe(res);
    expect(st().run).toMatchObject({ running: false, stage: null, error: null, done: [{ stage: 'lens', ms: 12 }] });
    expect(st().colourBy).toEqual({ kind: 'layer', id: 'cluster' });
    expect(st().frameIndex).toBe(1); // first analysed frame
    expect(Array.from(st().layers.cluster.values.subarray(0, 3))).toEqual([0, 1, -1]);
    expect(st().layers.macro).toBeDefined();
    expect(st().jobs).toEqual([]);
  });

  it('cancel leaves the previous results; an error goes to the errors slice and run.error', async () => {
    st().setRecipe(recipe);
    const old = fakeResults(recipe, [0], [1], [0], [0], 1, 1);
    st().setResults(old);
    const waiting: RecipeRunner = (_r, _i, _p, o) => new Promise((_, reject) => o.signal!.addEventListener('abort', () => reject(new CancelledError())));
    const p = runPipeline(store, services(inThreadPool(1), waiting));
    await new Promise((r) => setTimeout(r, 0));
    expect(st().run.running).toBe(true);
    cancelPipeline(store);
    expect(await p).toBe(false);
    expect(st().results).toBe(old);
    expect(st().run).toMatchObject({ running: false, error: null, cancelled: true });
    expect(st().errors).toEqual([]);

    const failing: RecipeRunner = async () => { throw new RangeError('selection: no atom selected'); };
    expect(await runPipeline(store, services(inThreadPool(1), failing))).toBe(false);
    expect(st().results).toBe(old);
    expect(st().run.error).toBe('selection: no atom selected');
    expect(st().errors).toHaveLength(1);
  });

  it('an invalid recipe is refused with the field named', async () => {
    st().setRecipe({ ...recipe, soap: { ...recipe.soap, nMax: 0 } });
    expect(await runPipeline(store, services(inThreadPool(1), async () => { throw new Error('must not run'); }))).toBe(false);
    expect(st().run.error).toMatch(/soap\.nMax/);
  });
});
