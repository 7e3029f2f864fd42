import { describe, expect, it } from 'vitest';
import { computeSoap } from '../../../src/core/descriptors/soap/soap.ts';
import { jointRows } from '../../../src/core/descriptors/lens/joint.ts';
import { bytesSource, openTrajectory } from '../../../src/core/io/index.ts';
import { pcaProject, type PcaModel } from '../../../src/core/learn/pca.ts';
import { CU211_PRESET } from '../../../src/core/pipeline/recipe.ts';
import { selectAtoms } from '../../../src/core/pipeline/selection.ts';
import { readShared, readSharedNpy } from '../../helpers/shared.ts';

// fixtures/learn/cu211_pipeline/README.md "Files": scores up to per-column sign, abs 1e-6
// (stored as float32: rounding <= 3e-8).
const TOL_SCORES_ABS = 1e-6;

/** A PcaModel built from the reference mean and first k components (no fitting involved). */
function referenceModel(which: 'joint' | 'soap', k: number): PcaModel {
  const mean = readSharedNpy(`fixtures/learn/cu211_pipeline/${which}_pca_mean.npy`).data as Float64Array;
  const comps = readSharedNpy(`fixtures/learn/cu211_pipeline/${which}_pca_components_first10.npy`).data as Float64Array;
  const dim = mean.length;
  return { dim, nSamples: 431100, k, mean, components: comps.slice(0, k * dim), explainedVariance: new Float64Array(dim),
    explainedVarianceRatio: new Float64Array(dim), cumulativeRatio: new Float64Array(dim) };
}

describe('Cu(211) analysis rows of kept frame 0 (trajectory frame 10) projected with the reference PCA', () => {
  it('joint (577) and SOAP-only (576) rows give the stored scores: row layout, alignment and projection agree', async () => {
    const traj = await openTrajectory([bytesSource('cu211_600K_eam.lammpstrj.gz', readShared('data/generated/cu211_600K_eam.lammpstrj.gz'))],
      { typeElements: CU211_PRESET.typeElements });
    const atoms = selectAtoms(CU211_PRESET.selection, traj.species, await traj.readFrame(0));
    const W = CU211_PRESET.smoothing.window;
    const frame = Math.floor(W / 2); // pipeline.md §4: row block j = 0 is trajectory frame floor(W/2)
    const f = await traj.readFrame(frame);
    const soap = computeSoap(f.positions, traj.species, f.cell, traj.pbc, CU211_PRESET.soap, atoms);
    const nA = atoms.length, D = 576;
    expect(soap.length).toBe(nA * D);
    // lens_filtered_clipped is (900 atoms x 499 forward columns); column `frame` is the change frame -> frame + 1.
    const lens = readSharedNpy('fixtures/learn/cu211_pipeline/lens_filtered_clipped.npy');
    const joint = new Float64Array(nA * (D + 1));
    jointRows(soap, 0, nA, D, lens.data, frame, lens.shape[1], joint, 0, CU211_PRESET.lensWeight);
    for (const [which, rows, width, k, file] of [
      ['joint', joint, D + 1, 4, 'joint_pca_scores_f32'], ['soap', soap, D, 3, 'soap_pca_scores_first9000_f32']] as const) {
      const scores = pcaProject(referenceModel(which, k), rows, nA);
      const ref = readSharedNpy(`fixtures/learn/cu211_pipeline/${file}.npy`).data;
      for (let c = 0; c < k; c++) {
        let worst = 0;
        for (let r = 0; r < nA; r++) worst = Math.max(worst, Math.abs(scores[r * k + c] - ref[r * k + c]));
        expect(worst, `${which} (${width} columns), score column ${c}`).toBeLessThanOrEqual(TOL_SCORES_ABS);
      }
    }
  });
});
