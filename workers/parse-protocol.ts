import { CancelledError, FormatError, type ErrorPlace } from '../src/core/errors.ts';
import type { FrameData, TrajectoryHeader } from '../src/core/trajectory.ts';
import type { Progress } from '../src/core/progress.ts';

/**
 * What crosses the parse worker's boundary. Everything is structured-clone data: comlink's error
 * handler keeps only {message, name, stack}, so failures come back as values, not thrown errors.
 */
export type WorkerErrorData =
  | { kind: 'FormatError'; file: string; at: ErrorPlace; expected: string; found: string }
  | { kind: 'Cancelled'; message: string }
  | { kind: 'Error'; message: string; file?: string };

export type OpenReply =
  | { ok: true; handle: number; header: TrajectoryHeader; frame0: FrameData }
  | { ok: false; error: WorkerErrorData };

export type FrameReply =
  | { ok: true; frame: FrameData }
  | { ok: false; error: WorkerErrorData };

/** The parse worker's API (workers/parse.worker.ts exposes it through comlink). */
export interface ParseApi {
  /**
   * Opens the files as one trajectory (coordinates plus an optional topology), indexing frames in
   * one streaming pass, then decodes frame 0 (readers check field contents only when decoding, and
   * a file whose first frame is bad must not replace what is on screen). `job` names the run for
   * `cancel`. Progress is throttled (<= 10 per second).
   */
  open(job: number, files: File[], onProgress?: (p: Progress) => void): Promise<OpenReply>;
  /** Aborts the open with this job id, if it is still running. */
  cancel(job: number): void;
  /** Decodes frame i of an opened trajectory; the positions buffer is transferred to the caller. */
  readFrame(handle: number, i: number): Promise<FrameReply>;
  /** Forgets an opened trajectory. */
  close(handle: number): void;
}

export function placeText(at: ErrorPlace): string {
  const parts: string[] = [];
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  if (at.frame !== undefined) parts.push(`frame ${at.frame}`);
  if (at.byte !== undefined) parts.push(`byte ${at.byte}`);
  return parts.join(', ');
}

/** Turns whatever was thrown into plain data for a worker reply. */
export function toWorkerErrorData(e: unknown, file?: string): WorkerErrorData {
  if (e instanceof FormatError) return e.toData();
  if (FormatError.isData(e)) return e;
  if (e instanceof CancelledError || (e instanceof Error && e.name === 'AbortError')) {
    return { kind: 'Cancelled', message: 'cancelled' };
  }
  if (e instanceof Error) return { kind: 'Error', message: e.message, file };
  return { kind: 'Error', message: String(e), file };
}

export function isWorkerErrorData(x: unknown): x is WorkerErrorData {
  if (typeof x !== 'object' || x === null) return false;
  const k = (x as { kind?: unknown }).kind;
  return k === 'FormatError' || k === 'Cancelled' || k === 'Error';
}
