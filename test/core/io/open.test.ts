import { describe, expect, it } from 'vitest';
import { CancelledError, FormatError } from '../../../src/core/errors.ts';
import { groupSources, openTrajectory, sniffFormat } from '../../../src/core/io/index.ts';
import { blobSource, bytesSource, chunkedSource } from '../../../src/core/io/source.ts';
import type { Progress } from '../../../src/core/progress.ts';
import { readShared } from '../../helpers/shared.ts';
import { formatErrorOf, sharedSource, textSource } from './io-helpers.ts';

const DUMP = 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n2 2 4 5 6\n1 1 1 2 3\n';
const DATA = 'title\n\n2 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 15.999\n2 1.008\n\nAtoms # atomic\n\n1 1 0 0 0\n2 2 1 1 1\n';

describe('openTrajectory: sniffing, pairing, grouping', () => {
  it('sniffs by content when the extension is missing or wrong', () => {
    const enc = new TextEncoder();
    expect(sniffFormat(enc.encode(DUMP), 'frames.txt', 'frames.txt').id).toBe('lammps-dump');
    expect(sniffFormat(enc.encode(DATA), 'slab', 'slab').id).toBe('lammps-data');
    expect(sniffFormat(enc.encode('2\nc\nO 0 0 0\nH 1 1 1\n'), 'x.dat', 'x.dat').id).toBe('xyz');
    expect(sniffFormat(enc.encode('t\n1\n    1SOL     OW    1   0.100   0.200   0.300\n1 1 1\n'), 'conf', 'conf').id).toBe('gro');
    expect(sniffFormat(enc.encode('CRYST1   10.000   10.000   10.000  90.00  90.00  90.00 P 1\nATOM      1  O   HOH     1       0.000   0.000   0.000\n'), 'p', 'p').id).toBe('pdb');
  });

  it('pairs a dump with a data file (either order): species from Masses, ids checked', async () => {
    for (const order of [[0, 1], [1, 0]]) {
      const files = [textSource('run.lammpstrj', DUMP), textSource('run.data', DATA)];
      const t = await openTrajectory(order.map((k) => files[k]));
      expect(t.format).toBe('lammps-dump');
      expect(t.species).toEqual(['O', 'H']);
      expect(t.name).toBe('run.lammpstrj + run.data');
      expect(Array.from((await t.readFrame(0)).positions)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('two coordinate files, or more than two files, are a clear FormatError', async () => {
    let e = await formatErrorOf(() => openTrajectory([textSource('a.lammpstrj', DUMP), textSource('b.lammpstrj', DUMP)]));
    expect(e.expected).toContain('one coordinates file and one topology file');
    e = await formatErrorOf(() => openTrajectory([textSource('a', DUMP), textSource('b', DUMP), textSource('c', DUMP)]));
    expect(e.found).toContain('3 files');
  });

  it('an empty file is a FormatError', async () => {
    const e = await formatErrorOf(() => openTrajectory([bytesSource('empty.xyz', new Uint8Array(0))]));
    expect(e.found).toContain('empty');
  });

  it('groupSources pairs coordinates with a topology of the same base name', () => {
    const s = (n: string) => bytesSource(n, new Uint8Array(1));
    const groups = groupSources([s('a.lammpstrj.gz'), s('b.xyz'), s('a.data'), s('c.gro')]).map((g) => g.map((x) => x.name));
    expect(groups).toEqual([['a.lammpstrj.gz', 'a.data'], ['b.xyz'], ['c.gro']]);
    expect(groupSources([s('run.lammpstrj'), s('slab.data')]).map((g) => g.map((x) => x.name))).toEqual([['run.lammpstrj', 'slab.data']]);
  });
});

describe('openTrajectory: progress, cancellation, frame access', () => {
  it('reports progress in bytes up to the size of each stage', async () => {
    const events: Progress[] = [];
    const src = sharedSource('data', 'generated', 'au309_ico_200K_gupta.xyz.gz');
    const t = await openTrajectory([src], { onProgress: (p) => events.push({ ...p }) });
    expect(t.nFrames).toBe(2000);
    const dec = events.filter((p) => p.stage === 'decompressing');
    const idx = events.filter((p) => p.stage === 'indexing');
    expect(dec[dec.length - 1]).toEqual({ stage: 'decompressing', done: src.size, total: src.size });
    expect(idx.length).toBeGreaterThan(0);
    expect(idx[idx.length - 1].done).toBe(idx[idx.length - 1].total);
    for (let k = 1; k < idx.length; k++) expect(idx[k].done).toBeGreaterThanOrEqual(idx[k - 1].done);
  });

  it('aborting the signal rejects with CancelledError', async () => {
    const ac = new AbortController();
    const src = sharedSource('data', 'generated', 'au309_ico_200K_gupta.xyz.gz');
    const p = openTrajectory([src], { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    const pre = new AbortController();
    pre.abort();
    await expect(openTrajectory([textSource('a.lammpstrj', DUMP)], { signal: pre.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('an uncompressed file is indexed chunk by chunk (frame decoded from its byte range)', async () => {
    // Split the Cu(211) data file into 1 kB chunks: reads cross chunk boundaries.
    const bytes = readShared('data', 'cu211', 'DynMetSurf_Cu211_slab_2400atoms.data');
    const chunks: Uint8Array[] = [];
    for (let p = 0; p < bytes.length; p += 1000) chunks.push(bytes.subarray(p, p + 1000));
    const t = await openTrajectory([chunkedSource('slab.data', chunks)]);
    expect(t.nAtoms).toBe(2400);
    const ref = await openTrajectory([bytesSource('slab.data', bytes)]);
    expect(Array.from((await t.readFrame(0)).positions)).toEqual(Array.from((await ref.readFrame(0)).positions));
  });

  it('reads through a Blob (the browser File path)', async () => {
    const t = await openTrajectory([blobSource(new Blob([DUMP]), 'b.lammpstrj')]);
    expect(t.nAtoms).toBe(2);
    expect(t.name).toBe('b.lammpstrj');
  });

  it('readFrame: out-of-range index is a RangeError; cached frames are independent copies', async () => {
    const t = await openTrajectory([textSource('a.lammpstrj', DUMP + DUMP.replace('TIMESTEP\n0', 'TIMESTEP\n10'))]);
    await expect(t.readFrame(2)).rejects.toBeInstanceOf(RangeError);
    await expect(t.readFrame(-1)).rejects.toBeInstanceOf(RangeError);
    const a = await t.readFrame(1);
    a.positions.fill(0);
    const b = await t.readFrame(1);
    expect(Array.from(b.positions)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(b.step).toBe(10);
  });

  it('a FormatError survives structured-clone transport as data', async () => {
    const e = await formatErrorOf(() => openTrajectory([textSource('x.xyz', '3\nc\nO 0 0 0\n')]));
    const back = FormatError.fromData(structuredClone(e.toData()));
    expect(back.message).toBe(e.message);
    expect(back.at.line).toBe(4);
  });
});

describe('binary data read as text', () => {
  it('a 40 MB file without newlines is a FormatError, not an endless line', async () => {
    const junk = new Uint8Array(40 << 20).fill(65); // "AAAA..." (no newline)
    const e = await formatErrorOf(() => openTrajectory([bytesSource('junk.xyz', junk)]));
    expect(e.expected).toContain('text lines shorter than');
    expect(e.at.line).toBe(1);
  });
});
