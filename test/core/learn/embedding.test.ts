import { describe, expect, it } from 'vitest';
import { compressRows, embeddingFromFill, expandPcaModel, withExtraColumns } from '../../../src/core/learn/embedding.ts';
import { createPcaAccumulator, pcaAccumulate, pcaFinish, pcaProject } from '../../../src/core/learn/pca.ts';
import { fillSoapRow, planSoap } from '../../../src/core/descriptors/soap/soap.ts';
import { CU211_PRESET } from '../../../src/core/pipeline/recipe.ts';
import { readSharedNpy } from '../../helpers/shared.ts';

// fixtures/learn/pca/README.md "Files" (same tolerances as the direct 576-column PCA):
const TOL_EVR_ABS = 1e-9;
const TOL_COMPONENTS_ABS = 1e-8;
const TOL_SCORES_ABS = 1e-9;

describe('PCA on compact SOAP rows = PCA on filled rows (pipeline.md §6 shortcut, fixtures/learn/pca)', () => {
  const plan = planSoap({ ...CU211_PRESET.soap });
  const e = embeddingFromFill((src, dst) => fillSoapRow(plan, src, 0, dst, 0), plan.compactWidth, plan.filledWidth);

  it('the SOAP fill is an isometric copy embedding 324 -> 576', () => {
    expect([e.nIn, e.nOut]).toEqual([324, 576]);
    const sq = new Float64Array(e.nIn);
    for (let j = 0; j < e.nOut; j++) sq[e.index[j]] += e.scale[j] ** 2;
    for (const v of sq) expect(Math.abs(v - 1)).toBeLessThan(1e-15);
    expect(() => embeddingFromFill((s, d) => { d[0] = 2 * s[0]; }, 1, 1)).toThrow(RangeError);
    expect(() => embeddingFromFill((s, d) => { d[0] = s[0]; }, 1, 2)).toThrow(/never written/);
  });

  it('explained variance, components and scores match the 576-column reference', () => {
    const input = readSharedNpy('fixtures/learn/pca/soap_input_f32.npy');
    const n = input.shape[0];
    const f = Float64Array.from(input.data);
    const z = compressRows(e, f, n);
    const acc = createPcaAccumulator(e.nIn);
    pcaAccumulate(acc, z, n);
    const zm = pcaFinish(acc, { k: 8 });
    const m = expandPcaModel(zm, e);
    expect(m.dim).toBe(576);
    const evr = readSharedNpy('fixtures/learn/pca/explained_variance_ratio.npy').data;
    let worst = 0;
    for (let i = 0; i < 576; i++) worst = Math.max(worst, Math.abs(m.explainedVarianceRatio[i] - evr[i]));
    expect(worst).toBeLessThanOrEqual(TOL_EVR_ABS);
    const comps = readSharedNpy('fixtures/learn/pca/components_first8.npy').data;
    const scoresRef = readSharedNpy('fixtures/learn/pca/scores_first1000_first8.npy').data;
    const sFilled = pcaProject(m, f, 1000), sCompact = pcaProject(zm, z, 1000);
    for (let c = 0; c < 8; c++) {
      let dot = 0;
      for (let j = 0; j < 576; j++) dot += m.components[c * 576 + j] * comps[c * 576 + j];
      const sg = dot >= 0 ? 1 : -1;
      let wc = 0, ws = 0, wz = 0;
      for (let j = 0; j < 576; j++) wc = Math.max(wc, Math.abs(sg * m.components[c * 576 + j] - comps[c * 576 + j]));
      for (let r = 0; r < 1000; r++) {
        ws = Math.max(ws, Math.abs(sg * sFilled[r * 8 + c] - scoresRef[r * 8 + c]));
        wz = Math.max(wz, Math.abs(Math.abs(sCompact[r * 8 + c]) - Math.abs(scoresRef[r * 8 + c])));
      }
      expect(wc, `component ${c}`).toBeLessThanOrEqual(TOL_COMPONENTS_ABS);
      expect(ws, `filled scores ${c}`).toBeLessThanOrEqual(TOL_SCORES_ABS);
      expect(wz, `compact scores ${c}`).toBeLessThanOrEqual(TOL_SCORES_ABS);
    }
  });

  it('extra identity columns (the LENS value) pass through', () => {
    const e1 = withExtraColumns(e, 1);
    expect([e1.nIn, e1.nOut, e1.index[576], e1.scale[576]]).toEqual([325, 577, 324, 1]);
    const row = new Float64Array(577).map((_, j) => (j === 576 ? 0.25 : 0));
    expect(compressRows(e1, row, 1)[324]).toBe(0.25);
  });
});
