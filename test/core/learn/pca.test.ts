import { describe, expect, it } from 'vitest';
import { createPcaAccumulator, pcaAccumulate, pcaFinish, pcaMerge, pcaProject, pcaSpectrum, componentsForVariance,
  pcaModelFromSpectrum, applyScoreSignRule } from '../../../src/core/learn/pca.ts';
import { symmetricEigen } from '../../../src/core/learn/linalg.ts';
import { seededRng } from '../../../src/core/learn/rng.ts';
import { readSharedJson, readSharedNpy } from '../../helpers/shared.ts';

// fixtures/learn/pca/README.md "Files" table:
const TOL_MEAN_ABS = 1e-12;          // mean.npy: abs 1e-12
const TOL_EV_REL_FIRST10 = 1e-9;     // explained_variance.npy: rel 1e-9 for the first 10
const TOL_EV_ABS_REST = 1e-14;       // ... abs 1e-14 elsewhere
const TOL_EVR_ABS = 1e-9;            // explained_variance_ratio.npy: abs 1e-9
const TOL_COMPONENTS_ABS = 1e-8;     // components_first8.npy: up to a per-row sign, abs 1e-8
const TOL_SCORES_ABS = 1e-9;         // scores_first1000_first8.npy: up to a per-column sign, abs 1e-9
// fixtures/learn/cu211_pipeline/README.md "Files": explained variance ratios abs 1e-8; k exact.

const D = 576;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, n = b.length): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Sign that best aligns vector a with b (both length n, with strides). */
function signOf(a: (i: number) => number, b: (i: number) => number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a(i) * b(i);
  return s >= 0 ? 1 : -1;
}

