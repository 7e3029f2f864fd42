import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreApi } from 'zustand/vanilla';
import { createAppStore, type AppState } from '../../src/app/store.ts';
import { createTrajectoryController, type ParseClient, type Timers, type TrajectoryController } from '../../src/app/trajectory-controller.ts';
import type { FrameReply, OpenReply } from '../../workers/parse-protocol.ts';
import type { Progress } from '../../src/core/progress.ts';
import { frame, header } from './fixtures.ts';

/** A parse client whose replies the test releases by hand. */
class FakeClient implements ParseClient {
  opens: Array<{ job: number; files: File[]; onProgress?: (p: Progress) => void; resolve: (r: OpenReply) => void }> = [];
  reads: Array<{ handle: number; i: number; resolve: (r: FrameReply) => void }> = [];
  cancelled: number[] = [];
  closed: number[] = [];
  open(job: number, files: File[], onProgress?: (p: Progress) => void): Promise<OpenReply> {
    return new Promise((resolve) => this.opens.push({ job, files, onProgress, resolve }));
  }
  cancel(job: number): void { this.cancelled.push(job); }
  readFrame(handle: number, i: number): Promise<FrameReply> {
    return new Promise((resolve) => this.reads.push({ handle, i, resolve }));
  }
  close(handle: number): void { this.closed.push(handle); }
}

class FakeTimers implements Timers {
  fns = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setInterval(fn: () => void, ms: number): unknown { const id = this.next++; this.fns.set(id, { fn, ms }); return id; }
  clearInterval(h: unknown): void { this.fns.delete(h as number); }
  tick(): void { for (const { fn } of [...this.fns.values()]) fn(); }
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));
const file = (name: string) => new File(['x'], name);

let store: StoreApi<AppState>;
let client: FakeClient;
let timers: FakeTimers;
let ctl: TrajectoryController;
const st = () => store.getState();

beforeEach(() => {
  store = createAppStore();
  client = new FakeClient();
  timers = new FakeTimers();
  ctl = createTrajectoryController(store, client, timers, async () => new Response('3\n\nH 0 0 0\n', { status: 200 }));
});
afterEach(() => ctl.dispose());

async function openToy(handle: number, nFrames = 4): Promise<void> {
  const p = ctl.openFiles([file(`t${handle}.xyz`)]);
  await flush();
  client.opens.at(-1)!.resolve({ ok: true, handle, header: header({ nFrames }), frame0: frame(0) });
  await p;
  await flush();
}

