import { proxy, wrap, type Remote } from 'comlink';
import type { Progress } from '../core/progress.ts';
import type { FrameReply, OpenReply, ParseApi } from '../../workers/parse-protocol.ts';
import type { ParseClient } from './trajectory-controller.ts';

/** A cancelled open gets this long to notice its AbortSignal before its worker is terminated. */
export const CANCEL_GRACE_MS = 1500;

/** One parse worker: its comlink proxy and a way to kill it. */
export interface ParseSlot {
  worker: { terminate(): void };
  api: Remote<ParseApi> | ParseApi;
}

function spawnParseWorker(): ParseSlot {
  const worker = new Worker(new URL('../../workers/parse.worker.ts', import.meta.url), { type: 'module', name: 'parse' });
  return { worker, api: wrap<ParseApi>(worker) };
}

/**
 * The browser's parse client. Each open runs in a fresh worker which then serves that trajectory's
 * frames, so a stuck or cancelled open can be terminated without losing the trajectory on screen.
 * cancel() aborts the job inside the worker, and terminates the worker if it has not answered
 * within CANCEL_GRACE_MS.
 */
export function createWorkerParseClient(spawn: () => ParseSlot = spawnParseWorker,
  graceMs: number = CANCEL_GRACE_MS): ParseClient {
  const byJob = new Map<number, { slot: ParseSlot; settle: (r: OpenReply) => void }>();
  const byHandle = new Map<number, ParseSlot>();
  // handles are local to a worker; the client gives out its own, unique across workers
  const local = new Map<number, number>();
  let nextHandle = 1;

  return {
    open(job: number, files: File[], onProgress?: (p: Progress) => void): Promise<OpenReply> {
      const slot = spawn();
      return new Promise<OpenReply>((resolve) => {
        let settled = false;
        const settle = (r: OpenReply) => { if (!settled) { settled = true; byJob.delete(job); resolve(r); } };
        byJob.set(job, { slot, settle });
        Promise.resolve(slot.api.open(job, files, onProgress ? proxy(onProgress) : undefined)).then((r) => {
          if (settled) return;
          if (r.ok) {
            const handle = nextHandle++;
            byHandle.set(handle, slot);
            local.set(handle, r.handle);
            settle({ ...r, handle });
          } else {
            slot.worker.terminate();
            settle(r);
          }
        }, (e: unknown) => {
          slot.worker.terminate();
          settle({ ok: false, error: { kind: 'Error', message: e instanceof Error ? e.message : String(e) } });
        });
      });
    },

    cancel(job: number): void {
      const j = byJob.get(job);
      if (!j) return;
      void j.slot.api.cancel(job);
      setTimeout(() => {
        if (!byJob.has(job)) return;
        j.slot.worker.terminate();
        j.settle({ ok: false, error: { kind: 'Cancelled', message: 'cancelled' } });
      }, graceMs);
    },

    async readFrame(handle: number, i: number): Promise<FrameReply> {
      const slot = byHandle.get(handle);
      const h = local.get(handle);
      if (!slot || h === undefined) return { ok: false, error: { kind: 'Error', message: `no open trajectory ${handle}` } };
      return Promise.resolve(slot.api.readFrame(h, i));
    },

    close(handle: number): void {
      const slot = byHandle.get(handle);
      byHandle.delete(handle);
      local.delete(handle);
      slot?.worker.terminate();
    },
  };
}
