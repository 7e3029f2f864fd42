import { beforeAll, describe, expect, it } from 'vitest';
import { openTrajectory } from '../../../src/core/io/index.ts';
import type { Trajectory } from '../../../src/core/trajectory.ts';
import { formatErrorOf, openShared, sharedLines, textSource } from './io-helpers.ts';

const SLAB = ['data', 'cu211', 'DynMetSurf_Cu211_slab_2400atoms.data'];
// formats.md §5 check: box x [-30.393516, 32.926309], y [-10.20405, 14.61215], z [-10, 28].
const BOX = [[-30.393516, 32.926309], [-10.20405, 14.61215], [-10, 28]];
// formats.md §13: "900 atoms with z - zlo > 12 Å in the slab".
const TOP_ATOMS = 900;
const TOP_Z = 12;

describe('LAMMPS data: Cu(211) slab (atom_style full, image flags)', () => {
  let t: Trajectory;
  let lines: string[];
  beforeAll(async () => {
    t = await openShared(SLAB);
    lines = sharedLines(...SLAB);
  });

  it('has 2400 Cu atoms (Masses 63.546 -> Cu), one frame, the box of the header', async () => {
    expect(t.format).toBe('lammps-data');
    expect(t.nAtoms).toBe(2400);
    expect(t.nFrames).toBe(1);
    expect(t.species.every((s) => s === 'Cu')).toBe(true);
    expect(Array.from(t.ids.subarray(0, 2))).toEqual([1, 2]);
    expect(t.ids[2399]).toBe(2400);
    const f = await t.readFrame(0);
    expect(Array.from(f.origin!)).toEqual([BOX[0][0], BOX[1][0], BOX[2][0]]);
    expect(Array.from(f.cell!)).toEqual([BOX[0][1] - BOX[0][0], 0, 0, 0, BOX[1][1] - BOX[1][0], 0, 0, 0, BOX[2][1] - BOX[2][0]]);
    expect(t.propertyNames).toEqual(['mol', 'q', 'ix', 'iy', 'iz']);
    expect(f.properties!.ix[1]).toBe(-1);
  });

  it('positions are exactly the printed digits', async () => {
    const f = await t.readFrame(0);
    const first = lines.findIndex((l) => l.startsWith('Atoms')) + 2;
    for (const row of [0, 1, 1337, 2399]) {
      const w = lines[first + row].split(' ');
      const k = Number(w[0]) - 1;
      expect(Array.from(f.positions.subarray(3 * k, 3 * k + 3))).toEqual([Number(w[4]), Number(w[5]), Number(w[6])]);
    }
  });

  it('has 900 atoms with z - zlo > 12 Å (the paper\'s top-layer mask)', async () => {
    const f = await t.readFrame(0);
    let n = 0;
    for (let k = 0; k < t.nAtoms; k++) if (f.positions[3 * k + 2] - f.origin![2] > TOP_Z) n++;
    expect(n).toBe(TOP_ATOMS);
  });

  it('frames are copies: mutating one does not change the next read', async () => {
    const a = await t.readFrame(0);
    a.positions[0] = 1e9;
    expect((await t.readFrame(0)).positions[0]).not.toBe(1e9);
  });
});

describe('LAMMPS data: styles, triclinic header, unsorted ids (synthetic)', () => {
  const atomic = [
    'LAMMPS data file: two species', '',
    '3 atoms', '2 atom types', '',
    '0.0 10.0 xlo xhi', '-1.0 7.0 ylo yhi', '2.0 8.0 zlo zhi', '1.5 -0.5 0.25 xy xz yz', '',
    'Masses', '', '1 196.97', '2 12.0 # C', '',
    'Atoms # atomic', '',
    '30 1 1.0 2.0 3.0', '10 2 4.0 5.0 6.0', '20 1 7.0 8.0 9.0', '',
    'Velocities', '', '30 0 0 0', '10 0 0 0', '20 0 0 0', '',
  ].join('\n');

  it('sorts by id, maps Masses to elements, builds the triclinic cell', async () => {
    const t = await openTrajectory([textSource('two.data', atomic)]);
    expect(Array.from(t.ids)).toEqual([10, 20, 30]);
    expect(t.species).toEqual(['C', 'Au', 'Au']);
    expect(t.types).toEqual(['2', '1', '1']);
    const f = await t.readFrame(0);
    expect(Array.from(f.positions)).toEqual([4, 5, 6, 7, 8, 9, 1, 2, 3]);
    expect(Array.from(f.cell!)).toEqual([10, 0, 0, 1.5, 8, 0, -0.5, 0.25, 6]);
    expect(Array.from(f.origin!)).toEqual([0, -1, 2]);
  });

  it('charge style needs its hint; 6 columns without one is ambiguous', async () => {
    const charge = atomic.replace('Atoms # atomic', 'Atoms # charge')
      .replace('30 1 1.0 2.0 3.0', '30 1 0.5 1.0 2.0 3.0').replace('10 2 4.0 5.0 6.0', '10 2 -0.5 4.0 5.0 6.0')
      .replace('20 1 7.0 8.0 9.0', '20 1 0 7.0 8.0 9.0');
    const t = await openTrajectory([textSource('c.data', charge)]);
    expect(Array.from((await t.readFrame(0)).properties!.q)).toEqual([-0.5, 0, 0.5]);
    const e = await formatErrorOf(() => openTrajectory([textSource('c.data', charge.replace('Atoms # charge', 'Atoms'))]));
    expect(e.at.line).toBe(16);
    expect(e.expected).toContain('atom style hint');
    const u = await openTrajectory([textSource('c.data', charge.replace('Atoms # charge', 'Atoms'))], { lammpsAtomStyle: 'charge' });
    expect(Array.from((await u.readFrame(0)).properties!.q)).toEqual([-0.5, 0, 0.5]);
  });

  it('errors: wrong column count, missing rows, non-numeric, no Atoms section', async () => {
    let e = await formatErrorOf(() => openTrajectory([textSource('e.data', atomic.replace('10 2 4.0 5.0 6.0', '10 2 4.0 5.0'))]));
    expect(e.at.line).toBe(19);
    expect(e.expected).toContain('5 columns');
    e = await formatErrorOf(() => openTrajectory([textSource('e.data', atomic.replace('20 1 7.0 8.0 9.0\n', ''))]));
    expect(e.expected).toContain('3 rows in section Atoms');
    e = await formatErrorOf(() => openTrajectory([textSource('e.data', atomic.replace('10 2 4.0 5.0 6.0', '10 2 4.0 five 6.0'))]));
    expect(e.at.line).toBe(19);
    expect(e.found).toContain('five');
    e = await formatErrorOf(() => openTrajectory([textSource('e.data', atomic.split('Atoms')[0])]));
    expect(e.expected).toContain('Atoms section');
  });
});
