import { transfer } from 'comlink';
import type { Progress, RunOptions } from '../src/core/progress.ts';
import type { FrameData, Trajectory, TrajectoryHeader } from '../src/core/trajectory.ts';
import { toWorkerErrorData, type FrameReply, type OpenReply, type ParseApi } from './parse-protocol.ts';

/** What the parse API needs from core/io (injected so tests can use a fake reader). */
export interface ParseDeps<S> {
  /** Wraps a dropped File (or any Blob) as a byte source. */
  source(blob: Blob, name: string): S;
  /** Opens one trajectory from its sources (coordinates plus optional topology). */
  open(sources: S[], o?: RunOptions): Promise<Trajectory>;
  /** Clock for progress throttling (ms). */
  now?: () => number;
}

/** Progress crosses the worker boundary at most this often (each report is a message). */
export const PROGRESS_INTERVAL_MS = 100;

/** The header of a trajectory without its readFrame method (structured-cloneable). */
export function headerOf(t: Trajectory): TrajectoryHeader {
  const h: TrajectoryHeader = {
    name: t.name, format: t.format, nAtoms: t.nAtoms, nFrames: t.nFrames, species: [...t.species],
    ids: t.ids, pbc: [t.pbc[0], t.pbc[1], t.pbc[2]], propertyNames: [...t.propertyNames],
  };
  if (t.types) h.types = [...t.types];
  if (t.timestep !== undefined) h.timestep = t.timestep;
  if (t.notes) h.notes = [...t.notes];
  return h;
}

/** Buffers of a frame that can be transferred: each array gets its own buffer, copied if shared. */
function ownBuffers(f: FrameData): { frame: FrameData; buffers: ArrayBuffer[] } {
  const buffers: ArrayBuffer[] = [];
  const seen = new Set<ArrayBufferLike>();
  const own = (a: Float64Array): Float64Array => {
    // a view on part of a larger (or already listed) buffer is copied, so transferring it cannot
    // detach memory the reader still uses
    const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer;
    const b = whole && !seen.has(a.buffer) ? a : a.slice();
    seen.add(b.buffer);
    buffers.push(b.buffer as ArrayBuffer);
    return b;
  };
  const frame: FrameData = { positions: own(f.positions), cell: f.cell ? own(f.cell) : null };
  if (f.origin) frame.origin = own(f.origin);
  if (f.time !== undefined) frame.time = f.time;
  if (f.step !== undefined) frame.step = f.step;
  if (f.properties) {
    frame.properties = {};
    for (const [k, v] of Object.entries(f.properties)) frame.properties[k] = own(v);
  }
  return { frame, buffers };
}

/**
 * The parse worker's implementation: opens dropped files, keeps the opened trajectories by handle
 * and decodes frames on demand. Failures are returned as plain data, never thrown.
 */
export function createParseApi<S>(deps: ParseDeps<S>): ParseApi {
  const now = deps.now ?? (() => performance.now());
  const running = new Map<number, AbortController>();
  const opened = new Map<number, Trajectory>();
  let nextHandle = 1;

  return {
    async open(job: number, files: File[], onProgress?: (p: Progress) => void): Promise<OpenReply> {
      const ctrl = new AbortController();
      running.set(job, ctrl);
      let last = -Infinity;
      const report = onProgress
        ? (p: Progress) => {
          const t = now();
          if (p.done >= p.total || t - last >= PROGRESS_INTERVAL_MS) {
            last = t;
            onProgress({ stage: p.stage, done: p.done, total: p.total });
          }
        }
        : undefined;
      try {
        if (files.length === 0) return { ok: false, error: { kind: 'Error', message: 'no file given' } };
        const sources = files.map((f) => deps.source(f, f.name));
        const t = await deps.open(sources, { signal: ctrl.signal, onProgress: report });
        if (ctrl.signal.aborted) return { ok: false, error: { kind: 'Cancelled', message: 'cancelled' } };
        if (t.nFrames < 1 || t.nAtoms < 1) {
          return { ok: false, error: { kind: 'Error', message: `${t.name} has ${t.nFrames} frames of ${t.nAtoms} atoms: nothing to show`, file: t.name } };
        }
        const { frame, buffers } = ownBuffers(await t.readFrame(0));
        if (ctrl.signal.aborted) return { ok: false, error: { kind: 'Cancelled', message: 'cancelled' } };
        const handle = nextHandle++;
        opened.set(handle, t);
        return transfer({ ok: true, handle, header: headerOf(t), frame0: frame } as OpenReply, buffers);
      } catch (e) {
        if (ctrl.signal.aborted) return { ok: false, error: { kind: 'Cancelled', message: 'cancelled' } };
        return { ok: false, error: toWorkerErrorData(e, files.map((f) => f.name).join(' + ')) };
      } finally {
        running.delete(job);
      }
    },

    cancel(job: number): void {
      running.get(job)?.abort();
    },

    async readFrame(handle: number, i: number): Promise<FrameReply> {
      const t = opened.get(handle);
      if (!t) return { ok: false, error: { kind: 'Error', message: `no open trajectory ${handle}` } };
      if (!Number.isInteger(i) || i < 0 || i >= t.nFrames) {
        return { ok: false, error: { kind: 'Error', message: `frame ${i} outside 0..${t.nFrames - 1}`, file: t.name } };
      }
      try {
        const { frame, buffers } = ownBuffers(await t.readFrame(i));
        return transfer({ ok: true, frame } as FrameReply, buffers);
      } catch (e) {
        return { ok: false, error: toWorkerErrorData(e, t.name) };
      }
    },

    close(handle: number): void {
      opened.delete(handle);
    },
  };
}