describe('symmetricEigen', () => {
  it('reconstructs a random symmetric matrix with orthonormal vectors', () => {
    const n = 37, rng = seededRng(5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { const v = rng() - 0.5; a[i * n + j] = v; a[j * n + i] = v; }
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    let worst = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0, o = 0;
      for (let k = 0; k < n; k++) { s += vectors[k * n + i] * values[k] * vectors[k * n + j]; o += vectors[i * n + k] * vectors[j * n + k]; }
      worst = Math.max(worst, Math.abs(s - a[i * n + j]), Math.abs(o - (i === j ? 1 : 0)));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('handles diagonal, 1x1 and 2x2 input', () => {
    expect(Array.from(symmetricEigen(new Float64Array([3]), 1).values)).toEqual([3]);
    const d = symmetricEigen(new Float64Array([1, 0, 0, 0, 5, 0, 0, 0, 2]), 3);
    expect(Array.from(d.values)).toEqual([5, 2, 1]);
    const t = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    expect(t.values[0]).toBeCloseTo(3, 14);
    expect(t.values[1]).toBeCloseTo(1, 14);
  });
});

describe('streaming PCA on the real SOAP matrix (fixtures/learn/pca)', () => {
  const input = readSharedNpy('fixtures/learn/pca/soap_input_f32.npy');
  const n = input.shape[0];
  const x = Float64Array.from(input.data); // the reference ran on the float64 upcast
  // Accumulate in 5 uneven chunks, two of them in a second accumulator, then merge (two workers).
  const a = createPcaAccumulator(D), b = createPcaAccumulator(D);
  const cuts = [0, 900, 1000, 2711, 3600, n];
  for (let c = 0; c + 1 < cuts.length; c++) {
    const part = x.subarray(cuts[c] * D, cuts[c + 1] * D);
    pcaAccumulate(c % 2 === 0 ? a : b, part, cuts[c + 1] - cuts[c]);
  }
  pcaMerge(a, b);
  const spectrum = pcaSpectrum(a);
  const model = pcaModelFromSpectrum(spectrum, { varianceRatio: 0.995 });

  it('mean, explained variance and ratios match sklearn', () => {
    const mean = readSharedNpy('fixtures/learn/pca/mean.npy').data;
    const ev = readSharedNpy('fixtures/learn/pca/explained_variance.npy').data;
    const evr = readSharedNpy('fixtures/learn/pca/explained_variance_ratio.npy').data;
    expect(a.n).toBe(n);
    expect(maxAbsDiff(model.mean, mean)).toBeLessThanOrEqual(TOL_MEAN_ABS);
    for (let k = 0; k < 10; k++) expect(Math.abs(model.explainedVariance[k] - ev[k]) / ev[k]).toBeLessThanOrEqual(TOL_EV_REL_FIRST10);
    let rest = 0;
    for (let k = 10; k < D; k++) rest = Math.max(rest, Math.abs(model.explainedVariance[k] - ev[k]));
    expect(rest).toBeLessThanOrEqual(TOL_EV_ABS_REST);
    expect(maxAbsDiff(model.explainedVarianceRatio, evr)).toBeLessThanOrEqual(TOL_EVR_ABS);
  });

  it('k for 99.5 % is exactly the reference k', () => {
    const ref = readSharedJson<{ 'k_for_99.5pct': number; cumulative_variance_first10: number[] }>('fixtures/learn/pca/pca.json');
    expect(model.k).toBe(ref['k_for_99.5pct']);
    expect(maxAbsDiff(model.cumulativeRatio, ref.cumulative_variance_first10)).toBeLessThanOrEqual(TOL_EVR_ABS);
  });

  it('first 8 components and scores match up to sign', () => {
    const comps = readSharedNpy('fixtures/learn/pca/components_first8.npy').data;
    const scoresRef = readSharedNpy('fixtures/learn/pca/scores_first1000_first8.npy').data;
    const m8 = pcaModelFromSpectrum(spectrum, { k: 8 });
    const scores = pcaProject(m8, x, 1000);
    for (let k = 0; k < 8; k++) {
      const s = signOf((j) => m8.components[k * D + j], (j) => comps[k * D + j], D);
      let worstC = 0, worstS = 0;
      for (let j = 0; j < D; j++) worstC = Math.max(worstC, Math.abs(s * m8.components[k * D + j] - comps[k * D + j]));
      for (let r = 0; r < 1000; r++) worstS = Math.max(worstS, Math.abs(s * scores[r * 8 + k] - scoresRef[r * 8 + k]));
      expect(worstC, `component ${k}`).toBeLessThanOrEqual(TOL_COMPONENTS_ABS);
      expect(worstS, `score column ${k}`).toBeLessThanOrEqual(TOL_SCORES_ABS);
      // pipeline.md §6 sign rule: the largest-|.| loading is positive.
      let arg = 0;
      for (let j = 1; j < D; j++) if (Math.abs(m8.components[k * D + j]) > Math.abs(m8.components[k * D + arg])) arg = j;
      expect(m8.components[k * D + arg]).toBeGreaterThan(0);
    }
  });

  it("scikit-learn's score sign rule reproduces the reference signs exactly (no per-column flip needed)", () => {
    const comps = readSharedNpy('fixtures/learn/pca/components_first8.npy').data;
    const scoresRef = readSharedNpy('fixtures/learn/pca/scores_first1000_first8.npy').data;
    const m8 = pcaModelFromSpectrum(spectrum, { k: 8 });
    const all = pcaProject(m8, x, n);
    applyScoreSignRule(m8, all, n);
    let wc = 0, ws = 0;
    for (let i = 0; i < 8 * D; i++) wc = Math.max(wc, Math.abs(m8.components[i] - comps[i]));
    for (let r = 0; r < 1000; r++) for (let c = 0; c < 8; c++) ws = Math.max(ws, Math.abs(all[r * 8 + c] - scoresRef[r * 8 + c]));
    expect(wc).toBeLessThanOrEqual(TOL_COMPONENTS_ABS);
    expect(ws).toBeLessThanOrEqual(TOL_SCORES_ABS);
  });

  it('is deterministic and chunking-independent within the tolerance', () => {
    const one = createPcaAccumulator(D);
    pcaAccumulate(one, x.subarray(0, 1000 * D), 1000);
    const two = createPcaAccumulator(D);
    pcaAccumulate(two, x.subarray(0, 500 * D), 500);
    pcaAccumulate(two, x.subarray(500 * D, 1000 * D), 500);
    expect(maxAbsDiff(one.mean, two.mean)).toBeLessThan(1e-15);
    let worst = 0;
    for (let i = 0; i < D; i++) for (let j = i; j < D; j++) worst = Math.max(worst, Math.abs(one.m2[i * D + j] - two.m2[i * D + j]));
    expect(worst).toBeLessThan(1e-12);
  });
});

describe('PCA variance target on the Cu(211) pipeline spectra (fixtures/learn/cu211_pipeline)', () => {
  it('picks k = 4 (joint) and k = 3 (SOAP-only) at 99.5 % from the reference ratios', () => {
    const ref = readSharedJson<{ pca: { joint: { k: number }; soap: { k: number } } }>('fixtures/learn/cu211_pipeline/pipeline.json');
    for (const which of ['joint', 'soap'] as const) {
      const evr = readSharedNpy(`fixtures/learn/cu211_pipeline/${which}_pca_explained_variance_ratio.npy`).data as Float64Array;
      const cum = new Float64Array(evr.length);
      let s = 0;
      for (let i = 0; i < evr.length; i++) { s += evr[i]; cum[i] = s; }
      expect(componentsForVariance(cum, 0.995)).toBe(ref.pca[which].k);
    }
  });
});

describe('PCA argument checks', () => {
  it('rejects bad shapes, non-finite data and too few rows', () => {
    expect(() => createPcaAccumulator(0)).toThrow(RangeError);
    const acc = createPcaAccumulator(3);
    expect(() => pcaAccumulate(acc, new Float64Array(5), 2)).toThrow(RangeError);
    expect(() => pcaAccumulate(acc, new Float64Array([1, 2, Number.NaN]), 1)).toThrow(RangeError);
    pcaAccumulate(acc, new Float64Array([1, 2, 3]), 1);
    expect(() => pcaFinish(acc, { k: 1 })).toThrow(RangeError);
    pcaAccumulate(acc, new Float64Array([2, 2, 5]), 1);
    expect(() => pcaFinish(acc, { k: 4 })).toThrow(RangeError);
    expect(() => pcaFinish(acc, { varianceRatio: 1.5 })).toThrow(RangeError);
    const m = pcaFinish(acc, { varianceRatio: 0.99 });
    expect(m.k).toBe(1);
    // Two points: the only component is along (1, 0, 2)/sqrt(5), variance |d|^2 / 2.
    expect(m.explainedVariance[0]).toBeCloseTo(2.5, 14);
    expect(Math.abs(m.components[0])).toBeCloseTo(1 / Math.sqrt(5), 14);
  });
});
