import { describe, expect, it } from 'vitest';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { formatErrorOf, openShared, readAll, sharedLines, textSource } from './io-helpers.ts';

/** nm -> Å as the reader applies it (formats.md §0.2). */
const NM = 10;

describe('GRO: ice/water files (formats.md §6)', () => {
  it('dynsight_test_coex.gro: 8192 atoms, O/H and virtual MW sites, box 3.2 x 3.0 x 6.76345 nm', async () => {
    const t = await openShared(['data', 'ice_water', 'dynsight_test_coex.gro']);
    const lines = sharedLines('data', 'ice_water', 'dynsight_test_coex.gro');
    expect(t.format).toBe('gro');
    expect(t.nAtoms).toBe(8192);
    expect(t.nFrames).toBe(1);
    const count = (s: string) => t.species.filter((x) => x === s).length;
    expect([count('O'), count('H'), count('virtual')]).toEqual([2048, 4096, 2048]);
    expect(t.types!.slice(0, 4)).toEqual(['OW', 'HW1', 'HW2', 'MW3']);
    const f = await t.readFrame(0);
    expect(Array.from(f.cell!)).toEqual([3.2 * NM, 0, 0, 0, 3.0 * NM, 0, 0, 0, 6.76345 * NM]);
    expect(lines[8194].trim()).toBe('3.20000   3.00000   6.76345');
    for (const atom of [0, 3, 8191]) {
      const l = lines[2 + atom];
      const want = [20, 28, 36].map((c) => Number(l.slice(c, c + 8)) * NM);
      expect(Array.from(f.positions.subarray(3 * atom, 3 * atom + 3))).toEqual(want);
      expect(f.properties!.vz[atom]).toBe(Number(l.slice(60, 68)) * NM);
    }
  });

  it('dynsight_ice_water_ox.gro: 2048 oxygens', async () => {
    const t = await openShared(['data', 'ice_water', 'dynsight_ice_water_ox.gro']);
    expect(t.nAtoms).toBe(2048);
    expect(t.species.every((s) => s === 'O')).toBe(true);
    const lines = sharedLines('data', 'ice_water', 'dynsight_ice_water_ox.gro');
    const f = await t.readFrame(0);
    const l = lines[2 + 2047];
    expect(f.positions[3 * 2047 + 1]).toBe(Number(l.slice(28, 36)) * NM);
  });
});

describe('GRO: synthetic multi-frame, triclinic box line, other precision', () => {
  // Box line order: v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y) -> rows
  // a = (1, 0, 0), b = (0.5, 2, 0), c = (0.3, 0.4, 3) nm = (10,0,0), (5,20,0), (3,4,30) Å.
  const frame = (t: number, step: number, x: string) => [
    `Water t=  ${t.toFixed(5)} step= ${step}`,
    '    2',
    `    1SOL     OW    1${x}   0.200   0.300  0.1000 -0.2000  0.3000`,
    '    1SOL    HW1    2   0.150   0.250   0.350  0.0000  0.0000  0.0000',
    '   1.00000   2.00000   3.00000   0.00000   0.00000   0.50000   0.00000   0.30000   0.40000',
  ];
  const text = [...frame(10, 5000, '   0.100'), ...frame(12, 6000, '   0.111'), ''].join('\n');

  it('reads the triclinic box rows, time and step from the title, velocities', async () => {
    const t = await openTrajectory([textSource('w.gro', text)]);
    expect(t.nFrames).toBe(2);
    expect(t.species).toEqual(['O', 'H']);
    expect(t.timestep).toBe(2);
    expect(t.stepInterval).toBe(1000);
    const f = await t.readFrame(1);
    expect(Array.from(f.cell!)).toEqual([10, 0, 0, 5, 20, 0, 3, 4, 30]);
    expect(f.time).toBe(12);
    expect(f.step).toBe(6000);
    expect(Array.from(f.positions.subarray(0, 3))).toEqual([0.111 * NM, 0.2 * NM, 0.3 * NM]);
    expect(f.properties!.vy[0]).toBe(-0.2 * NM);
  });

  it('field width follows the decimal points (%10.5f), fields may touch', async () => {
    const hp = ['hp', '1', '    1SOL     OW    1   1.23456-123.456781234.56789', '   1.0   1.0   1.0'].join('\n');
    const t = await openTrajectory([textSource('hp.gro', hp)]);
    expect(Array.from((await t.readFrame(0)).positions)).toEqual([1.23456 * NM, -123.45678 * NM, 1234.56789 * NM]);
  });

  it('a frame whose atom names differ from frame 0 is a FormatError (atom order)', async () => {
    const lines = text.split('\n');
    lines[8] = lines[8].replace('HW1', 'OW ');
    const t = await openTrajectory([textSource('o.gro', lines.join('\n'))]);
    const e = await formatErrorOf(() => t.readFrame(1));
    expect(e.at.line).toBe(9);
    expect(e.found).toBe('"OW"');
  });

  it('an all-zero box means no cell', async () => {
    const t = await openTrajectory([textSource('z.gro', 'z\n1\n    1SOL     OW    1   0.100   0.200   0.300\n0 0 0\n')]);
    expect((await t.readFrame(0)).cell).toBeNull();
    expect(t.pbc).toEqual([false, false, false]);
  });

  it('errors: short atom line, bad box line, atom count change, truncation', async () => {
    const lines = text.split('\n');
    const b1 = [...lines]; b1[8] = '    1SOL    HW1    2   0.150   0.250';
    let e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('b.gro', b1.join('\n'))])));
    expect(e.at.line).toBe(9);
    const b2 = [...lines]; b2[4] = '1.0 2.0 3.0 4.0';
    e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('b.gro', b2.join('\n'))])));
    expect(e.at.line).toBe(5);
    expect(e.expected).toContain('3 or 9 numbers');
    const b3 = [...lines]; b3[6] = '    3';
    e = await formatErrorOf(() => openTrajectory([textSource('b.gro', b3.join('\n'))]));
    expect(e.at.line).toBe(7);
    e = await formatErrorOf(() => openTrajectory([textSource('b.gro', lines.slice(0, 8).join('\n'))]));
    expect(e.found).toBe('end of file');
    const b4 = [...lines]; b4[2] = b4[2].replace('0.100', '0.1x0');
    e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('b.gro', b4.join('\n'))])));
    expect(e.at.line).toBe(3);
  });
});
