import type { StoreApi } from 'zustand/vanilla';
import type { Progress } from '../core/progress.ts';
import type { FrameReply, OpenReply } from '../../workers/parse-protocol.ts';
import { loadedTrajectory, type AppState } from './store.ts';

/** The calls the controller makes on the parse worker (see workers/parse-protocol.ts ParseApi). */
export interface ParseClient {
  open(job: number, files: File[], onProgress?: (p: Progress) => void): Promise<OpenReply>;
  cancel(job: number): void | Promise<void>;
  readFrame(handle: number, i: number): Promise<FrameReply>;
  close(handle: number): void | Promise<void>;
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(h: unknown): void;
}

export interface TrajectoryController {
  /** Opens dropped or picked files as one trajectory; resolves true when it replaced the shown one. */
  openFiles(files: File[]): Promise<boolean>;
  /** Downloads a file from the page's own origin, then opens it like a dropped file. */
  openUrl(url: string, name: string): Promise<boolean>;
  dispose(): void;
}

/**
 * Glue between the store and the parse worker: runs opens as jobs with progress and cancel,
 * fetches the frame the store asks for (one request in flight, always the latest index), and
 * drives playback by advancing the frame only once the previous one is on screen.
 */
export function createTrajectoryController(store: StoreApi<AppState>, client: ParseClient,
  timers: Timers = globalThis as unknown as Timers,
  fetchFn: (url: string) => Promise<Response> = (u) => fetch(u)): TrajectoryController {
  let inflight = false;
  let timer: unknown = null;
  let timerFps = 0;

  async function pumpFrames(): Promise<void> {
    if (inflight) return;
    const s = store.getState();
    const t = s.trajectory;
    if (!t || s.frameIndex === s.frameShown) return;
    inflight = true;
    const handle = t.handle;
    const index = s.frameIndex;
    let reply: FrameReply;
    try {
      reply = await client.readFrame(handle, index);
    } catch (e) {
      reply = { ok: false, error: { kind: 'Error', message: e instanceof Error ? e.message : String(e), file: t.name } };
    }
    inflight = false;
    if (reply.ok && reply.frame.positions.length !== 3 * t.nAtoms) {
      reply = { ok: false, error: { kind: 'Error', file: t.name,
        message: `frame ${index + 1} has ${reply.frame.positions.length / 3} atoms, the trajectory ${t.nAtoms}` } };
    }
    if (reply.ok) {
      store.getState().receiveFrame(handle, index, reply.frame);
    } else if (store.getState().trajectory?.handle === handle) {
      // stop, say where, and go back to the frame on screen so the counter tells the truth (a
      // later attempt at the same frame asks again and fails again: no retry loop)
      const now = store.getState();
      now.setPlaying(false);
      now.pushError(reply.error, `Could not read frame ${index + 1} of ${t.name}`);
      if (now.frameIndex === index && now.frameShown >= 0) now.setFrameIndex(now.frameShown);
    }
    void pumpFrames();
  }

  function tick(): void {
    const s = store.getState();
    const t = s.trajectory;
    if (!t || !s.playing) return;
    if (s.frameShown !== s.frameIndex) return; // previous frame not on screen yet: skip this tick
    s.setFrameIndex(s.frameIndex + 1 >= t.nFrames ? 0 : s.frameIndex + 1);
  }

  function syncTimer(): void {
    const s = store.getState();
    const want = s.playing ? s.fps : 0;
    if (want === timerFps) return;
    if (timer !== null) timers.clearInterval(timer);
    timer = want > 0 ? timers.setInterval(tick, 1000 / want) : null;
    timerFps = want;
  }

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.frameIndex !== prev.frameIndex || s.trajectory !== prev.trajectory) void pumpFrames();
    if (s.playing !== prev.playing || s.fps !== prev.fps) syncTimer();
  });

  async function openFiles(files: File[]): Promise<boolean> {
    if (files.length === 0) return false;
    const names = files.map((f) => f.name).join(', ');
    const st = store.getState();
    let jobId = 0;
    jobId = st.startJob(`Reading ${names}`, () => { void client.cancel(jobId); });
    let reply: OpenReply;
    try {
      reply = await client.open(jobId, files, (p) => store.getState().updateJob(jobId, p));
    } catch (e) {
      reply = { ok: false, error: { kind: 'Error', message: e instanceof Error ? e.message : String(e), file: names } };
    } finally {
      store.getState().endJob(jobId);
    }
    if (!reply.ok) {
      store.getState().pushError(reply.error, reply.error.kind === 'FormatError' ? `Could not read ${reply.error.file}` : undefined);
      return false;
    }
    const old = store.getState().trajectory;
    store.getState().setTrajectory(loadedTrajectory(reply.header, reply.handle, files), reply.frame0);
    if (old) void client.close(old.handle);
    return true;
  }

  async function openUrl(url: string, name: string): Promise<boolean> {
    const jobId = store.getState().startJob(`Downloading ${name}`);
    let file: File;
    try {
      const r = await fetchFn(url);
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      file = new File([await r.blob()], name);
    } catch (e) {
      store.getState().pushError({ kind: 'Error', message: e instanceof Error ? e.message : String(e), file: name },
        `Could not download ${name}`);
      return false;
    } finally {
      store.getState().endJob(jobId);
    }
    return openFiles([file]);
  }

  return {
    openFiles,
    openUrl,
    dispose: () => {
      unsubscribe();
      if (timer !== null) timers.clearInterval(timer);
      timer = null;
      timerFps = 0;
    },
  };
}
