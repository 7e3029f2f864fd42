/**
 * LODE in the pipeline (issue 8): runRecipe on real Node worker threads with the LODE block alone
 * or after SOAP and LENS, against a single-threaded reference assembled here from the core
 * functions (computeSoap, computeLode, LENS smoothing, the weighted concatenation, core PCA), on
 * the first frames of the generated Cu(211) run; a zero LODE weight leaves the PCA of SOAP & LENS
 * unchanged; bad LODE blocks are RangeErrors naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLens, trajectoryFrames } from '../../src/core/descriptors/lens/compute-lens.ts';
import { computeLode } from '../../src/core/descriptors/lode/lode.ts';
import { lensForward, selectAlignedFrames, smoothLens } from '../../src/core/descriptors/smoothing/postprocess.ts';
import { computeSoap } from '../../src/core/descriptors/soap/soap.ts';
import { openTrajectory } from '../../src/core/io/index.ts';
import { createPcaAccumulator, pcaAccumulate, pcaFinish, pcaProject, type PcaModel } from '../../src/core/learn/pca.ts';
import { CU211_PRESET, validateRecipe, type LodeRecipe, type Recipe } from '../../src/core/pipeline/recipe.ts';
import type { Results } from '../../src/core/pipeline/results.ts';
import { selectAtoms } from '../../src/core/pipeline/selection.ts';
import type { Trajectory } from '../../src/core/trajectory.ts';
import { fileSource } from '../../src/cli/node-source.ts';
import { createNodePool } from '../../workers/node-pool.ts';
import { runRecipe, type PipelineInput } from '../../workers/pipeline-runner.ts';
import { sharedPath } from '../helpers/shared.ts';

// Issue brief (issue 8 pipeline step): the pool result equals the single-threaded reference within
// 1e-9 (only the order of the float64 sums and the compact-SOAP embedding differ).
const TOL_POOL_VS_REFERENCE = 1e-9;

const PATH = sharedPath('data', 'generated', 'cu211_600K_eam.lammpstrj.gz');
const N_FRAMES = 12;
const CU = 29;

const LODE_P1: LodeRecipe = {
  params: { exponent: 1, smearing: 2, cutoff: 4, maxRadial: 3, maxAngular: 2, radialBasis: 'gto', output: 'power-spectrum' },
  weight: 0.01,
};
const LODE_P6: LodeRecipe = {
  params: { exponent: 6, smearing: 2, cutoff: 4, maxRadial: 3, maxAngular: 1, radialBasis: 'gto', output: 'lambda0' },
  weight: 2.5,
  normalise: true,
};

/** The Cu(211) preset scaled down: top 100 atoms, SOAP n = l = 4, W = 4 (7 analysed frames). */
const SMALL: Recipe = {
  ...CU211_PRESET,
  name: 'Cu(211) preset with LODE, scaled down for tests',
  selection: { kind: 'top-by-z', count: 100, frame: 0 },
  soap: { ...CU211_PRESET.soap, nMax: 4, lMax: 4 },
  smoothing: { ...CU211_PRESET.smoothing, window: 4 },
  lensWeight: 1.5,
  soapWeight: 0.8,
  cluster: { method: 'kmeans', k: 3, nInit: 2, maxIter: 50, tol: 1e-6 },
};

let traj: Trajectory;
let closeSrc: () => Promise<void>;
const pool = createNodePool(2);
beforeAll(async () => {
  const src = await fileSource(PATH);
  closeSrc = () => src.close();
  traj = await openTrajectory([src], { typeElements: CU211_PRESET.typeElements });
});
afterAll(async () => { await pool.dispose(); await closeSrc?.(); });

const input = (): PipelineInput => ({ trajectory: traj, sources: [PATH] });

