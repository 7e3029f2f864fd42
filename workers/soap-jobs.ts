/**
 * SOAP jobs for the compute worker (compute.worker.ts spreads createSoapJobs() into its API), and
 * the caller-side helper soapOnPool that streams a trajectory's frames through a pool.
 *
 * A job is one frame sent as plain data (positions transferred, cell, pbc) with the parameters;
 * the worker computes its rows and transfers them back. Plans and scratch are cached per worker
 * (one plan per parameter set). Failures come back as data (comlink drops custom error fields).
 */
import { transfer, type Remote } from 'comlink';
import { buildNeighbourList, createNeighbourList, type NeighbourList } from '../src/core/geometry/neighbours.ts';
import {
  createSoapScratch, planSoap, soapFrame, speciesCodes, type SoapParams, type SoapPlan, type SoapScratch,
} from '../src/core/descriptors/soap/soap.ts';
import { CancelledError } from '../src/core/errors.ts';
import { createReporter, type RunOptions } from '../src/core/progress.ts';
import { toWorkerErrorData, type WorkerErrorData } from './parse-protocol.ts';
import { rebuildError, type Pool } from './pool.ts';

/** One frame as plain data. */
export interface SoapFrameInput {
  positions: Float64Array;
  cell: Float64Array | null;
  pbc: [boolean, boolean, boolean];
}

export interface SoapFrameRequest {
  frame: SoapFrameInput;
  /** Per-atom species symbols (cached per worker by identity of content is not attempted: small). */
  species: string[];
  /** Atom indices of the centres, or null for all atoms. */
  centres: Int32Array | null;
  params: SoapParams;
  /** Exclude atoms whose species is not in params.species instead of failing. */
  ignoreUnknownSpecies?: boolean;
  /** Return float32 rows (after the float64 computation and normalisation). */
  f32?: boolean;
}

export type SoapFrameReply =
  | { ok: true; rows: Float64Array | Float32Array; nCentres: number; width: number }
  | { ok: false; error: WorkerErrorData };

export interface SoapJobs {
  /** SOAP rows (centres x plan.width, row-major) of one frame. */
  soapFrame(job: number, req: SoapFrameRequest): Promise<SoapFrameReply>;
  /** Aborts the job with this id if it is running in this worker. */
  cancelSoap(job: number): void;
}

/** Centres per slice between cancellation checks: ~50-100 ms of work at 2400 atoms, r_cut 6. */
const CENTRES_PER_SLICE = 256;

export function createSoapJobs(): SoapJobs {
  const running = new Map<number, AbortController>();
  let cache: { key: string; plan: SoapPlan; scratch: SoapScratch } | null = null;
  const nl: NeighbourList = createNeighbourList();
  const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));
  return {
    async soapFrame(job, req) {
      const ac = new AbortController();
      running.set(job, ac);
      try {
        const key = JSON.stringify(req.params);
        if (!cache || cache.key !== key) {
          const plan = planSoap(req.params);
          cache = { key, plan, scratch: createSoapScratch(plan) };
        }
        const { plan, scratch } = cache;
        const { positions, cell, pbc } = req.frame;
        const n = req.species.length;
        if (positions.length !== 3 * n) throw new RangeError(`frame has ${positions.length / 3} atoms, species list ${n}`);
        const periodic = plan.params.periodic ?? cell !== null;
        if (periodic && !cell) throw new RangeError('periodic SOAP needs a cell (this frame has none)');
        const codes = speciesCodes(plan, req.species, req.ignoreUnknownSpecies ?? false);
        const all = req.centres ?? Int32Array.from({ length: n }, (_, i) => i);
        const out = new Float64Array(all.length * plan.width);
        for (let s = 0; s < all.length; s += CENTRES_PER_SLICE) {
          await yieldToEvents();
          if (ac.signal.aborted) throw new CancelledError();
          const slice = all.subarray(s, Math.min(all.length, s + CENTRES_PER_SLICE));
          buildNeighbourList(nl, positions, n, periodic ? cell : null, pbc, plan.neighbourRadius, slice, true);
          soapFrame(plan, nl, codes, out, s * plan.width, scratch);
        }
        const rows = req.f32 ? Float32Array.from(out) : out;
        return transfer({ ok: true as const, rows, nCentres: all.length, width: plan.width }, [rows.buffer as ArrayBuffer]);
      } catch (e) {
        return { ok: false as const, error: toWorkerErrorData(e) };
      } finally {
        running.delete(job);
      }
    },
    cancelSoap(job) {
      running.get(job)?.abort();
    },
  };
}

export interface SoapOnPoolOptions extends RunOptions {
  /** Frames in flight at once (default 2 x pool size): bounds memory. */
  maxInFlight?: number;
  /** Total number of frames, for progress (optional when the iterable has no length). */
  total?: number;
}

/**
 * Streams frames through the pool: each frame becomes one soapFrame job; `onFrame(k, rows)` is
 * called in frame order (k = 0-based position in `frames`) as soon as frame k and all earlier
 * frames are done. At most maxInFlight frames are held at a time. Progress in frames (throttled).
 * Rejects with CancelledError on abort (running jobs are cancelled in the workers), with the
 * rebuilt FormatError/Error of the first failing frame otherwise.
 */
export async function soapOnPool(pool: Pool<SoapJobs>, frames: AsyncIterable<SoapFrameInput> | Iterable<SoapFrameInput>,
  req: Omit<SoapFrameRequest, 'frame'>, onFrame: (k: number, rows: Float64Array | Float32Array, width: number) => void | Promise<void>,
  o: SoapOnPoolOptions = {}): Promise<number> {
  const maxInFlight = Math.max(1, o.maxInFlight ?? 2 * pool.size);
  const report = createReporter(o, 'soap', o.total ?? 0);
  const pending = new Map<number, Promise<SoapFrameReply>>();
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
      // Transfer only a buffer the frame owns whole; a view into something larger is copied first.
      const pos = frame.positions.byteOffset === 0 && frame.positions.byteLength === frame.positions.buffer.byteLength
        ? frame.positions : frame.positions.slice();
      const msg: SoapFrameRequest = { ...req, frame: { positions: pos, cell: frame.cell, pbc: frame.pbc } };
      const p = pool.run<SoapFrameReply>((api: Remote<SoapJobs>, job) => api.soapFrame(job, transfer(msg, [pos.buffer as ArrayBuffer])) as Promise<SoapFrameReply>, o.signal);
      p.catch(() => undefined); // observed in drainOne; avoid unhandled rejections meanwhile
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
