import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createParseApi } from '../../workers/parse-api.ts';
import { blobSource, openTrajectory } from '../../src/core/io/index.ts';
import type { Progress } from '../../src/core/progress.ts';
import { readShared } from '../helpers/shared.ts';

// The parse worker's API run in Node on the real readers (no Worker needed: the worker file only
// exposes this object through comlink).

const ATOMS = 2400;
const HEADER_LINES = 9; // LAMMPS dump: TIMESTEP, step, NUMBER OF ATOMS, n, BOX BOUNDS + 3, ATOMS
const LINES_PER_FRAME = ATOMS + HEADER_LINES;

let lines: string[] | null = null;
/** Lines of our own Cu(211) dump (../shared/data/generated, sorted by id, `id type x y z`). */
function cuLines(): string[] {
  if (!lines) {
    const text = gunzipSync(readShared('data', 'generated', 'cu211_600K_eam.lammpstrj.gz')).toString('latin1');
    lines = text.split('\n', 4 * LINES_PER_FRAME);
  }
  return lines;
}
const cut = (nFrames: number) => cuLines().slice(0, nFrames * LINES_PER_FRAME).join('\n') + '\n';
/** x, y, z of the atom on 0-based line `l`, parsed here independently of the reader. */
const xyzOnLine = (l: number) => cuLines()[l].trim().split(/\s+/).slice(2, 5).map(Number);

function api(now: () => number = () => performance.now()) {
  return createParseApi({ source: (b, name) => blobSource(b, name), open: openTrajectory, now });
}

describe('parse API (worker side)', () => {
  it('opens a gzipped LAMMPS dump from a File and returns its header and decoded frame 0', async () => {
    const file = new File([gzipSync(Buffer.from(cut(3)))], 'cu211_cut.lammpstrj.gz');
    const reports: Progress[] = [];
    // a clock that never advances: only the first report and final ones (done >= total) pass
    const r = await api(() => 0).open(1, [file], (p) => reports.push(p));
    if (!r.ok) throw new Error(`open failed: ${JSON.stringify(r.error)}`);
    expect(r.header).toMatchObject({ name: 'cu211_cut.lammpstrj.gz', format: 'lammps-dump', nAtoms: ATOMS, nFrames: 3 });
    expect(r.header.ids[0]).toBe(1);
    expect(r.header.ids[ATOMS - 1]).toBe(ATOMS);
    expect(typeof (r.header as unknown as { readFrame?: unknown }).readFrame).toBe('undefined');
    // atom id 1 is the first atom line of frame 0; ids 2400 the last
    expect([...r.frame0.positions.subarray(0, 3)]).toEqual(xyzOnLine(HEADER_LINES));
    expect([...r.frame0.positions.subarray(3 * ATOMS - 3)]).toEqual(xyzOnLine(LINES_PER_FRAME - 1));
    expect(r.frame0.cell).not.toBeNull();
    expect(reports.length).toBeGreaterThan(0);
    for (const p of reports.slice(1)) expect(p.done).toBeGreaterThanOrEqual(p.total);
  });

  it('decodes any frame on demand into buffers of its own', async () => {
    const a = api();
    const r = await a.open(1, [new File([cut(3)], 'cu.lammpstrj')]);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const f2 = await a.readFrame(r.handle, 2);
    if (!f2.ok) throw new Error(JSON.stringify(f2.error));
    expect([...f2.frame.positions.subarray(0, 3)]).toEqual(xyzOnLine(2 * LINES_PER_FRAME + HEADER_LINES));
    expect(f2.frame.positions.byteOffset).toBe(0);
    expect(f2.frame.positions.byteLength).toBe(f2.frame.positions.buffer.byteLength);
    const bad = await a.readFrame(r.handle, 3);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'Error', file: 'cu.lammpstrj' } });
    a.close(r.handle);
    expect(await a.readFrame(r.handle, 0)).toMatchObject({ ok: false, error: { kind: 'Error' } });
  });

  it('returns a non-numeric field in frame 0 as plain FormatError data naming file and line', async () => {
    const ls = cut(2).split('\n');
    const line = HEADER_LINES + 6; // 0-based: the 6th atom of frame 0
    ls[line] = ls[line].replace(/\S+$/, 'abc');
    const r = await api().open(1, [new File([ls.join('\n')], 'broken.lammpstrj')]);
    if (r.ok) throw new Error('a file with a non-numeric coordinate opened without error');
    expect(r.error).toMatchObject({ kind: 'FormatError', file: 'broken.lammpstrj', at: { line: line + 1 } });
    // plain data: survives structured clone unchanged
    expect(structuredClone(r.error)).toEqual(r.error);
  });

  it('returns a truncated file as a FormatError', async () => {
    const text = cut(2);
    const r = await api().open(1, [new File([text.slice(0, text.length - 2000)], 'short.lammpstrj')]);
    expect(r).toMatchObject({ ok: false, error: { kind: 'FormatError', file: 'short.lammpstrj' } });
  });

  it('stops an open when cancelled', async () => {
    const a = api();
    const pending = a.open(9, [new File([gzipSync(Buffer.from(cut(4)))], 'big.lammpstrj.gz')]);
    a.cancel(9);
    expect(await pending).toEqual({ ok: false, error: { kind: 'Cancelled', message: 'cancelled' } });
  });

  it('says so when no file is given', async () => {
    expect(await api().open(1, [])).toMatchObject({ ok: false, error: { kind: 'Error', message: 'no file given' } });
  });
});
