import { describe, expect, it } from 'vitest';
import { fitGmm, gmmPredict, gmmPredictProba, gmmScore, gmmScoreSamples, type GmmInit } from '../../../src/core/learn/gmm.ts';
import { readSharedJson, readSharedNpy } from '../../helpers/shared.ts';

// fixtures/learn/gmm_kmeans/README.md "Tolerances":
const TOL_PARAMS_REL = 1e-9;     // weights, means and covariances: rel 1e-9
const TOL_BOUND_ABS = 1e-10;     // lower_bound_ and score: abs 1e-10
const MAX_LABEL_DIFFS = 0;       // labels identical ("allow a handful at exact ties": none needed here)
// pipeline.md §15: responsibilities <= 1e-6; score_samples checked at the same rel 1e-9 as the parameters.
const TOL_RESP_ABS = 1e-6;
const TOL_SCORE_SAMPLES_REL = 1e-9;

const G = 'fixtures/learn/gmm_kmeans';
interface Ck { n_iter_: number; converged_: boolean; lower_bound_: number; mean_log_likelihood_score: number; label_counts: number[] }
const fx = readSharedJson<{ gmm: Record<'iter1' | 'iter10' | 'converged', Ck> }>(`${G}/gmm_kmeans.json`);
const x = readSharedNpy('fixtures/learn/hdbscan/cu_joint_sample20k_5d.npy').data as Float64Array;
const d = { x, n: 20000, dim: 5 };
const f64 = (name: string) => readSharedNpy(`${G}/${name}`).data as Float64Array;
const init: GmmInit = { weights: f64('init_weights.npy'), means: f64('init_means.npy'), precisions: f64('init_precisions.npy') };

/** Largest |a - b| / max|b| entry-wise relative error with a floor at the array's scale for near-zero entries. */
function relErr(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-3 * scale));
  return m;
}

describe('Gaussian mixture from the given initialisation (scikit-learn 1.2.1)', () => {
  let convergedFit: ReturnType<typeof fitGmm> | null = null;
  const fitFor = (maxIter: number, tol: number) => {
    if (maxIter !== 1000) return fitGmm(d, { nComponents: 6, init, maxIter, tol, regCovar: 1e-6 });
    convergedFit ??= fitGmm(d, { nComponents: 6, init, maxIter, tol, regCovar: 1e-6 }); // shared by two tests
    return convergedFit;
  };
  const cases = [['iter1', 1, 0], ['iter10', 10, 0], ['converged', 1000, 1e-10]] as const;
  for (const [name, maxIter, tol] of cases) {
    it(`${name}: parameters, lower bound, score and labels`, async () => {
      const ref = fx.gmm[name];
      const { model, labels } = await fitFor(maxIter, tol);
      expect(model.nIter).toBe(ref.n_iter_);
      expect(model.converged).toBe(ref.converged_);
      expect(relErr(model.weights, f64(`gmm_${name}_weights.npy`))).toBeLessThanOrEqual(TOL_PARAMS_REL);
      expect(relErr(model.means, f64(`gmm_${name}_means.npy`))).toBeLessThanOrEqual(TOL_PARAMS_REL);
      expect(relErr(model.covariances, f64(`gmm_${name}_covariances.npy`))).toBeLessThanOrEqual(TOL_PARAMS_REL);
      expect(Math.abs(model.lowerBound - ref.lower_bound_)).toBeLessThanOrEqual(TOL_BOUND_ABS);
      expect(Math.abs(gmmScore(model, d) - ref.mean_log_likelihood_score)).toBeLessThanOrEqual(TOL_BOUND_ABS);
      const refLabels = readSharedNpy(`${G}/gmm_${name}_labels.npy`).data;
      let diff = 0;
      for (let i = 0; i < d.n; i++) if (labels[i] !== refLabels[i]) diff++;
      expect(diff).toBeLessThanOrEqual(MAX_LABEL_DIFFS);
      const counts = new Array(6).fill(0);
      for (const l of labels) counts[l]++;
      expect(counts).toEqual(ref.label_counts);
    });
  }

  it('converged: score_samples and predict_proba', async () => {
    const { model } = await fitFor(1000, 1e-10);
    const ss = gmmScoreSamples(model, d);
    const ssRef = f64('gmm_converged_score_samples.npy');
    let worst = 0;
    for (let i = 0; i < d.n; i++) worst = Math.max(worst, Math.abs(ss[i] - ssRef[i]) / Math.max(1, Math.abs(ssRef[i])));
    expect(worst).toBeLessThanOrEqual(TOL_SCORE_SAMPLES_REL);
    const proba = gmmPredictProba(model, { x: x.subarray(0, 5000), n: 1000, dim: 5 });
    const pRef = f64('gmm_converged_predict_proba_first1000.npy');
    let wp = 0;
    for (let i = 0; i < pRef.length; i++) wp = Math.max(wp, Math.abs(proba[i] - pRef[i]));
    expect(wp).toBeLessThanOrEqual(TOL_RESP_ABS);
    expect(Array.from(gmmPredict(model, d))).toEqual(Array.from(readSharedNpy(`${G}/gmm_converged_labels.npy`).data));
  });

  it('k-means initialisation is deterministic per seed and reaches a comparable optimum', async () => {
    const sub = { x: x.subarray(0, 4000 * 5), n: 4000, dim: 5 };
    const a = await fitGmm(sub, { nComponents: 6, seed: 11, nInit: 2 });
    const b = await fitGmm(sub, { nComponents: 6, seed: 11, nInit: 2 });
    expect(Array.from(a.model.means)).toEqual(Array.from(b.model.means));
    expect(a.model.lowerBound).toBe(b.model.lowerBound);
    expect(a.model.converged).toBe(true);
    // Reference optimum on all 20,000 rows is 16.909; a random 4,000-row subset from k-means init lands near it.
    expect(a.model.lowerBound).toBeGreaterThan(16.0);
  });

  it('rejects bad parameters and singular initial precisions', async () => {
    await expect(fitGmm(d, { nComponents: 0, seed: 1 })).rejects.toThrow(RangeError);
    await expect(fitGmm(d, { nComponents: 3 })).rejects.toThrow(RangeError);
    const bad = { ...init, precisions: new Float64Array(init.precisions.length) };
    await expect(fitGmm(d, { nComponents: 6, init: bad })).rejects.toThrow(/positive definite/);
  });
});