/** Rows and PCA of a recipe in this thread: [soapWeight * SOAP | lensWeight * LENS | lode.weight * LODE]. */
async function reference(r: Recipe): Promise<{ model: PcaModel; scores: Float64Array; dim: number }> {
  const blocks = r.descriptor.split('+');
  const atoms = selectAtoms(r.selection, traj.species, await traj.readFrame(0));
  const nA = atoms.length;
  const lr = await computeLens(trajectoryFrames(traj, 0, N_FRAMES), traj.nAtoms, N_FRAMES, traj.pbc,
    { cutoff: r.lens.cutoff, convention: r.lens.convention, centres: atoms, universe: atoms });
  const sm = smoothLens(lensForward(lr.lens, nA, N_FRAMES, 1), nA, N_FRAMES - 1, r.smoothing);
  const kept = selectAlignedFrames(N_FRAMES, r.smoothing.window, 1, true);
  const M = kept.length;
  const z = new Int32Array(traj.nAtoms).fill(CU); // every atom of the run is Cu
  const perFrame: Float64Array[][] = [];
  const widths: number[] = [];
  for (let j = 0; j < M; j++) {
    const f = await traj.readFrame(kept[j]);
    const parts: Float64Array[] = [];
    widths.length = 0;
    if (blocks.includes('soap')) {
      const soap = computeSoap(f.positions, traj.species, f.cell, traj.pbc, r.soap, atoms);
      parts.push(soap.map((v) => (r.soapWeight ?? 1) * v));
      widths.push(soap.length / nA);
    }
    if (blocks.includes('lens')) {
      parts.push(Float64Array.from({ length: nA }, (_, a) => r.lensWeight * sm.values[a * M + j]));
      widths.push(1);
    }
    if (blocks.includes('lode')) {
      const { values, plan } = computeLode(f.positions, z, f.cell, traj.pbc, r.lode!.params, atoms);
      const WL = plan.width;
      for (let a = 0; a < nA; a++) {
        let s = r.lode!.weight;
        if (r.lode!.normalise) {
          let n2 = 0;
          for (let q = 0; q < WL; q++) n2 += values[a * WL + q] ** 2;
          s /= Math.sqrt(n2);
        }
        for (let q = 0; q < WL; q++) values[a * WL + q] *= s;
      }
      parts.push(values);
      widths.push(WL);
    }
    perFrame.push(parts);
  }
  const dim = widths.reduce((s, w) => s + w, 0);
  const rows = new Float64Array(M * nA * dim);
  for (let j = 0; j < M; j++) {
    for (let a = 0; a < nA; a++) {
      let o = (j * nA + a) * dim;
      perFrame[j].forEach((block, b) => { rows.set(block.subarray(a * widths[b], (a + 1) * widths[b]), o); o += widths[b]; });
    }
  }
  const acc = createPcaAccumulator(dim);
  pcaAccumulate(acc, rows, M * nA);
  const model = pcaFinish(acc, r.pca);
  return { model, scores: pcaProject(model, rows, M * nA), dim };
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

/** PCA model and scores of the pool run equal the reference's. */
function expectSamePca(res: Results, ref: { model: PcaModel; scores: Float64Array; dim: number }): void {
  const m = res.pca!;
  expect(m.dim).toBe(ref.dim);
  expect(m.k).toBe(ref.model.k);
  expect(res.scoreDim).toBe(m.k);
  expect(maxAbs(m.mean, ref.model.mean)).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE);
  expect(maxAbs(m.explainedVariance, ref.model.explainedVariance)).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE * ref.model.explainedVariance[0]);
  expect(maxAbs(m.explainedVarianceRatio, ref.model.explainedVarianceRatio)).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE);
  const k = m.k, n = res.nFrames * res.nAtoms;
  for (let c = 0; c < k; c++) {
    let dot = 0;
    for (let j = 0; j < m.dim; j++) dot += m.components[c * m.dim + j] * ref.model.components[c * m.dim + j];
    expect(Math.abs(dot - 1), `component ${c}`).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE);
    let w = 0;
    for (let r = 0; r < n; r++) w = Math.max(w, Math.abs(res.scores[r * k + c] - ref.scores[r * k + c]));
    expect(w, `score column ${c}`).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE);
  }
}

