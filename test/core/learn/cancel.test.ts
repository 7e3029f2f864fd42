import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/core/errors.ts';
import { fitGmm } from '../../../src/core/learn/gmm.ts';
import { fitKMeans } from '../../../src/core/learn/kmeans.ts';
import { seededRng } from '../../../src/core/learn/rng.ts';
import { analyseScores } from '../../../src/core/pipeline/analysis.ts';
import { clustererFor } from '../../../src/core/pipeline/clusterers.ts';
import { ICE_PRESET } from '../../../src/core/pipeline/recipe.ts';
import type { Progress } from '../../../src/core/progress.ts';

const rng = seededRng(9);
const n = 2000, dim = 3;
const x = Float64Array.from({ length: n * dim }, () => rng());
const d = { x, n, dim };

describe('cancellation and progress of the fits', () => {
  it('an aborted signal rejects with CancelledError', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(fitKMeans(d, { k: 3, seed: 1 }, { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
    await expect(fitGmm(d, { nComponents: 3, seed: 1 }, { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
    const input = { scores: x, dim, nAtoms: 100, nFrames: 20 };
    const p = { transitions: ICE_PRESET.transitions, macro: ICE_PRESET.macro };
    await expect(analyseScores(input, p, clustererFor(ICE_PRESET.cluster, 1), { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('aborting mid-fit stops the EM loop', async () => {
    const ac = new AbortController();
    const seen: Progress[] = [];
    const run = fitGmm(d, { nComponents: 4, seed: 2, maxIter: 5000, tol: 0 }, {
      signal: ac.signal,
      onProgress: (p) => { seen.push(p); if (p.done >= 20) ac.abort(); },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.stage === 'gmm' && p.total === 5000)).toBe(true);
    expect(seen[seen.length - 1].done).toBeLessThan(5000);
  });
});
