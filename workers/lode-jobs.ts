/**
 * LODE jobs for the compute worker (compute.worker.ts spreads createLodeJobs() into its API), and
 * the caller-side helper lodeOnPool that streams a trajectory's frames through a pool, in frame order.
 *
 * A job is one frame as plain data (positions transferred, cell, pbc, per-atom atomic numbers) with
 * the parameters. Plans (with their lazily built open-boundary table) and scratch (with the k-space
 * of the last cell) are cached per worker, keyed by the parameters. Failures come back as data.
 */
import { transfer, type Remote } from 'comlink';
import { createLodeScratch, lodeFrame, planLode, speciesChannels, type LodeParams, type LodePlan,
  type LodeScratch } from '../src/core/descriptors/lode/lode.ts';
import { CancelledError } from '../src/core/errors.ts';
import { createReporter, type RunOptions } from '../src/core/progress.ts';
import { toWorkerErrorData, type WorkerErrorData } from './parse-protocol.ts';
import { rebuildError, type Pool } from './pool.ts';
import type { SoapFrameInput } from './soap-jobs.ts';

/** One frame as the job takes it: the same plain data as a SOAP job's frame. */
export type LodeFrameData = SoapFrameInput;

export interface LodeFrameRequest {
  frame: LodeFrameData;
  /** Atomic number per atom. */
  atomicNumbers: Int32Array;
  /** Centre atoms, or null for all. */
  centres: Int32Array | null;
  params: LodeParams;
  /** Leave atoms of species outside params.species out of the potential instead of failing. */
  ignoreUnknownSpecies?: boolean;
  f32?: boolean;
}

export type LodeFrameReply =
  | { ok: true; rows: Float64Array | Float32Array; nCentres: number; width: number }
  | { ok: false; error: WorkerErrorData };

export interface LodeJobs {
  /** LODE rows (centres x plan.width) of one frame. */
  lodeFrame(job: number, req: LodeFrameRequest): Promise<LodeFrameReply>;
  cancelLode(job: number): void;
}

/** Centres per slice between cancellation checks (~0.1 s for a 1536-atom water box, sigma 1.5). */
const CENTRES_PER_SLICE = 128;

export function createLodeJobs(): LodeJobs {
  const running = new Map<number, AbortController>();
  let cache: { key: string; plan: LodePlan; scratch: LodeScratch } | null = null;
  const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));
  return {
    async lodeFrame(job, req) {
      const ac = new AbortController();
      running.set(job, ac);
      try {
        const key = JSON.stringify(req.params);
        if (!cache || cache.key !== key) {
          const plan = planLode(req.params);
          cache = { key, plan, scratch: createLodeScratch(plan) };
        }
        const { plan, scratch } = cache;
        const n = req.atomicNumbers.length;
        if (req.frame.positions.length !== 3 * n) throw new RangeError(`frame has ${req.frame.positions.length / 3} atoms, species list ${n}`);
        const frame = { ...req.frame, speciesIndex: speciesChannels(plan, req.atomicNumbers, req.ignoreUnknownSpecies ?? false) };
        const all = req.centres ?? Int32Array.from({ length: n }, (_, i) => i);
        const out = new Float64Array(all.length * plan.width);
        for (let s = 0; s < all.length; s += CENTRES_PER_SLICE) {
          await yieldToEvents();
          if (ac.signal.aborted) throw new CancelledError();
          lodeFrame(plan, frame, all.subarray(s, Math.min(all.length, s + CENTRES_PER_SLICE)), out, s * plan.width, scratch);
        }
        const rows = req.f32 ? Float32Array.from(out) : out;
        return transfer({ ok: true as const, rows, nCentres: all.length, width: plan.width }, [rows.buffer as ArrayBuffer]);
      } catch (e) {
        return { ok: false as const, error: toWorkerErrorData(e) };
      } finally {
        running.delete(job);
      }
    },
    cancelLode(job) {
      running.get(job)?.abort();
    },
  };
}

export interface LodeOnPoolOptions extends RunOptions {
  /** Frames in flight at once (default 2 x pool size). */
  maxInFlight?: number;
  total?: number;
}

/**
 * Streams frames through the pool, one lodeFrame job per frame; onFrame(k, rows, width) is called in
 * frame order. Rejects with CancelledError on abort, or with the rebuilt error of the first failing frame.
 */
export async function lodeOnPool(pool: Pool<LodeJobs>, frames: AsyncIterable<LodeFrameData> | Iterable<LodeFrameData>,
  req: Omit<LodeFrameRequest, 'frame'>, onFrame: (k: number, rows: Float64Array | Float32Array, width: number) => void | Promise<void>,
  o: LodeOnPoolOptions = {}): Promise<number> {
  const maxInFlight = Math.max(1, o.maxInFlight ?? 2 * pool.size);
  const report = createReporter(o, 'lode', o.total ?? 0);
  const pending = new Map<number, Promise<LodeFrameReply>>();
  let next = 0, issued = 0;
  const drainOne = async () => {
    const reply = await pending.get(next)!;
    pending.delete(next);
    if (!reply.ok) throw rebuildError(reply.error);
    await onFrame(next, reply.rows, reply.width);
    next++;
    report(next);
  };
  try {
    for await (const frame of frames) {
      o.signal?.throwIfAborted();
      const k = issued++;
      const pos = frame.positions.byteOffset === 0 && frame.positions.byteLength === frame.positions.buffer.byteLength
        ? frame.positions : frame.positions.slice();
      const msg: LodeFrameRequest = { ...req, frame: { positions: pos, cell: frame.cell, pbc: frame.pbc } };
      const p = pool.run<LodeFrameReply>((api: Remote<LodeJobs>, job) => api.lodeFrame(job, transfer(msg, [pos.buffer as ArrayBuffer])) as Promise<LodeFrameReply>, o.signal);
      p.catch(() => undefined);
      pending.set(k, p);
      while (pending.size >= maxInFlight) await drainOne();
    }
    while (pending.size > 0) await drainOne();
  } catch (e) {
    if (o.signal?.aborted) throw new CancelledError();
    throw e;
  }
  return next;
}
