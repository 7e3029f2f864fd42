/**
 * Node worker_threads for the pool: createNodePool(size) runs node-compute-worker.ts in each
 * thread. Threads cannot import TypeScript by themselves, so each starts node-bootstrap.mjs, which
 * registers tsx and imports the entry (works under tsx, the CLI, benchmarks and vitest).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { ComputeApi } from './compute.worker.ts';
import { createPool, type Pool, type PoolOptions, type PoolWorker } from './pool.ts';

const BOOTSTRAP = new URL('./node-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./node-compute-worker.ts', import.meta.url);

/** Spawns one compute worker thread. */
export function nodeSpawn(): PoolWorker {
  const w = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY.href } });
  w.unref(); // an idle pool does not keep the process alive
  let terminating = false;
  return {
    endpoint: nodeEndpoint(w),
    terminate: () => { terminating = true; return w.terminate(); },
    onCrash: (cb) => {
      w.on('error', (e) => cb(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => { if (!terminating) cb(new Error(`worker thread exited with code ${code}`)); });
    },
  };
}

/** Default pool size in Node: os.availableParallelism(). */
export function nodeParallelism(): number {
  return availableParallelism();
}

export function createNodePool(size = nodeParallelism(), opts?: PoolOptions): Pool<ComputeApi> {
  return createPool<ComputeApi>(size, nodeSpawn, opts);
}
