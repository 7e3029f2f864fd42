/**
 * SOAP jobs for the compute worker (compute.worker.ts spreads createSoapJobs() into its API), and
 * the caller-side helper soapOnPool that streams a trajectory's frames through a pool.
 *
 * A job is one frame sent as plain data (positions transferred, cell, pbc) with the parameters;
 * the worker computes its rows and transfers them back. Plans and scratch are cached per worker
 * (one plan per parameter set). Failures come back as data (comlink drops custom error fields).
 */
import { createSharedOpener, sourcesKey } from './source-key.ts';
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

/** One frame of a trajectory file the worker opens itself (Blobs in the browser, paths in Node). */
export interface SoapSourceRequest extends Omit<SoapFrameRequest, 'frame'> {
  sources: (Blob | string)[];
  /** 0-based frame index in the trajectory. */
  frame: number;
}

/** How a worker opens trajectory files (the compute worker's deps; same shape as lens-jobs). */
export interface SoapJobDeps {
  open(sources: (Blob | string)[], o?: RunOptions): Promise<{ nAtoms: number; nFrames: number; pbc: readonly boolean[];
    readFrame(i: number): Promise<{ positions: Float64Array; cell: Float64Array | null }> }>;
}

export interface SoapJobs {
  /** SOAP rows (centres x plan.width, row-major) of one frame sent as data. */
  soapFrame(job: number, req: SoapFrameRequest): Promise<SoapFrameReply>;
  /** SOAP rows of frame req.frame of a trajectory this worker opens (and keeps open for the next frames). */
  soapSourceFrame(job: number, req: SoapSourceRequest): Promise<SoapFrameReply>;
  /** Aborts the job with this id if it is running in this worker. */
  cancelSoap(job: number): void;
}

/** Centres per slice between cancellation checks: ~50-100 ms of work at 2400 atoms, r_cut 6. */
const CENTRES_PER_SLICE = 256;

