import { createPool, type Pool, type PoolWorker } from '../../../workers/pool.ts';
import type { ComputeApi } from '../../../workers/compute.worker.ts';

/** Most workers the page starts, whatever the machine reports (each holds its own plans and scratch). */
export const MAX_COMPUTE_WORKERS = 16;

/** Workers for a machine reporting `hc` logical cores (navigator.hardwareConcurrency; 2 when unknown). */
export function computePoolSize(hc: number | undefined): number {
  const n = Number.isInteger(hc) && (hc as number) > 0 ? (hc as number) : 2;
  return Math.min(MAX_COMPUTE_WORKERS, n);
}

/**
 * One compute worker (workers/compute.worker.ts exposes its comlink API on `self` when started as
 * a dedicated module worker). Vite bundles the worker from this `new URL(..., import.meta.url)`.
 */
export function spawnComputeWorker(): PoolWorker {
  const worker = new Worker(new URL('../../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'compute' });
  return { endpoint: worker, terminate: () => worker.terminate() };
}

let pool: Pool<ComputeApi> | null = null;

/** The page's compute pool (created on first use; workers are spawned lazily by the pool). */
export function computePool(): Pool<ComputeApi> {
  pool ??= createPool<ComputeApi>(computePoolSize(navigator.hardwareConcurrency), spawnComputeWorker);
  return pool;
}