describe('LODE in runRecipe (Cu(211), first 12 frames, top 100 atoms)', () => {
  it("'lode' alone (p = 1, power spectrum, raw rows) equals the single-threaded reference; one worker inline is bit-identical", async () => {
    const r: Recipe = { ...SMALL, descriptor: 'lode', lode: LODE_P1, pca: { k: 4 } };
    const res = await runRecipe(r, input(), pool, { maxFrames: N_FRAMES });
    const ref = await reference(r);
    expect(ref.dim).toBe(18); // (3 * 4 / 2) pairs x (L + 1) = 3
    expect(res.nFrames).toBe(N_FRAMES - 1 - 4);
    expectSamePca(res, ref);
    const one = createNodePool(1);
    try {
      const r1 = await runRecipe(r, traj, one, { maxFrames: N_FRAMES, chunkFrames: 4 });
      expect(maxAbs(r1.scores, res.scores)).toBe(0);
      expect(Array.from(r1.analysis.cluster.labels)).toEqual(Array.from(res.analysis.cluster.labels));
    } finally {
      await one.dispose();
    }
  }, 60_000);

  it("'soap+lens+lode' (weights 0.8, 1.5, 2.5; normalised p = 6 lambda0) equals the reference through the compact-SOAP embedding", async () => {
    const r: Recipe = { ...SMALL, descriptor: 'soap+lens+lode', lode: LODE_P6 };
    const res = await runRecipe(r, input(), pool, { maxFrames: N_FRAMES });
    const ref = await reference(r);
    expect(ref.dim).toBe(4 * 4 * 5 + 1 + 3); // filled SOAP n^2 (l + 1), LENS, LODE lambda0 N
    expectSamePca(res, ref);
  }, 60_000);

  it("'lens+lode' (no SOAP block, so no embedding) equals the reference", async () => {
    const r: Recipe = { ...SMALL, descriptor: 'lens+lode', lode: LODE_P6, pca: { k: 2 } };
    const res = await runRecipe(r, input(), pool, { maxFrames: N_FRAMES });
    const ref = await reference(r);
    expect(ref.dim).toBe(1 + 3);
    expectSamePca(res, ref);
  }, 60_000);

  it('a LODE weight of 0 gives the PCA of SOAP & LENS alone (zero trailing loadings)', async () => {
    const without = await runRecipe({ ...SMALL, descriptor: 'soap+lens' }, input(), pool, { maxFrames: N_FRAMES });
    const zero = await runRecipe({ ...SMALL, descriptor: 'soap+lens+lode', lode: { ...LODE_P1, weight: 0 } }, input(), pool, { maxFrames: N_FRAMES });
    const a = without.pca!, b = zero.pca!;
    const D = a.dim;
    expect(b.dim).toBe(D + 18);
    expect(b.k).toBe(a.k);
    expect(maxAbs(b.explainedVarianceRatio.subarray(0, D), a.explainedVarianceRatio)).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE);
    for (let c = 0; c < a.k; c++) {
      expect(maxAbs(b.components.subarray(c * b.dim, c * b.dim + D), a.components.subarray(c * D, (c + 1) * D))).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE);
      expect(maxAbs(b.components.subarray(c * b.dim + D, (c + 1) * b.dim), new Float64Array(18))).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE);
    }
    expect(maxAbs(zero.scores, without.scores)).toBeLessThanOrEqual(TOL_POOL_VS_REFERENCE);
  }, 60_000);
});

describe('validateRecipe with LODE', () => {
  const ok: Recipe = { ...SMALL, descriptor: 'soap+lode', lode: LODE_P1 };
  const withParams = (p: Partial<LodeRecipe['params']>): Recipe => ({ ...ok, lode: { ...LODE_P1, params: { ...LODE_P1.params, ...p } } });
  it('accepts every block combination; older recipes without LODE stay valid', () => {
    for (const d of ['lode', 'soap+lode', 'lens+lode', 'soap+lens+lode'] as const) expect(validateRecipe({ ...ok, descriptor: d }).descriptor).toBe(d);
    const { lode: _l, soapWeight: _s, ...old } = SMALL;
    expect(validateRecipe({ ...old, descriptor: 'soap+lens' } as Recipe).lode).toBeUndefined();
  });
  it('bad LODE blocks and weights are RangeErrors naming the field', () => {
    expect(() => validateRecipe({ ...ok, lode: undefined })).toThrow(/recipe\.lode: missing/);
    expect(() => validateRecipe({ ...ok, descriptor: 'lode+soap' as Recipe['descriptor'] })).toThrow(/recipe\.descriptor/);
    expect(() => validateRecipe(withParams({ exponent: 7 }))).toThrow(/recipe\.lode\.params\.exponent/);
    expect(() => validateRecipe(withParams({ exponent: 1.5 }))).toThrow(RangeError);
    expect(() => validateRecipe(withParams({ smearing: 0 }))).toThrow(/recipe\.lode\.params\.smearing/);
    expect(() => validateRecipe(withParams({ cutoff: -1 }))).toThrow(/recipe\.lode\.params\.cutoff/);
    expect(() => validateRecipe(withParams({ maxRadial: 0 }))).toThrow(/recipe\.lode\.params\.maxRadial/);
    expect(() => validateRecipe(withParams({ maxAngular: -1 }))).toThrow(/recipe\.lode\.params\.maxAngular/);
    expect(() => validateRecipe(withParams({ radialBasis: 'bessel' as 'gto' }))).toThrow(/recipe\.lode\.params\.radialBasis/);
    expect(() => validateRecipe(withParams({ output: 'coefficients' as 'lambda0' }))).toThrow(/recipe\.lode\.params\.output/);
    expect(() => validateRecipe({ ...ok, lode: { ...LODE_P1, weight: -1 } })).toThrow(/recipe\.lode\.weight/);
    expect(() => validateRecipe({ ...ok, lode: { ...LODE_P1, normalise: 'yes' as unknown as boolean } })).toThrow(/recipe\.lode\.normalise/);
    expect(() => validateRecipe({ ...ok, soapWeight: Number.NaN })).toThrow(/recipe\.soapWeight/);
  });
});
