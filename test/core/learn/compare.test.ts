import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, confusion, matchLabels, maxWeightMatching } from '../../../src/core/learn/compare.ts';
import { dendrogramLayout, dendrogramLeaves, linkage, pdistCorrelation } from '../../../src/core/learn/hclust.ts';
import { readSharedJson, readSharedNpy } from '../../helpers/shared.ts';

// The reference ARIs in pipeline.json are scikit-learn adjusted_rand_score values printed to full
// precision; ours sums the same contingency table in another order: allow 1e-12.
const TOL_ARI_ABS = 1e-12;

const pj = readSharedJson<{ ari_joint_vs_soap_soft: number; hdbscan: { joint: { exact_mst_variant: { ari_hard_vs_default: number } } } }>(
  'fixtures/learn/cu211_pipeline/pipeline.json');
const labels = (name: string) => readSharedNpy(`fixtures/learn/cu211_pipeline/${name}.npy`).data as Int32Array;

describe('partition comparison', () => {
  it('ARI of the joint vs SOAP-only soft labels matches scikit-learn', () => {
    expect(Math.abs(adjustedRandIndex(labels('joint_hdbscan_soft_labels'), labels('soap_hdbscan_soft_labels')) - pj.ari_joint_vs_soap_soft))
      .toBeLessThanOrEqual(TOL_ARI_ABS);
  });

  it('ARI with noise as its own class, and the Hungarian map default -> exact MST (cu211_pipeline README)', () => {
    const def = labels('joint_hdbscan_labels'), exact = labels('joint_hdbscan_labels_exact_mst');
    expect(Math.abs(adjustedRandIndex(def, exact) - pj.hdbscan.joint.exact_mst_variant.ari_hard_vs_default)).toBeLessThanOrEqual(TOL_ARI_ABS);
    expect(Array.from(matchLabels(def, exact))).toEqual([2, 5, 0, 1, 3, 4]);
  });

  it('small cases: identical partitions, permutation, matching', () => {
    const a = new Int32Array([0, 0, 1, 1, 2, 2]);
    expect(adjustedRandIndex(a, new Int32Array([5, 5, 3, 3, 4, 4]))).toBe(1);
    expect(adjustedRandIndex(new Int32Array([0, 0, 0]), new Int32Array([1, 1, 1]))).toBe(1);
    const c = confusion(a, new Int32Array([1, 1, 0, -1, 0, 0]));
    expect([c.ka, c.kb]).toEqual([3, 3]);
    expect(Array.from(c.counts)).toEqual([0, 2, 0, 1, 0, 1, 2, 0, 0]);
    // 3 x 2 weights: best is rows 0 -> 1, 2 -> 0; row 1 unmatched
    expect(Array.from(maxWeightMatching(new Float64Array([1, 9, 2, 3, 8, 1]), 3, 2))).toEqual([1, -1, 0]);
    expect(Array.from(matchLabels(new Int32Array([1, 1, 0, 0, 2]), new Int32Array([0, 0, 1, 1, 1])))).toEqual([1, 0, 2]);
  });
});

describe('dendrogram layout', () => {
  it('places leaves in order and centres nodes over their children (hclust H1)', () => {
    const m = Float64Array.from([[90, 8, 2, 0, 0], [10, 85, 5, 0, 0], [3, 4, 90, 3, 0], [0, 0, 5, 80, 15], [0, 0, 0, 20, 80]].flat());
    const z = linkage(pdistCorrelation(m, 5, 5), 5, 'average');
    const leaves = dendrogramLeaves(z, 5);
    expect(Array.from(leaves)).toEqual([3, 4, 2, 0, 1]);
    const lay = dendrogramLayout(z, 5, leaves);
    expect(Array.from(lay.leafPosition)).toEqual([3, 4, 2, 0, 1]);
    expect(lay.nodePosition[0]).toBe(0.5);            // (3, 4) at positions 0 and 1
    expect(lay.nodePosition[1]).toBe(3.5);            // (0, 1)
    expect(lay.nodePosition[2]).toBe((2 + 3.5) / 2);  // 2 with (0, 1)
    expect(lay.nodePosition[3]).toBe((0.5 + 2.75) / 2);
    expect(Array.from(lay.links.subarray(24, 32))).toEqual([0.5, z[2], 0.5, z[14], 2.75, z[14], 2.75, z[10]]);
  });
});