export function createSoapJobs(deps?: SoapJobDeps): SoapJobs {
  const running = new Map<number, AbortController>();
  let cache: { key: string; plan: SoapPlan; scratch: SoapScratch } | null = null;
  const openShared = createSharedOpener<Awaited<ReturnType<SoapJobDeps['open']>>>();
  const nl: NeighbourList = createNeighbourList();
  const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

  async function rows(ac: AbortController, frame: SoapFrameInput, req: Omit<SoapFrameRequest, 'frame'>): Promise<SoapFrameReply> {
    const key = JSON.stringify(req.params);
    if (!cache || cache.key !== key) {
      const plan = planSoap(req.params);
      cache = { key, plan, scratch: createSoapScratch(plan) };
    }
    const { plan, scratch } = cache;
    const { positions, cell, pbc } = frame;
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
    const r = req.f32 ? Float32Array.from(out) : out;
    return transfer({ ok: true as const, rows: r, nCentres: all.length, width: plan.width }, [r.buffer as ArrayBuffer]);
  }

  async function guarded(job: number, work: (ac: AbortController) => Promise<SoapFrameReply>): Promise<SoapFrameReply> {
    const ac = new AbortController();
    running.set(job, ac);
    try {
      return await work(ac);
    } catch (e) {
      return { ok: false as const, error: toWorkerErrorData(e) };
    } finally {
      running.delete(job);
    }
  }

  return {
    soapFrame: (job, req) => guarded(job, (ac) => rows(ac, req.frame, req)),
    soapSourceFrame: (job, req) => guarded(job, async (ac) => {
      if (!deps) throw new Error('this worker cannot open files (no deps given to createSoapJobs)');
      const open = deps.open;
      const traj = await openShared(sourcesKey(req.sources), ac.signal, (signal) => open(req.sources, { signal }));
      if (!(Number.isInteger(req.frame) && req.frame >= 0 && req.frame < traj.nFrames)) {
        throw new RangeError(`frame ${req.frame} outside 0..${traj.nFrames - 1}`);
      }
      const f = await traj.readFrame(req.frame);
      const pbc: [boolean, boolean, boolean] = [!!traj.pbc[0], !!traj.pbc[1], !!traj.pbc[2]];
      return rows(ac, { positions: f.positions, cell: f.cell, pbc }, req);
    }),
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
 * Runs `count` jobs started by `start(k)` on the pool with at most maxInFlight at a time and hands
 * their rows to onFrame in order k = 0, 1, ... (progress in frames, throttled).
 */
async function ordered(count: number | null, next: () => Promise<((signal?: AbortSignal) => Promise<SoapFrameReply>) | null>,
  onFrame: (k: number, rows: Float64Array | Float32Array, width: number) => void | Promise<void>, maxInFlight: number,
  o: SoapOnPoolOptions): Promise<number> {
  const report = createReporter(o, 'soap', o.total ?? count ?? 0);
  const pending = new Map<number, Promise<SoapFrameReply>>();
  let done = 0, issued = 0;
  const drainOne = async () => {
    const reply = await pending.get(done)!;
    pending.delete(done);
    if (!reply.ok) throw rebuildError(reply.error);
    await onFrame(done, reply.rows, reply.width);
    done++;
    report(done);
  };
  try {
    for (;;) {
      o.signal?.throwIfAborted();
      const launch = await next();
      if (!launch) break;
      const p = launch(o.signal);
      p.catch(() => undefined); // observed in drainOne; avoid unhandled rejections meanwhile
      pending.set(issued++, p);
      while (pending.size >= maxInFlight) await drainOne();
    }
    while (pending.size > 0) await drainOne();
  } catch (e) {
    if (o.signal?.aborted) throw new CancelledError();
    throw e;
  }
  return done;
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
  const it = (Symbol.asyncIterator in frames ? frames[Symbol.asyncIterator]() : frames[Symbol.iterator]()) as AsyncIterator<SoapFrameInput> | Iterator<SoapFrameInput>;
  return ordered(null, async () => {
    const r = await it.next();
    if (r.done) return null;
    const frame = r.value;
    // Transfer only a buffer the frame owns whole; a view into something larger is copied first.
    const pos = frame.positions.byteOffset === 0 && frame.positions.byteLength === frame.positions.buffer.byteLength
      ? frame.positions : frame.positions.slice();
    const msg: SoapFrameRequest = { ...req, frame: { positions: pos, cell: frame.cell, pbc: frame.pbc } };
    return (signal) => pool.run<SoapFrameReply>((api: Remote<SoapJobs>, job) =>
      api.soapFrame(job, transfer(msg, [pos.buffer as ArrayBuffer])) as Promise<SoapFrameReply>, signal);
  }, onFrame, Math.max(1, o.maxInFlight ?? 2 * pool.size), o);
}

/**
 * Like soapOnPool, but the workers open the trajectory themselves (`sources`: the dropped Files in
 * the browser, paths in Node) and read their frames: nothing but indices and rows crosses threads.
 * `frames` lists trajectory frame indices; onFrame's k is the position in that list.
 */
export async function soapTrajectoryOnPool(pool: Pool<SoapJobs>, sources: (Blob | string)[], frames: readonly number[],
  req: Omit<SoapFrameRequest, 'frame'>, onFrame: (k: number, rows: Float64Array | Float32Array, width: number) => void | Promise<void>,
  o: SoapOnPoolOptions = {}): Promise<number> {
  let k = 0;
  return ordered(frames.length, async () => {
    if (k >= frames.length) return null;
    const msg: SoapSourceRequest = { ...req, sources, frame: frames[k++] };
    return (signal) => pool.run<SoapFrameReply>((api: Remote<SoapJobs>, job) => api.soapSourceFrame(job, msg) as Promise<SoapFrameReply>, signal);
  }, onFrame, Math.max(1, o.maxInFlight ?? 2 * pool.size), o);
}
