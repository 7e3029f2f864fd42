import { CancelledError } from './errors.ts';

/** Progress of a long job: `done` out of `total` units (bytes for readers, frames for descriptors). */
export interface Progress {
  stage: string;
  done: number;
  total: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/** Throws CancelledError when the signal is aborted. Cheap; call it in loops. */
export function throwIfCancelled(o?: RunOptions): void {
  if (o?.signal?.aborted) throw new CancelledError();
}

/**
 * A throttled progress reporter: reports at most every `intervalMs` (default 100 ms) plus the final
 * call, so callbacks that cross a worker boundary stay cheap. `now` is injected so core never reads
 * a global clock in a way tests cannot control.
 */
export function createReporter(o: RunOptions | undefined, stage: string, total: number,
  intervalMs = 100, now: () => number = () => performance.now()): (done: number) => void {
  let last = -Infinity;
  return (done: number) => {
    if (!o?.onProgress) return;
    const t = now();
    if (done >= total || t - last >= intervalMs) {
      last = t;
      o.onProgress({ stage, done, total });
    }
  };
}

/**
 * Yields to the event loop so a cancel message can arrive, then throws if cancelled.
 * Use between chunks of work (not per item).
 */
export async function checkpoint(o?: RunOptions): Promise<void> {
  throwIfCancelled(o);
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  throwIfCancelled(o);
}
