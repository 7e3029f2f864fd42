import { browserDeps, createComputeApi, type ComputeApi } from '../../workers/compute.worker.ts';
import type { Pool } from '../../workers/pool.ts';
import { CancelledError } from '../../src/core/errors.ts';

/**
 * A pool running jobs in this thread on `size` real compute APIs (round-robin, Blobs opened with
 * the browser deps), with cancel: the same job code the browser workers run, without workers.
 */
export function inThreadPool(size = 2): Pool<ComputeApi> {
  const apis = Array.from({ length: size }, () => createComputeApi(browserDeps));
  let job = 1, running = 0;
  return {
    size,
    running: () => running,
    alive: () => size,
    dispose: async () => undefined,
    run<T>(fn: (api: never, job: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(new CancelledError());
      const j = job++;
      const api = apis[j % size];
      running++;
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => { api.cancel(j); reject(new CancelledError()); };
        signal?.addEventListener('abort', onAbort, { once: true });
        fn(api as never, j).then(resolve, reject).finally(() => { running--; signal?.removeEventListener('abort', onAbort); });
      });
    },
  };
}
