/**
 * Worker pool (workers/pool.ts) with real Node worker threads running the compute worker, and with
 * in-process fake workers for the cancel / terminate logic.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { expose, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { computeSoap, type SoapParams } from '../../src/core/descriptors/soap/soap.ts';
import { CancelledError, FormatError } from '../../src/core/errors.ts';
import { createNodePool } from '../../workers/node-pool.ts';
import { createPool, rebuildError, type PoolWorker } from '../../workers/pool.ts';
import { soapOnPool, soapTrajectoryOnPool, type SoapFrameInput } from '../../workers/soap-jobs.ts';
import { openTrajectory } from '../../src/core/io/index.ts';
import { fileSource } from '../../src/cli/node-source.ts';
import { sharedPath } from '../helpers/shared.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fccCrystal } from '../../bench/_structures.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

/** A few rattled fcc Cu frames (108 atoms, periodic), as independent inputs. */
function frames(count: number): SoapFrameInput[] {
  const rng = lcg(5);
  return Array.from({ length: count }, () => {
    const { positions, cell } = fccCrystal(3.615, 3, 3, 3);
    for (let i = 0; i < positions.length; i++) positions[i] += (rng() - 0.5) * 0.3;
    return { positions, cell, pbc: [true, true, true] as [boolean, boolean, boolean] };
  });
}

const params: SoapParams = { rCut: 4.48, nMax: 4, lMax: 4, species: ['Cu'], layout: 'filled' };
const species = new Array<string>(108).fill('Cu');
const pool = createNodePool(2);
afterAll(() => pool.dispose());

