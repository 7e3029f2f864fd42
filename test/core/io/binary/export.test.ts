import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src/core/errors.ts';
import { memorySource } from '../../../../src/core/io/binary-io.ts';
import { exportExtxyz } from '../../../../src/core/io/extxyz-write.ts';
import { bytesSource, openTrajectory } from '../../../../src/core/io/index.ts';
import { XtcFile } from '../../../../src/core/io/xtc.ts';
import { exportXtc } from '../../../../src/core/io/xtc-write.ts';
import { maxAbsDiff, readData } from './helpers.ts';

// XTC at the default precision 1000/nm: half a quantum is 0.005 Å, plus float32 rounding of nm values.
const XTC_HALF_QUANTUM_A = 0.005 + 1e-5;

async function dcdTrajectory() {
  return openTrajectory([bytesSource('tip125_tric_C36.dcd', readData('format_tests_mdanalysis', 'tip125_tric_C36.dcd')),
    bytesSource('tip125_tric_C36.psf', readData('format_tests_mdanalysis', 'tip125_tric_C36.psf'))]);
}

async function collect<T>(g: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of g) out.push(x);
  return out;
}

describe('exporting loaded frames and atoms', () => {
  const frames = [9, 2, 5];
  const atoms = Array.from({ length: 30 }, (_, k) => 374 - k); // the last 10 waters, reversed

  it('as XTC: selected frames and atoms, cells and times, within the precision', async () => {
    const t = await dcdTrajectory();
    const chunks = await collect(exportXtc(t, { frames, atoms }));
    const bytes = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    let o = 0;
    for (const c of chunks) { bytes.set(c, o); o += c.length; }
    const x = await XtcFile.open(memorySource('export.xtc', bytes));
    expect(x.nFrames).toBe(3);
    expect(x.nAtoms).toBe(30);
    for (let k = 0; k < 3; k++) {
      const src = await t.readFrame(frames[k]);
      const got = await x.readFrame(k);
      const want = atoms.flatMap((a) => [src.positions[3 * a], src.positions[3 * a + 1], src.positions[3 * a + 2]]);
      expect(maxAbsDiff(got.positions, want).max).toBeLessThanOrEqual(XTC_HALF_QUANTUM_A);
      expect(maxAbsDiff(got.cell!, src.cell!).max).toBeLessThanOrEqual(1e-5 * 40); // float32 nm box
      expect(Math.abs(got.time! - src.time!)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('as extended XYZ: exact, with species of the selected atoms, and cancellable', async () => {
    const t = await dcdTrajectory();
    const text = (await collect(exportExtxyz(t, { frames, atoms, info: (i) => ({ frame: i }) }))).join('');
    const back = await openTrajectory([bytesSource('export.extxyz', new TextEncoder().encode(text))]);
    expect(back.nFrames).toBe(3);
    expect(back.species).toEqual(atoms.map((a) => t.species[a]));
    for (let k = 0; k < 3; k++) {
      const src = await t.readFrame(frames[k]);
      const got = await back.readFrame(k);
      const want = atoms.flatMap((a) => [src.positions[3 * a], src.positions[3 * a + 1], src.positions[3 * a + 2]]);
      expect(Array.from(got.positions)).toEqual(want);
      expect(Array.from(got.cell!)).toEqual(Array.from(src.cell!));
      expect(got.info?.frame).toBe(frames[k]);
    }
    const ac = new AbortController();
    ac.abort();
    await expect(collect(exportExtxyz(t, { signal: ac.signal }))).rejects.toBeInstanceOf(CancelledError);
  });
});
