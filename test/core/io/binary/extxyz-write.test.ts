import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../../src/core/io/binary-io.ts';
import { DcdFile } from '../../../../src/core/io/dcd.ts';
import { extxyzFrames, writeExtxyz, writeExtxyzFrame, type ExtxyzFrame } from '../../../../src/core/io/extxyz-write.ts';
import { bytesSource, openTrajectory } from '../../../../src/core/io/index.ts';
import { parsePsf } from '../../../../src/core/io/psf.ts';
import { readData } from './helpers.ts';

async function dcdFrames(count: number): Promise<ExtxyzFrame[]> {
  const f = await DcdFile.open(memorySource('tip125_tric_C36.dcd', readData('format_tests_mdanalysis', 'tip125_tric_C36.dcd')));
  const psf = parsePsf(new TextDecoder().decode(readData('format_tests_mdanalysis', 'tip125_tric_C36.psf')), 'tip125_tric_C36.psf');
  const out: ExtxyzFrame[] = [];
  for (let i = 0; i < count; i++) {
    const fr = await f.readFrame(i);
    const cluster = Int32Array.from({ length: 375 }, (_, a) => (a * 7 + i) % 5 - 1); // includes -1 (noise)
    const lens = Float64Array.from({ length: 375 }, (_, a) => Math.sin(a + i) / 3); // full float64 digits
    out.push({ species: psf.species, positions: fr.positions, cell: fr.cell, time: fr.time, info: { frame: i, energy: -1.25e3 + i },
      columns: [{ name: 'cluster', type: 'I', values: cluster }, { name: 'lens', type: 'R', values: lens }] });
  }
  return out;
}

describe('extended XYZ writer', () => {
  it('writes the pipeline.md §12 comment-line dialect', () => {
    const line = writeExtxyzFrame({ species: ['Cu'], positions: [0.5, -1, 2], cell: [1, 0, 0, 0, 2, 0, 0, 0, 3], origin: [0, 0, -10],
      time: 12.5, info: { frame: 25 }, columns: [{ name: 'cluster', type: 'I', values: [3] }, { name: 'pc1', type: 'R', values: [0.25] }] }).split('\n');
    expect(line[0]).toBe('1');
    expect(line[1]).toBe('Lattice="1 0 0 0 2 0 0 0 3" Origin="0 0 -10" pbc="T T T" Time=12.5 frame=25 Properties=species:S:1:pos:R:3:cluster:I:1:pc1:R:1');
    expect(line[2]).toBe('Cu 0.5 -1 2 3 0.25');
    expect(() => writeExtxyzFrame({ species: ['C u'], positions: [0, 0, 0] })).toThrow(RangeError);
    expect(() => writeExtxyzFrame({ species: ['Cu'], positions: [0, 0] })).toThrow(RangeError);
  });

  it('round-trips species, positions, triclinic cell, pbc, time, info and extra columns bit-exactly through the project reader', async () => {
    const frames = await dcdFrames(3);
    const text = writeExtxyz(frames);
    expect([...extxyzFrames(frames)].join('')).toBe(text);
    const t = await openTrajectory([bytesSource('export.extxyz', new TextEncoder().encode(text))]);
    expect(t.nAtoms).toBe(375);
    expect(t.nFrames).toBe(3);
    expect(t.species).toEqual(frames[0].species);
    expect(t.pbc).toEqual([true, true, true]);
    expect(t.propertyNames).toEqual(expect.arrayContaining(['cluster', 'lens']));
    for (let i = 0; i < 3; i++) {
      const fr = await t.readFrame(i);
      expect(Array.from(fr.positions)).toEqual(Array.from(frames[i].positions));
      expect(Array.from(fr.cell!)).toEqual(Array.from(frames[i].cell!));
      expect(fr.time).toBe(frames[i].time);
      expect(Array.from(fr.properties!.cluster)).toEqual(Array.from(frames[i].columns![0].values as Int32Array));
      expect(Array.from(fr.properties!.lens)).toEqual(Array.from(frames[i].columns![1].values as Float64Array));
      expect(fr.info?.energy).toBe(-1250 + i);
    }
  });

  it('writes an atom subset in the given order, and fixed decimals when asked', async () => {
    const [f0] = await dcdFrames(1);
    const text = writeExtxyzFrame({ ...f0, atoms: [3, 4, 5] }, { decimals: 3 });
    const t = await openTrajectory([bytesSource('sub.xyz', new TextEncoder().encode(text))]);
    expect(t.nAtoms).toBe(3);
    expect(t.species).toEqual(['O', 'H', 'H']);
    const fr = await t.readFrame(0);
    for (let k = 0; k < 9; k++) expect(Math.abs(fr.positions[k] - (f0.positions[9 + k] as number))).toBeLessThanOrEqual(0.0005 + 1e-12);
  });
});
