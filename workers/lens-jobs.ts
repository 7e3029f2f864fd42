/**
 * LENS jobs for the compute worker (compute.worker.ts spreads createLensJobs(...) into its API).
 * A job computes one contiguous frame range (computeLensChunk: exact on its own, it reads the
 * `delay` frames before the range for history); the caller splits the trajectory with
 * splitFrames, runs the ranges on the pool and merges them with mergeLensChunks (lensOnPool).
 * Results are transferred, never copied; failures come back as data (comlink drops error fields).
 */
import { createSharedOpener, sourcesKey } from './source-key.ts';
import { transfer } from 'comlink';
import {
  computeLensChunk, mergeLensChunks, splitFrames, universeMask, type FrameSource, type LensChunk, type LensResult, type LensSelection,
} from '../src/core/descriptors/lens/compute-lens.ts';
import {
  buildNeighbourSets, createLensFrameOut, createLensScratch, createNeighbourSets, lensCompare, planLens,
  type LensFrameOut, type LensParams, type LensPlan, type LensScratch, type NeighbourSets,
} from '../src/core/descriptors/lens/lens.ts';
import { createSoapScratch, planSoap, soapFrame, speciesCodes, type SoapParams, type SoapPlan, type SoapScratch } from '../src/core/descriptors/soap/soap.ts';
import { CancelledError } from '../src/core/errors.ts';
import { buildNeighbourList, createNeighbourList } from '../src/core/geometry/neighbours.ts';
import { createReporter, type Progress, type RunOptions } from '../src/core/progress.ts';
import { isWorkerErrorData, toWorkerErrorData, type WorkerErrorData } from './parse-protocol.ts';

/** What to compute: a frame range of one trajectory. `sources` are Blobs (browser) or paths (Node). */
export interface LensChunkRequest {
  sources: (Blob | string)[];
  first: number;
  count: number;
  params: LensParams & LensSelection;
}

export type LensChunkReply = { ok: true; chunk: LensChunk } | { ok: false; error: WorkerErrorData };

/** One frame for the joint SOAP + LENS pass (plain data; positions are transferred). */
export interface SoapLensFrameRequest {
  frame: { positions: Float64Array; cell: Float64Array | null; pbc: [boolean, boolean, boolean] };
  species: string[];
  /** Analysed atoms (SOAP centres = LENS rows), or null for all. */
  centres: Int32Array | null;
  soap: SoapParams;
  lens: { cutoff: number; convention?: LensParams['convention'] };
  /** LENS universe (atoms that may be neighbours), null = all atoms. */
  universe?: Int32Array | null;
  ignoreUnknownSpecies?: boolean;
}

export type SoapLensFrameReply =
  | { ok: true; rows: Float64Array; nCentres: number; width: number; setOffsets: Int32Array; setMembers: Int32Array }
  | { ok: false; error: WorkerErrorData };

export interface LensJobs {
  /** LENS of frames [first, first + count); progress in frames (throttled in core). */
  lensChunk(job: number, req: LensChunkRequest, onProgress?: (p: Progress) => void): Promise<LensChunkReply>;
  /**
   * One frame of the joint pass: ONE neighbour search (radius max(SOAP R_nb, LENS cutoff), centre
   * included) feeds both the SOAP rows (centres x width) and the LENS neighbour sets of the centres
   * (CSR); the caller compares sets across frames in order (soapLensOnPool).
   */
  soapLensFrame(job: number, req: SoapLensFrameRequest): Promise<SoapLensFrameReply>;
  /** Aborts the job with this id if it is running in this worker. */
  cancelLens(job: number): void;
}

/** Centres per neighbour-list slice between cancellation checks (as the SOAP jobs). */
const CENTRES_PER_SLICE = 256;

/** Opening trajectories is injected: blobSource + openTrajectory in the browser, fileSource in Node. */
export interface LensJobDeps {
  open(sources: (Blob | string)[], o?: RunOptions): Promise<FrameSource>;
}

