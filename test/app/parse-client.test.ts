import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorkerParseClient, type ParseSlot } from '../../src/app/parse-client.ts';
import type { FrameReply, OpenReply, ParseApi } from '../../workers/parse-protocol.ts';
import { frame, header } from './fixtures.ts';

/** A fake worker whose open the test settles by hand (or never, for a stuck reader). */
class FakeWorker implements ParseSlot {
  terminated = false;
  cancelled: number[] = [];
  settleOpen: ((r: OpenReply) => void) | null = null;
  frameRequests: Array<[number, number]> = [];
  worker = { terminate: () => { this.terminated = true; } };
  api: ParseApi = {
    open: () => new Promise<OpenReply>((resolve) => { this.settleOpen = resolve; }),
    cancel: (job) => { this.cancelled.push(job); },
    readFrame: async (h, i): Promise<FrameReply> => { this.frameRequests.push([h, i]); return { ok: true, frame: frame(i) }; },
    close: () => {},
  };
}

afterEach(() => { vi.useRealTimers(); });

function setup() {
  const workers: FakeWorker[] = [];
  const client = createWorkerParseClient(() => { const w = new FakeWorker(); workers.push(w); return w; }, 1000);
  return { client, workers };
}

describe('worker parse client', () => {
  it('opens each trajectory in its own worker and routes frames by client-wide handles', async () => {
    const { client, workers } = setup();
    const a = client.open(1, []);
    const b = client.open(2, []);
    // both workers number their first trajectory 1; the client keeps them apart
    workers[0].settleOpen!({ ok: true, handle: 1, header: header(), frame0: frame(0) });
    workers[1].settleOpen!({ ok: true, handle: 1, header: header(), frame0: frame(0) });
    const ra = await a, rb = await b;
    if (!ra.ok || !rb.ok) throw new Error('open failed');
    expect(ra.handle).not.toBe(rb.handle);
    await client.readFrame(rb.handle, 2);
    expect(workers[1].frameRequests).toEqual([[1, 2]]);
    expect(workers[0].frameRequests).toEqual([]);
    client.close(ra.handle);
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].terminated).toBe(false);
    expect(await client.readFrame(ra.handle, 0)).toMatchObject({ ok: false });
  });

  it('terminates the worker of a failed open', async () => {
    const { client, workers } = setup();
    const p = client.open(1, []);
    workers[0].settleOpen!({ ok: false, error: { kind: 'FormatError', file: 'a.xyz', at: { line: 3 }, expected: 'x', found: 'y' } });
    expect(await p).toMatchObject({ ok: false, error: { kind: 'FormatError', at: { line: 3 } } });
    expect(workers[0].terminated).toBe(true);
  });

  it('cancel asks the worker first, and terminates it when it does not answer in time', async () => {
    vi.useFakeTimers();
    const { client, workers } = setup();
    const p = client.open(5, []);
    client.cancel(5);
    expect(workers[0].cancelled).toEqual([5]);
    expect(workers[0].terminated).toBe(false);
    vi.advanceTimersByTime(999);
    expect(workers[0].terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(workers[0].terminated).toBe(true);
    expect(await p).toEqual({ ok: false, error: { kind: 'Cancelled', message: 'cancelled' } });
  });

  it('a cancel answered in time settles once; the grace timer then does nothing', async () => {
    vi.useFakeTimers();
    const { client, workers } = setup();
    const p = client.open(5, []);
    client.cancel(5);
    workers[0].settleOpen!({ ok: false, error: { kind: 'Cancelled', message: 'cancelled' } });
    expect(await p).toMatchObject({ ok: false, error: { kind: 'Cancelled' } });
    expect(workers[0].terminated).toBe(true); // failed opens free their worker
    const terminations = workers.filter((w) => w.terminated).length;
    vi.advanceTimersByTime(5000);
    expect(workers.filter((w) => w.terminated).length).toBe(terminations);
  });
});
