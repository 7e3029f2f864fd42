/**
 * The explorer's pipeline run keeps the pass-A rows (float32) within a row-cache budget so the
 * projection does not compute SOAP a second time: rowCacheBudget from navigator.deviceMemory, and
 * runPipeline hands the services' budget (or the caller's) to the runner.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { createAppStore, loadedTrajectory } from '../../src/app/store.ts';
import { rowCacheBudget, runPipeline, type ComputeServices, type RunnerOptions } from '../../src/app/compute/compute-actions.ts';
import { blobSource } from '../../src/core/io/source.ts';
import { openTrajectory } from '../../src/core/io/index.ts';
import type { ComputeApi } from '../../workers/compute.worker.ts';
import type { Pool } from '../../workers/pool.ts';
import { inThreadPool } from './compute-fixture.ts';
import { readShared } from '../helpers/shared.ts';

const MIB = 2 ** 20;
const AU_ATOMS = 309, FRAMES = 3;

let auFile: File;
beforeAll(() => {
  const text = gunzipSync(readShared('data', 'generated', 'au309_ico_200K_gupta.xyz.gz')).toString('latin1');
  let pos = 0;
  for (let i = 0; i < FRAMES * (AU_ATOMS + 2); i++) pos = text.indexOf('\n', pos) + 1;
  auFile = new File([Buffer.from(text.slice(0, pos), 'latin1')], 'au309_cut.xyz');
});

describe('rowCacheBudget', () => {
  it('is a tenth of the reported memory, at most 768 MiB, 512 MiB when unknown', () => {
    expect(rowCacheBudget(8)).toBe(768 * MIB);
    expect(rowCacheBudget(4)).toBe(409 * MIB);
    expect(rowCacheBudget(0.5)).toBe(51 * MIB);
    expect(rowCacheBudget(undefined)).toBe(512 * MIB);
    expect(rowCacheBudget(Number.NaN)).toBe(512 * MIB);
  });
});

describe('runPipeline row cache', () => {
  async function budgetSeen(svcBytes: number | undefined, callerBytes: number | undefined): Promise<number | undefined> {
    const store = createAppStore();
    const traj = await openTrajectory([blobSource(auFile)]);
    store.getState().setTrajectory(loadedTrajectory(traj, 1, [auFile]));
    let seen: RunnerOptions | null = null;
    const svc: ComputeServices = {
      pool: () => inThreadPool(1) as unknown as Pool<ComputeApi>,
      openTrajectory: (files, o) => openTrajectory(files.map((f) => blobSource(f)), { typeElements: o.typeElements, signal: o.signal }),
      proxy: (f) => f,
      runRecipe: async (_r, _i, _p, o) => { seen = o; throw new Error('stop after recording the options'); },
      rowCacheBytes: svcBytes,
    };
    expect(await runPipeline(store, svc, { rowCacheBytes: callerBytes })).toBe(false);
    expect(seen).not.toBeNull();
    return seen!.rowCacheBytes;
  }

  it("passes the services' budget, the caller's when given, 0 without either", async () => {
    expect(await budgetSeen(700 * MIB, undefined)).toBe(700 * MIB);
    expect(await budgetSeen(700 * MIB, 0)).toBe(0);
    expect(await budgetSeen(undefined, undefined)).toBe(0);
  });
});