export function createLensJobs(deps: LensJobDeps): LensJobs {
  const running = new Map<number, AbortController>();
  const openShared = createSharedOpener<FrameSource>();
  let soapCache: { key: string; plan: SoapPlan; scratch: SoapScratch } | null = null;
  let lensScratch: LensScratch | null = null;
  const nl = createNeighbourList();
  const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));
  return {
    async soapLensFrame(job, req) {
      const ac = new AbortController();
      running.set(job, ac);
      try {
        const key = JSON.stringify(req.soap);
        if (!soapCache || soapCache.key !== key) {
          const plan = planSoap(req.soap);
          soapCache = { key, plan, scratch: createSoapScratch(plan) };
        }
        const { plan, scratch } = soapCache;
        const lplan = planLens(req.lens);
        const { positions, cell, pbc } = req.frame;
        const n = req.species.length;
        if (positions.length !== 3 * n) throw new RangeError(`frame has ${positions.length / 3} atoms, species list ${n}`);
        const periodic = plan.params.periodic ?? cell !== null;
        if (periodic && !cell) throw new RangeError('periodic SOAP needs a cell (this frame has none)');
        const codes = speciesCodes(plan, req.species, req.ignoreUnknownSpecies ?? false);
        const mask = universeMask(req.universe, n);
        if (!lensScratch) lensScratch = createLensScratch(n);
        const all = req.centres ?? Int32Array.from({ length: n }, (_, i) => i);
        const rows = new Float64Array(all.length * plan.width);
        const sets = createNeighbourSets(all.length * 64);
        const radius = Math.max(plan.neighbourRadius, lplan.cutoff);
        for (let s0 = 0; s0 < all.length; s0 += CENTRES_PER_SLICE) {
          await yieldToEvents();
          if (ac.signal.aborted) throw new CancelledError();
          const slice = all.subarray(s0, Math.min(all.length, s0 + CENTRES_PER_SLICE));
          buildNeighbourList(nl, positions, n, periodic ? cell : null, pbc, radius, slice, true);
          soapFrame(plan, nl, codes, rows, s0 * plan.width, scratch);
          buildNeighbourSets(lplan, nl, slice, n, sets, lensScratch, mask, s0 > 0);
        }
        const setOffsets = sets.offsets.slice(0, all.length + 1), setMembers = sets.members.slice(0, sets.count);
        return transfer({ ok: true as const, rows, nCentres: all.length, width: plan.width, setOffsets, setMembers },
          [rows.buffer, setOffsets.buffer, setMembers.buffer] as ArrayBuffer[]);
      } catch (e) {
        return { ok: false as const, error: toWorkerErrorData(e) };
      } finally {
        running.delete(job);
      }
    },
    async lensChunk(job, req, onProgress) {
      const ac = new AbortController();
      running.set(job, ac);
      try {
        const o: RunOptions = { signal: ac.signal, onProgress };
        const traj = await openShared(sourcesKey(req.sources), ac.signal, (signal) => deps.open(req.sources, { signal }));
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
 * e.g. `(r, onProgress) => pool.run((api, job) => api.lensChunk(job, { ...request, ...r }, proxy(onProgress)), signal)`)
 * and merges them. Progress (stage "lens", frames done over all chunks) goes to o.onProgress.
 */
export async function lensOnPool(
  call: (range: { first: number; count: number }, onProgress: (p: Progress) => void) => Promise<LensChunkReply>,
  nFrames: number, parts: number, params: LensParams, o?: RunOptions): Promise<LensResult> {
  o?.signal?.throwIfAborted();
  const ranges = splitFrames(nFrames, parts);
  const done = new Float64Array(ranges.length);
  const report = createReporter(o, 'lens', nFrames);
  const replies = await Promise.all(ranges.map((r, i) => call(r, (p) => {
    done[i] = Math.min(p.done, r.count);
    let s = 0;
    for (const d of done) s += d;
    report(s);
  })));
  const chunks: LensChunk[] = [];
  for (const r of replies) {
    if (!r.ok) throw new LensJobError(isWorkerErrorData(r.error) ? r.error : { kind: 'Error', message: String(r.error) });
    chunks.push(r.chunk);
  }
  report(nFrames);
  return mergeLensChunks(chunks, nFrames, params);
}

export interface SoapLensOnPoolOptions extends RunOptions {
  /** Frames in flight at once (default 4): bounds memory. */
  maxInFlight?: number;
  /** Total number of frames, for progress. */
  total?: number;
  /** LENS delay in frames (default 1). */
  delay?: number;
}

/**
 * The joint streaming pass: each frame is one soapLensFrame job through `call` (e.g.
 * `(req) => pool.run((api, job) => api.soapLensFrame(job, transfer(req, [req.frame.positions.buffer])))`).
 * In frame order, onFrame(k, rows, width, lens) receives the SOAP rows and, once `delay` earlier
 * frames exist, the LENS of the change (k - delay -> k) per centre (lens.counts always valid;
 * lens is null before that: the SOAPify placeholder). `lens` is reused: valid during the callback.
 * Only delay + 1 frames of neighbour sets are kept. Rejects with CancelledError on abort, with a LensJobError for a failed frame.
 */
export async function soapLensOnPool(call: (req: SoapLensFrameRequest) => Promise<SoapLensFrameReply>,
  frames: AsyncIterable<SoapLensFrameRequest['frame']> | Iterable<SoapLensFrameRequest['frame']>,
  req: Omit<SoapLensFrameRequest, 'frame'>,
  onFrame: (k: number, rows: Float64Array, width: number, lens: LensFrameOut | null) => void | Promise<void>,
  o: SoapLensOnPoolOptions = {}): Promise<number> {
  const lplan: LensPlan = planLens({ ...req.lens, delay: o.delay ?? 1 });
  const maxInFlight = Math.max(1, o.maxInFlight ?? 4);
  const report = createReporter(o, 'soap+lens', o.total ?? 0);
  const pending = new Map<number, Promise<SoapLensFrameReply>>();
  const ring: NeighbourSets[] = [];
  let scratch: LensScratch | null = null;
  let out: LensFrameOut | null = null;
  let next = 0, issued = 0;
  const drainOne = async () => {
    const reply = await pending.get(next)!;
    pending.delete(next);
    if (!reply.ok) throw new LensJobError(reply.error);
    const sets: NeighbourSets = { n: reply.nCentres, offsets: reply.setOffsets, members: reply.setMembers, count: reply.setMembers.length };
    if (!out) out = createLensFrameOut(reply.nCentres);
    // The stamp array must cover every atom index seen (a fresh one is all zeros: no stale ticks).
    let mx = 0;
    for (let i = 0; i < sets.count; i++) if (sets.members[i] > mx) mx = sets.members[i];
    if (!scratch || scratch.stamp.length <= mx) scratch = createLensScratch(2 * (mx + 1));
    for (let c = 0; c < sets.n; c++) out.counts[c] = sets.offsets[c + 1] - sets.offsets[c];
    let have = false;
    if (next >= lplan.delay) {
      lensCompare(ring[(next - lplan.delay) % (lplan.delay + 1)], sets, scratch, out.lens, out.numerator, out.denominator);
      have = true;
    }
    ring[next % (lplan.delay + 1)] = sets;
    await onFrame(next, reply.rows, reply.width, have ? out : null);
    next++;
    report(next);
  };
  try {
    for await (const frame of frames) {
      o.signal?.throwIfAborted();
      const k = issued++;
      const p = call({ ...req, frame });
      p.catch(() => undefined); // observed in drainOne
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

/** The slice of a pool this module needs (workers/pool.ts Pool<ComputeApi> fits). */
export interface LensPoolLike {
  readonly size: number;
  run<T>(fn: (api: { lensChunk: LensJobs['lensChunk'] }, job: number) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * LENS of a whole trajectory on a pool, for the explorer: the dropped files (Blobs) are opened by
 * each worker, frames are split into one chunk per worker, results merged. `wrapProgress` is
 * comlink's `proxy` (callbacks cannot be cloned). Colour atoms at frame t with lensAtFrame.
 */
export function lensForFiles(pool: LensPoolLike, sources: (Blob | string)[], nFrames: number,
  params: LensParams & LensSelection, wrapProgress: (f: (p: Progress) => void) => (p: Progress) => void,
  o?: RunOptions): Promise<LensResult> {
  return lensOnPool((r, onProgress) => pool.run((api, job) => api.lensChunk(job, { sources, ...r, params }, wrapProgress(onProgress)), o?.signal),
    nFrames, pool.size, params, o);
}
