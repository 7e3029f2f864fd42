/**
 * A pool of compute workers over comlink endpoints: the same code drives browser Workers and Node
 * worker_threads (node-pool.ts). Workers are spawned lazily up to `size`; each call goes to the
 * least-busy worker (ngl's worker-pool shape). Jobs are numbered so that an AbortSignal becomes
 * `api.cancel(job)` in the worker; if the job has not settled after a grace period the worker is
 * terminated and replaced on demand. Errors cross as data and are rebuilt here (rebuildError).
 */
import { wrap, releaseProxy, type Endpoint, type Remote } from 'comlink';
import { CancelledError, FormatError } from '../src/core/errors.ts';
import type { ComputeApi } from './compute.worker.ts';
import type { WorkerErrorData } from './parse-protocol.ts';

/** A spawned worker: its comlink endpoint and a way to kill it. */
export interface PoolWorker {
  endpoint: Endpoint;
  terminate(): void | Promise<unknown>;
  /** Registers a callback for a worker that died on its own (uncaught error, exit): its jobs then reject. */
  onCrash?(cb: (e: Error) => void): void;
}

/** Every API run on a pool has a cancel(job) entry point. */
export interface Cancellable { cancel(job: number): void }

export interface Pool<Api> {
  /** Maximum number of workers. */
  readonly size: number;
  /**
   * Runs fn on the least-busy worker with a fresh job id. On abort the promise rejects with
   * CancelledError at once; the worker gets api.cancel(job) and, if the job is still running after
   * the grace period, is terminated.
   */
  run<T>(fn: (api: Remote<Api>, job: number) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Jobs currently running in workers (including cancelled ones not yet stopped). */
  running(): number;
  /** Workers currently alive. */
  alive(): number;
  /** Terminates every worker; later runs reject. */
  dispose(): Promise<void>;
}

export interface PoolOptions {
  /** Milliseconds a cancelled job may keep running before its worker is terminated (default 2000). */
  graceMs?: number;
}

interface Slot<Api> {
  worker: PoolWorker;
  api: Remote<Api>;
  pending: number;
  dead: boolean;
  /** Per running job: settles it with an error when the worker is terminated. */
  jobs: Map<number, (e: Error) => void>;
}

/** Rebuilds an error sent as data by a worker (FormatError keeps file, line/frame/byte). */
export function rebuildError(d: WorkerErrorData): Error {
  if (d.kind === 'FormatError') return FormatError.fromData(d);
  if (d.kind === 'Cancelled') return new CancelledError();
  const e = new Error(d.message);
  return e;
}

export function createPool<Api extends Cancellable>(size: number, spawn: () => PoolWorker, opts: PoolOptions = {}): Pool<Api> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, got ${size}`);
  const graceMs = opts.graceMs ?? 2000;
  const slots: Slot<Api>[] = [];
  let nextJob = 1, disposed = false, runningJobs = 0;

  const kill = (slot: Slot<Api>, why: Error = new Error('worker terminated')) => {
    if (slot.dead) return;
    slot.dead = true;
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    for (const fail of [...slot.jobs.values()]) fail(why);
    try { slot.api[releaseProxy](); } catch { /* endpoint already gone */ }
    void slot.worker.terminate();
  };

  const pick = (): Slot<Api> => {
    let best: Slot<Api> | null = null;
    for (const s of slots) if (!best || s.pending < best.pending) best = s;
    if ((!best || best.pending > 0) && slots.length < size) {
      const worker = spawn();
      const slot: Slot<Api> = { worker, api: wrap<Api>(worker.endpoint), pending: 0, dead: false, jobs: new Map() };
      slots.push(slot);
      worker.onCrash?.((e) => kill(slot, new Error(`compute worker crashed: ${e.message}`)));
      return slot;
    }
    return best!;
  };

  return {
    size,
    running: () => runningJobs,
    alive: () => slots.length,
    run<T>(fn: (api: Remote<Api>, job: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (disposed) return Promise.reject(new Error('worker pool disposed'));
      if (signal?.aborted) return Promise.reject(new CancelledError());
      let slot: Slot<Api>;
      try { slot = pick(); } catch (e) { return Promise.reject(e); } // spawn failed
      const job = nextJob++;
      slot.pending++;
      runningJobs++;
      return new Promise<T>((resolve, reject) => {
        let finished = false, cancelled = false;
        const finish = (): boolean => {
          if (finished) return false;
          finished = true;
          slot.pending--;
          runningJobs--;
          slot.jobs.delete(job);
          signal?.removeEventListener('abort', onAbort);
          return true;
        };
        const onAbort = () => {
          if (cancelled || finished) return;
          cancelled = true;
          reject(new CancelledError());
          (slot.api.cancel as unknown as (j: number) => Promise<void>)(job).catch(() => undefined);
          // A job that ignores the cancel (a long synchronous loop) costs its worker.
          setTimeout(() => { if (!finished) kill(slot); }, graceMs);
        };
        slot.jobs.set(job, (e) => { if (finish() && !cancelled) reject(e); });
        signal?.addEventListener('abort', onAbort, { once: true });
        fn(slot.api, job).then(
          (v) => { if (finish() && !cancelled) resolve(v); },
          (e: unknown) => { if (finish() && !cancelled) reject(e); });
      });
    },
    async dispose() {
      disposed = true;
      for (const s of [...slots]) kill(s);
    },
  };
}

/** Spawns the compute worker in a browser (Vite bundles compute.worker.ts as a module worker). */
export function browserSpawn(): PoolWorker {
  const w = new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module', name: 'soaplens-compute' });
  return {
    endpoint: w, terminate: () => w.terminate(),
    onCrash: (cb) => w.addEventListener('error', (ev) => cb(new Error(ev.message || 'worker error'))),
  };
}

/** A browser pool of navigator.hardwareConcurrency compute workers (at least 1). */
export function createBrowserPool(size = Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1),
  opts?: PoolOptions): Pool<ComputeApi> {
  return createPool<ComputeApi>(size, browserSpawn, opts);
}
