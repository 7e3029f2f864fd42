import { describe, expect, it } from 'vitest';
import { embeddingFromFill } from '../../../src/core/learn/embedding.ts';
import { pcaMerge } from '../../../src/core/learn/pca.ts';
import { fillSoapRow, planSoap } from '../../../src/core/descriptors/soap/soap.ts';
import { accumulateChunks, finishStreamingPca, streamingPca, type RowSource } from '../../../src/core/pipeline/streaming-pca.ts';
import { CU211_PRESET } from '../../../src/core/pipeline/recipe.ts';
import { CancelledError } from '../../../src/core/errors.ts';
import { readSharedJson, readSharedNpy } from '../../helpers/shared.ts';

// fixtures/learn/pca/README.md "Files": ratios abs 1e-9; scores up to a per-column sign abs 1e-9.
const TOL_EVR_ABS = 1e-9;
const TOL_SCORES_ABS = 1e-9;

const input = readSharedNpy('fixtures/learn/pca/soap_input_f32.npy');
const D = 576, FRAME = 900;
/** One chunk per frame of the fixture (5 frames x 900 atoms), read as float32 like a cache would. */
const source: RowSource = {
  dim: D,
  nChunks: input.shape[0] / FRAME,
  read: async (i) => ({ rows: (input.data as Float32Array).subarray(i * FRAME * D, (i + 1) * FRAME * D), nRows: FRAME }),
};

describe('streaming PCA passes over frame chunks (fixtures/learn/pca)', () => {
  const plan = planSoap({ ...CU211_PRESET.soap });
  const e = embeddingFromFill((s, d) => fillSoapRow(plan, s, 0, d, 0), plan.compactWidth, plan.filledWidth);
  // (the plain 576-column accumulation is covered by test/core/learn/pca.test.ts)
  {
    it('compact 324 columns: k, ratios and scores match the 576-column reference', async () => {
      const { model, scores } = await streamingPca(source, { varianceRatio: 0.995 }, e);
      const ref = readSharedJson<{ 'k_for_99.5pct': number }>('fixtures/learn/pca/pca.json');
      expect(model.k).toBe(ref['k_for_99.5pct']);
      expect(model.dim).toBe(D);
      const evr = readSharedNpy('fixtures/learn/pca/explained_variance_ratio.npy').data;
      for (let i = 0; i < 10; i++) expect(Math.abs(model.explainedVarianceRatio[i] - evr[i])).toBeLessThanOrEqual(TOL_EVR_ABS);
      const sRef = readSharedNpy('fixtures/learn/pca/scores_first1000_first8.npy').data;
      for (let c = 0; c < model.k; c++) {
        let dot = 0;
        for (let r = 0; r < 1000; r++) dot += scores[r * model.k + c] * sRef[r * 8 + c];
        const sg = dot >= 0 ? 1 : -1;
        let worst = 0;
        for (let r = 0; r < 1000; r++) worst = Math.max(worst, Math.abs(sg * scores[r * model.k + c] - sRef[r * 8 + c]));
        expect(worst, `column ${c}`).toBeLessThanOrEqual(TOL_SCORES_ABS);
      }
      expect(scores.length).toBe(input.shape[0] * model.k);
    });
  }

  it('two workers on disjoint chunk ranges, merged, give the single-pass model', async () => {
    const a = await accumulateChunks(source, 0, 2, e);
    const b = await accumulateChunks(source, 2, 5, e);
    const merged = finishStreamingPca(pcaMerge(a, b), { k: 3 }, e);
    const whole = finishStreamingPca(await accumulateChunks(source, 0, 5, e), { k: 3 }, e);
    for (let i = 0; i < 3 * D; i++) expect(Math.abs(merged.components[i] - whole.components[i])).toBeLessThan(1e-10);
  });

  it('cancels between chunks', async () => {
    const ac = new AbortController();
    const slow: RowSource = { ...source, read: async (i) => { if (i === 1) ac.abort(); return source.read(i); } };
    await expect(streamingPca(slow, { k: 2 }, undefined, { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