describe('node worker pool running SOAP', () => {
  it('gives the same numbers as the single-threaded function, frames in order', async () => {
    const input = frames(5);
    const expected = input.map((f) => computeSoap(f.positions, species, f.cell, f.pbc, params, new Int32Array([0, 7, 50])));
    const copies = input.map((f) => ({ ...f, positions: f.positions.slice() })); // the pool transfers positions
    const seen: number[] = [];
    const progress: number[] = [];
    const done = await soapOnPool(pool, copies, { species, centres: new Int32Array([0, 7, 50]), params },
      (k, rows, width) => {
        seen.push(k);
        expect(width).toBe(80); // filled N² (L+1) for N = 4, L = 4
        expect(Array.from(rows)).toEqual(Array.from(expected[k]));
      }, { total: 5, onProgress: (p) => progress.push(p.done) });
    expect(done).toBe(5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(progress.at(-1)).toBe(5);
    expect(pool.running()).toBe(0);
    expect(pool.alive()).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('float32 rows are the rounded float64 rows', async () => {
    const [f] = frames(1);
    const expected = computeSoap(f.positions, species, f.cell, f.pbc, params, null);
    await soapOnPool(pool, [{ ...f, positions: f.positions.slice() }], { species, centres: null, params, f32: true },
      (_k, rows) => { expect(rows).toBeInstanceOf(Float32Array); expect(Array.from(rows)).toEqual(Array.from(Float32Array.from(expected))); });
  }, 60_000);

  it('an unknown species rejects with the worker\'s message', async () => {
    const [f] = frames(1);
    const bad = species.slice(); bad[3] = 'Au';
    await expect(soapOnPool(pool, [f], { species: bad, centres: null, params }, () => undefined)).rejects.toThrow(/not in the SOAP species/);
  }, 60_000);

  it('cancel rejects with CancelledError and leaves no job running', async () => {
    const big = fccCrystal(3.615, 10, 6, 10); // 2400 atoms, several seconds of work at r_cut 6
    const heavy: SoapParams = { rCut: 6, nMax: 8, lMax: 8, species: ['Cu'] };
    const ac = new AbortController();
    // Four frames of 2400 environments each: far longer than the 100 ms before the abort on any machine.
    const input = Array.from({ length: 4 }, () => ({ positions: big.positions.slice(), cell: big.cell, pbc: [true, true, true] as [boolean, boolean, boolean] }));
    const run = soapOnPool(pool, input, { species: new Array<string>(big.n).fill('Cu'), centres: null, params: heavy }, () => undefined, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    for (let i = 0; i < 200 && pool.running() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(pool.running()).toBe(0);
    // The pool still works afterwards.
    const [f] = frames(1);
    let got = 0;
    await soapOnPool(pool, [f], { species, centres: new Int32Array([1]), params }, () => { got++; });
    expect(got).toBe(1);
  }, 60_000);
});

describe('workers reading the trajectory themselves (soapTrajectoryOnPool)', () => {
  const aimd = () => sharedPath('data', 'cu211', 'DynMetSurf_Cu211_AIMD_120atoms_1000frames.extxyz.gz');
  const p: SoapParams = { rCut: 4.48, nMax: 3, lMax: 3, species: ['Cu'] };

  it('gives the rows of computeSoap for the listed frames, in order', async () => {
    const src = await fileSource(aimd());
    const traj = await openTrajectory([src]);
    const frameList = [6, 1, 3];
    const centres = new Int32Array([0, 60, 119]);
    const want: Float64Array[] = [];
    for (const i of frameList) {
      const f = await traj.readFrame(i);
      want.push(computeSoap(f.positions, traj.species, f.cell, traj.pbc, p, centres));
    }
    await src.close();
    const seen: number[] = [];
    await soapTrajectoryOnPool(pool, [aimd()], frameList, { species: traj.species, centres, params: p }, (k, rows) => {
      seen.push(k);
      expect(Array.from(rows)).toEqual(Array.from(want[k]));
    });
    expect(seen).toEqual([0, 1, 2]);
  }, 60_000);

  it('works from a Blob as in the browser (same rows as from the path)', async () => {
    const { readFileSync } = await import('node:fs');
    const blob = new Blob([readFileSync(aimd())]);
    const viaBlob: number[][] = [], viaPath: number[][] = [];
    const req = { species: new Array<string>(120).fill('Cu'), centres: new Int32Array([5, 6]), params: p };
    await soapTrajectoryOnPool(pool, [blob], [0, 2], req, (_k, rows) => { viaBlob.push(Array.from(rows)); });
    await soapTrajectoryOnPool(pool, [aimd()], [0, 2], req, (_k, rows) => { viaPath.push(Array.from(rows)); });
    expect(viaBlob).toEqual(viaPath);
    expect(viaBlob.length).toBe(2);
  }, 60_000);

  it('a malformed file comes back as the FormatError of the reader (file and line kept)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soaplens-pool-'));
    try {
      const bad = join(dir, 'bad.xyz');
      writeFileSync(bad, '2\ncomment\nCu 0 0 0\nCu 1 1 x\n');
      const err = await soapTrajectoryOnPool(pool, [bad], [0], { species: ['Cu', 'Cu'], centres: null, params: { ...p, periodic: false } }, () => undefined)
        .then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect((err as FormatError).file).toBe('bad.xyz');
      expect((err as FormatError).at.line).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a frame index out of range rejects', async () => {
    await expect(soapTrajectoryOnPool(pool, [aimd()], [5000], { species: new Array<string>(120).fill('Cu'), centres: null, params: p }, () => undefined))
      .rejects.toThrow(/outside/);
  }, 60_000);
});

describe('pool logic with in-process fake workers', () => {
  interface FakeApi { cancel(job: number): void; work(job: number, ms: number, obey: boolean): Promise<string> }
  function fakeSpawn(log: string[]): () => PoolWorker {
    let id = 0;
    return () => {
      const me = id++;
      const { port1, port2 } = new MessageChannel();
      const timers = new Map<number, () => void>();
      const api: FakeApi = {
        cancel(job) { log.push(`cancel ${job} on ${me}`); timers.get(job)?.(); },
        work(job, ms, obey) {
          log.push(`work ${job} on ${me}`);
          return new Promise((resolve, reject) => {
            const t = setTimeout(() => resolve(`done ${job}`), ms);
            if (obey) timers.set(job, () => { clearTimeout(t); reject(new Error('cancelled in worker')); });
          });
        },
      };
      expose(api, nodeEndpoint(port2));
      return { endpoint: nodeEndpoint(port1), terminate: () => { log.push(`terminate ${me}`); port1.close(); port2.close(); } };
    };
  }

  it('spreads jobs over workers lazily, least busy first', async () => {
    const log: string[] = [];
    const p = createPool<FakeApi>(2, fakeSpawn(log));
    const r = await Promise.all([1, 2, 3, 4].map(() => p.run((api: Remote<FakeApi>, job) => api.work(job, 20, true))));
    expect(r).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    expect(p.alive()).toBe(2);
    expect(log.filter((l) => l.endsWith('on 0')).length).toBe(2);
    expect(log.filter((l) => l.endsWith('on 1')).length).toBe(2);
    await p.dispose();
  });

  it('a job that ignores cancel gets its worker terminated after the grace period', async () => {
    const log: string[] = [];
    const p = createPool<FakeApi>(1, fakeSpawn(log), { graceMs: 50 });
    const ac = new AbortController();
    const run = p.run((api: Remote<FakeApi>, job) => api.work(job, 10_000, false), ac.signal);
    setTimeout(() => ac.abort(), 20);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    for (let i = 0; i < 100 && p.running() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(p.running()).toBe(0);
    expect(log).toContain('cancel 1 on 0');
    expect(log).toContain('terminate 0');
    expect(p.alive()).toBe(0);
    // A new job respawns a worker.
    expect(await p.run((api: Remote<FakeApi>, job) => api.work(job, 1, true))).toBe('done 2');
    await p.dispose();
  });

  it('a job that obeys cancel keeps its worker', async () => {
    const log: string[] = [];
    const p = createPool<FakeApi>(1, fakeSpawn(log), { graceMs: 200 });
    const ac = new AbortController();
    const run = p.run((api: Remote<FakeApi>, job) => api.work(job, 10_000, true), ac.signal);
    setTimeout(() => ac.abort(), 20);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    for (let i = 0; i < 50 && p.running() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(p.running()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(log).not.toContain('terminate 0');
    expect(p.alive()).toBe(1);
    await p.dispose();
  });

  it('a worker that crashes rejects its jobs instead of hanging', async () => {
    let crash: ((e: Error) => void) | null = null;
    const log: string[] = [];
    const inner = fakeSpawn(log);
    const p = createPool<FakeApi>(1, () => ({ ...inner(), onCrash: (cb) => { crash = cb; } }));
    const run = p.run((api: Remote<FakeApi>, job) => api.work(job, 10_000, false));
    setTimeout(() => crash!(new Error('out of memory')), 20);
    await expect(run).rejects.toThrow(/crashed: out of memory/);
    expect(p.running()).toBe(0);
    expect(p.alive()).toBe(0);
    await p.dispose();
  });

  it('rebuilds errors sent as data', () => {
    const e = rebuildError({ kind: 'FormatError', file: 'a.xyz', at: { line: 3 }, expected: 'a number', found: '"x"' });
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).at.line).toBe(3);
    expect(rebuildError({ kind: 'Cancelled', message: 'cancelled' })).toBeInstanceOf(CancelledError);
    expect(rebuildError({ kind: 'Error', message: 'boom' }).message).toBe('boom');
  });
});
