/**
 * LENS jobs for the compute worker (compute.worker.ts spreads createLensJobs(...) into its API).
 * A job computes one contiguous frame range (computeLensChunk: exact on its own, it reads the
 * `delay` frames before the range for history); the caller splits the trajectory with
 * splitFrames, runs the ranges on the pool and merges them with mergeLensChunks (lensOnPool).
 * Results are transferred, never copied; failures come back as data (comlink drops error fields).
 */
import { transfer } from 'comlink';
import {
  computeLensChunk, mergeLensChunks, splitFrames, type FrameSource, type LensChunk, type LensResult, type LensSelection,
} from '../src/core/descriptors/lens/compute-lens.ts';
import type { LensParams } from '../src/core/descriptors/lens/lens.ts';
import type { Progress, RunOptions } from '../src/core/progress.ts';
import { isWorkerErrorData, toWorkerErrorData, type WorkerErrorData } from './parse-protocol.ts';

/** What to compute: a frame range of one trajectory. `sources` are Blobs (browser) or paths (Node). */
export interface LensChunkRequest {
  sources: (Blob | string)[];
  first: number;
  count: number;
  params: LensParams & LensSelection;
}

export type LensChunkReply = { ok: true; chunk: LensChunk } | { ok: false; error: WorkerErrorData };

export interface LensJobs {
  /** LENS of frames [first, first + count); progress in frames (throttled in core). */
  lensChunk(job: number, req: LensChunkRequest, onProgress?: (p: Progress) => void): Promise<LensChunkReply>;
  /** Aborts the job with this id if it is running in this worker. */
  cancelLens(job: number): void;
}

/** Opening trajectories is injected: blobSource + openTrajectory in the browser, fileSource in Node. */
export interface LensJobDeps {
  open(sources: (Blob | string)[], o?: RunOptions): Promise<FrameSource>;
}

export function createLensJobs(deps: LensJobDeps): LensJobs {
  const running = new Map<number, AbortController>();
  // One opened trajectory is kept: consecutive chunks of the same file skip re-indexing it.
  let cached: { key: (Blob | string)[]; traj: FrameSource } | null = null;
  const sameKey = (a: (Blob | string)[], b: (Blob | string)[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return {
    async lensChunk(job, req, onProgress) {
      const ac = new AbortController();
      running.set(job, ac);
      try {
        const o: RunOptions = { signal: ac.signal, onProgress };
        let traj: FrameSource;
        if (cached && sameKey(cached.key, req.sources)) traj = cached.traj;
        else {
          traj = await deps.open(req.sources, { signal: ac.signal });
          cached = { key: [...req.sources], traj };
        }
        const chunk = await computeLensChunk(traj, req.first, req.count, req.params, o);
        return transfer({ ok: true as const, chunk },
          [chunk.lens.buffer, chunk.numerator.buffer, chunk.denominator.buffer, chunk.counts.buffer] as ArrayBuffer[]);
      } catch (e) {
        return { ok: false, error: toWorkerErrorData(e) };
      } finally {
        running.delete(job);
      }
    },
    cancelLens(job) {
      running.get(job)?.abort();
    },
  };
}

/** Thrown on the calling side when a chunk failed; carries the worker's error data. */
export class LensJobError extends Error {
  readonly data: WorkerErrorData;
  constructor(data: WorkerErrorData) {
    super(data.kind === 'FormatError' ? `${data.file}: expected ${data.expected}, found ${data.found}` : data.message);
    this.name = 'LensJobError';
    this.data = data;
  }
}

/**
 * Runs LENS over frames [0, nFrames) as `parts` chunks through `call` (one pool job per chunk,
 * e.g. `(r) => pool.run((api, job) => api.lensChunk(job, { ...request, ...r }))`) and merges them.
 */
export async function lensOnPool(call: (range: { first: number; count: number }) => Promise<LensChunkReply>,
  nFrames: number, parts: number, params: LensParams): Promise<LensResult> {
  const replies = await Promise.all(splitFrames(nFrames, parts).map((r) => call(r)));
  const chunks: LensChunk[] = [];
  for (const r of replies) {
    if (!r.ok) throw new LensJobError(isWorkerErrorData(r.error) ? r.error : { kind: 'Error', message: String(r.error) });
    chunks.push(r.chunk);
  }
  return mergeLensChunks(chunks, nFrames, params);
}