describe('trajectory controller', () => {
  it('runs an open as a job with progress, then shows the trajectory and fetches frame 0', async () => {
    const p = ctl.openFiles([file('a.xyz')]);
    await flush();
    expect(st().jobs).toHaveLength(1);
    expect(st().jobs[0].label).toBe('Reading a.xyz');
    client.opens[0].onProgress!({ stage: 'indexing', done: 3, total: 10 });
    expect(st().jobs[0].progress).toEqual({ stage: 'indexing', done: 3, total: 10 });
    st().jobs[0].cancel!();
    expect(client.cancelled).toEqual([client.opens[0].job]);
    const f0 = frame(0);
    client.opens[0].resolve({ ok: true, handle: 7, header: header(), frame0: f0 });
    expect(await p).toBe(true);
    expect(st().jobs).toEqual([]);
    expect(st().trajectory?.handle).toBe(7);
    expect(st().trajectory?.sources.map((f) => f.name)).toEqual(['a.xyz']);
    // frame 0 comes with the open reply: nothing to fetch
    expect(st().frame).toBe(f0);
    expect(st().frameShown).toBe(0);
    expect(client.reads).toEqual([]);
    st().setFrameIndex(1);
    expect(client.reads.map((r) => [r.handle, r.i])).toEqual([[7, 1]]);
  });

  it('keeps the previous trajectory when an open fails, and reports file and line', async () => {
    await openToy(1);
    const before = st().trajectory;
    const p = ctl.openFiles([file('bad.xyz')]);
    await flush();
    client.opens[1].resolve({ ok: false, error: { kind: 'FormatError', file: 'bad.xyz', at: { line: 5 }, expected: 'x y z', found: '"1 2"' } });
    expect(await p).toBe(false);
    expect(st().trajectory).toBe(before);
    expect(client.closed).toEqual([]);
    expect(st().errors).toHaveLength(1);
    expect(st().errors[0]).toMatchObject({ file: 'bad.xyz', place: 'line 5' });
  });

  it('closes the previous trajectory once a new one replaces it', async () => {
    await openToy(1);
    await openToy(2);
    expect(client.closed).toEqual([1]);
    expect(st().trajectory?.handle).toBe(2);
  });

  it('keeps one frame request in flight and then asks for the latest index only', async () => {
    await openToy(1);
    st().setFrameIndex(1);
    st().setFrameIndex(2);
    st().setFrameIndex(3);
    expect(client.reads.map((r) => r.i)).toEqual([1]);
    client.reads[0].resolve({ ok: true, frame: frame(1) });
    await flush();
    expect(client.reads.map((r) => r.i)).toEqual([1, 3]);
    client.reads[1].resolve({ ok: true, frame: frame(3) });
    await flush();
    expect(st().frameShown).toBe(3);
    expect(client.reads).toHaveLength(2);
  });

  it('drops a frame that arrives for a trajectory no longer shown', async () => {
    await openToy(1);
    st().setFrameIndex(2);
    await openToy(2);
    const shown = st().frame;
    client.reads[0].resolve({ ok: true, frame: frame(2) }); // handle 1's frame 2
    await flush();
    expect(st().frame).toBe(shown);
    expect(st().frameShown).toBe(0);
    expect(client.reads.map((r) => [r.handle, r.i])).toEqual([[1, 2]]);
  });

  it('reports a frame that fails to decode, stops playing, returns to the frame shown, no retry loop', async () => {
    await openToy(1);
    st().setPlaying(true);
    st().setFrameIndex(2);
    client.reads[0].resolve({ ok: false, error: { kind: 'FormatError', file: 't1.xyz', at: { line: 40 }, expected: '3 atoms', found: '2' } });
    await flush();
    expect(st().playing).toBe(false);
    expect(st().errors).toHaveLength(1);
    expect(st().errors[0].title).toBe('Could not read frame 3 of toy.xyz');
    expect(st().frameShown).toBe(0); // the last good frame stays
    expect(st().frameIndex).toBe(0); // and the counter says so
    await flush();
    expect(client.reads).toHaveLength(1);
    st().setFrameIndex(2); // asking again asks the worker again, once
    expect(client.reads).toHaveLength(2);
  });

  it('rejects a frame with the wrong atom count once instead of asking for it forever', async () => {
    await openToy(1);
    st().setFrameIndex(1);
    client.reads[0].resolve({ ok: true, frame: frame(1, 2) });
    await flush();
    await flush();
    expect(client.reads).toHaveLength(1);
    expect(st().frameShown).toBe(0);
    expect(st().frameIndex).toBe(0);
    expect(st().errors[0].message).toBe('frame 2 has 2 atoms, the trajectory 3');
  });

  it('plays by advancing only once the previous frame is on screen, and wraps around', async () => {
    await openToy(1, 3);
    st().setFps(20);
    st().setPlaying(true);
    expect([...timers.fns.values()].map((t) => t.ms)).toEqual([50]);
    timers.tick();
    expect(st().frameIndex).toBe(1);
    timers.tick(); // frame 1 not decoded yet: no advance
    expect(st().frameIndex).toBe(1);
    client.reads[0].resolve({ ok: true, frame: frame(1) });
    await flush();
    timers.tick();
    expect(st().frameIndex).toBe(2);
    client.reads[1].resolve({ ok: true, frame: frame(2) });
    await flush();
    timers.tick();
    expect(st().frameIndex).toBe(0);
    st().setPlaying(false);
    expect(timers.fns.size).toBe(0);
  });

  it('opens an example fetched from a URL like a dropped file', async () => {
    const p = ctl.openUrl('http://127.0.0.1/examples/e.xyz', 'e.xyz');
    await flush();
    await flush();
    expect(client.opens).toHaveLength(1);
    expect(client.opens[0].files[0].name).toBe('e.xyz');
    expect(await client.opens[0].files[0].text()).toBe('3\n\nH 0 0 0\n');
    client.opens[0].resolve({ ok: true, handle: 3, header: header(), frame0: frame(0) });
    expect(await p).toBe(true);
  });

  it('reports a failed download without touching the trajectory', async () => {
    const c2 = createTrajectoryController(store, client, timers, async () => new Response('nope', { status: 404 }));
    expect(await c2.openUrl('http://127.0.0.1/examples/missing.xyz', 'missing.xyz')).toBe(false);
    c2.dispose();
    expect(st().errors[0]).toMatchObject({ title: 'Could not download missing.xyz' });
    expect(st().errors[0].message).toContain('HTTP 404');
    expect(st().jobs).toEqual([]);
  });
});
