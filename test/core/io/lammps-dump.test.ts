import { beforeAll, describe, expect, it } from 'vitest';
import { bunzip2 } from '../../../src/core/io/bzip2.ts';
import { bytesSource } from '../../../src/core/io/source.ts';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { invertCell } from '../../../src/core/geometry/cell.ts';
import type { Trajectory } from '../../../src/core/trajectory.ts';
import { readShared } from '../../helpers/shared.ts';
import { formatErrorOf, openShared, readAll, sharedLines, textSource } from './io-helpers.ts';

const CU = ['data', 'generated', 'cu211_600K_eam.lammpstrj.gz'];
const SPCE = ['data', 'format_tests_mdanalysis', 'spce_all_coords.lammpstrj.bz2'];
// formats.md §13 (LAMMPS dump row): "all four coordinate families agree after wrapping into the
// cell within 1e-3 Å (6 printed digits)".
const FAMILY_TOL = 1e-3;

/** Start line (0-based) of every "ITEM: TIMESTEP" in raw lines. */
function frameStarts(lines: string[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => { if (l === 'ITEM: TIMESTEP') out.push(i); });
  return out;
}

describe('LAMMPS dump: generated Cu(211) 600 K (gz, sorted ids, 500 frames)', () => {
  let t: Trajectory;
  let lines: string[];
  let starts: number[];
  beforeAll(async () => {
    t = await openShared(CU);
    lines = sharedLines(...CU);
    starts = frameStarts(lines);
  });

  it('has 2400 atoms, 500 frames, ids 1..2400, orthogonal periodic box', async () => {
    expect(t.format).toBe('lammps-dump');
    expect(t.nAtoms).toBe(2400);
    expect(t.nFrames).toBe(500);
    expect(starts.length).toBe(500);
    expect(Array.from(t.ids.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(t.ids[2399]).toBe(2400);
    expect(t.pbc).toEqual([true, true, true]);
    expect(t.stepInterval).toBe(500);
    expect(t.types?.[0]).toBe('1');
    const f = await t.readFrame(0);
    // box lines: -3.0393516000000002e+01 3.2926309000000003e+01 etc. (orthogonal: lo/hi are the box)
    const [xlo, xhi] = lines[starts[0] + 5].split(' ').map(Number);
    const [ylo, yhi] = lines[starts[0] + 6].split(' ').map(Number);
    const [zlo, zhi] = lines[starts[0] + 7].split(' ').map(Number);
    expect(Array.from(f.cell!)).toEqual([xhi - xlo, 0, 0, 0, yhi - ylo, 0, 0, 0, zhi - zlo]);
    expect(Array.from(f.origin!)).toEqual([xlo, ylo, zlo]);
    expect(f.step).toBe(0);
  });

  it('positions equal the printed digits of the raw file (frames 0, 137, 499)', async () => {
    for (const frame of [0, 137, 499]) {
      const f = await t.readFrame(frame);
      expect(f.step).toBe(Number(lines[starts[frame] + 1]));
      for (const atom of [0, 1, 899, 1200, 2399]) {
        const w = lines[starts[frame] + 9 + atom].split(' ');
        expect(Number(w[0])).toBe(atom + 1);
        expect(Array.from(f.positions.subarray(3 * atom, 3 * atom + 3))).toEqual([Number(w[2]), Number(w[3]), Number(w[4])]);
      }
    }
  });

  it('pairs with the Cu(211) LAMMPS data file: species from Masses (63.546 -> Cu)', async () => {
    // the first three frames of the dump (uncompressed) with the slab's data file
    const tr = await openTrajectory([
      bytesSource('cu211_600K_eam.lammpstrj', new TextEncoder().encode(lines.slice(0, 3 * 2409).join('\n'))),
      bytesSource('DynMetSurf_Cu211_slab_2400atoms.data', readShared('data', 'cu211', 'DynMetSurf_Cu211_slab_2400atoms.data')),
    ]);
    expect(tr.species.every((s) => s === 'Cu')).toBe(true);
    expect(tr.nFrames).toBe(3);
  });

  it('without a data file the species are unknown ("X") and a note says why; a type map fixes it', async () => {
    expect(t.species[0]).toBe('X');
    expect(t.notes?.join(' ')).toContain('without element');
    const src = bytesSource('a.lammpstrj', new TextEncoder().encode(lines.slice(0, 2409).join('\n')));
    const m = await openTrajectory([src], { typeElements: { '1': 'Cu' } });
    expect(m.species[5]).toBe('Cu');
  });
});

describe('LAMMPS dump: MDAnalysis SPC/E (bz2, unsorted ids, x/xs/xu/xsu)', () => {
  let raw: Uint8Array;
  let lines: string[];
  let starts: number[];
  const open = (c?: 'x' | 'xs' | 'xu' | 'xsu') => openTrajectory([bytesSource('spce_all_coords.lammpstrj', raw)], { lammpsCoordinates: c });
  beforeAll(() => {
    raw = bunzip2(readShared(...SPCE), SPCE[2]);
    lines = new TextDecoder().decode(raw).split('\n');
    starts = frameStarts(lines);
  });

  it('has 4500 atoms and 11 frames; ids are sorted and equal the raw id set', async () => {
    const t = await openShared(SPCE);
    expect(t.nAtoms).toBe(4500);
    expect(t.nFrames).toBe(11);
    expect(t.compression).toBe('bzip2');
    const rawIds = lines.slice(starts[0] + 9, starts[0] + 9 + 4500).map((l) => Number(l.split(' ')[0])).sort((a, b) => a - b);
    expect(Array.from(t.ids)).toEqual(rawIds);
    // the raw rows really are unsorted
    expect(lines[starts[0] + 9].split(' ')[0]).toBe('340');
  });

  it('rows are reordered by id in every frame (checked against the raw rows)', async () => {
    const t = await open('x');
    for (const frame of [0, 5, 10]) {
      const f = await t.readFrame(frame);
      const rows = lines.slice(starts[frame] + 9, starts[frame] + 9 + 4500);
      for (const row of [rows[0], rows[1234], rows[4499]]) {
        const w = row.split(' ');
        const k = t.ids.indexOf(Number(w[0]));
        expect(Array.from(f.positions.subarray(3 * k, 3 * k + 3))).toEqual([Number(w[2]), Number(w[3]), Number(w[4])]);
        expect(f.properties!.xu[k]).toBe(Number(w[8]));
      }
    }
  });

  it('the four coordinate families agree after wrapping (within 1e-3 Å), unwrapped = wrapped + whole box shifts', async () => {
    const fams = ['x', 'xs', 'xu', 'xsu'] as const;
    const trajs = await Promise.all(fams.map((c) => open(c)));
    for (const frame of [0, 10]) {
      const frames = await Promise.all(trajs.map((t) => t.readFrame(frame)));
      const h = frames[0].cell!, o = frames[0].origin!;
      const inv = invertCell(new Float64Array(9), h);
      let worstWrap = 0;
      for (let a = 0; a < 4500; a++) {
        const frac = frames.map((f) => {
          const r = [0, 1, 2].map((d) => f.positions[3 * a + d] - o[d]);
          return [0, 1, 2].map((k) => r[0] * inv[k] + r[1] * inv[3 + k] + r[2] * inv[6 + k]);
        });
        for (let m = 1; m < 4; m++) {
          for (let k = 0; k < 3; k++) {
            const ds = frac[m][k] - frac[0][k];
            const wrapped = Math.abs(ds - Math.round(ds)) * h[4 * k]; // orthogonal box: h[0], h[4], h[8]
            worstWrap = Math.max(worstWrap, wrapped);
          }
        }
      }
      // (for xu/xsu this also says unwrapped - wrapped is a whole number of box vectors)
      expect(worstWrap).toBeLessThan(FAMILY_TOL);
    }
    // the unwrapped family really differs from the wrapped one by whole boxes for some atoms
    const f0 = await trajs[0].readFrame(0), f2 = await trajs[2].readFrame(0);
    let shifted = 0;
    for (let k = 0; k < f0.positions.length; k++) if (Math.abs(f2.positions[k] - f0.positions[k]) > 1) shifted++;
    expect(shifted).toBeGreaterThan(0);
  });
});

describe('LAMMPS dump: boxes and columns (synthetic files, expected values by hand from formats.md §4)', () => {
  // Restricted triclinic box: xlo 0 xhi 10, ylo 0 yhi 8, zlo 0 zhi 6, xy 2 xz -1 yz 0.5.
  // Bounds written by LAMMPS: xlo_bound = xlo + min(0, xy, xz, xy+xz) = -1,
  // xhi_bound = xhi + max(0, xy, xz, xy+xz) = 12, ylo_bound = 0 + min(0, yz) = 0, yhi_bound = 8.5.
  const tric = [
    'ITEM: TIMESTEP', '100', 'ITEM: NUMBER OF ATOMS', '2', 'ITEM: BOX BOUNDS xy xz yz pp pp fm',
    '-1 12 2', '0 8.5 -1', '0 6 0.5', 'ITEM: ATOMS type xs ys zs id q',
    '1 0.5 0.5 0.5 7 -0.8', '2 0 0 0 3 0.4',
    'ITEM: TIMESTEP', '200', 'ITEM: NUMBER OF ATOMS', '2', 'ITEM: BOX BOUNDS xy xz yz pp pp fm',
    '-1 12 2', '0 8.5 -1', '0 6 0.5', 'ITEM: ATOMS type xs ys zs id q',
    '2 1 0 0 3 0.4', '1 0 1 0 7 -0.8', '',
  ].join('\n');

  it('triclinic bounds give the cell rows a, b, c and origin; pbc from the flags', async () => {
    const t = await openTrajectory([textSource('tric.lammpstrj', tric)]);
    expect(t.pbc).toEqual([true, true, false]);
    expect(Array.from(t.ids)).toEqual([3, 7]);
    const f = await t.readFrame(0);
    expect(Array.from(f.cell!)).toEqual([10, 0, 0, 2, 8, 0, -1, 0.5, 6]);
    expect(Array.from(f.origin!)).toEqual([0, 0, 0]);
    // id 7 at s = (0.5, 0.5, 0.5): x = 5 + 0.5*2 + 0.5*(-1) = 5.5, y = 4 + 0.5*0.5 = 4.25, z = 3
    expect(Array.from(f.positions)).toEqual([0, 0, 0, 5.5, 4.25, 3]);
    expect(Array.from(f.properties!.q)).toEqual([0.4, -0.8]);
    expect(f.step).toBe(100);
    const g = await t.readFrame(1);
    // id 3 at s = (1,0,0) -> a = (10,0,0); id 7 at s = (0,1,0) -> b = (2,8,0)
    expect(Array.from(g.positions)).toEqual([10, 0, 0, 2, 8, 0]);
    expect(t.stepInterval).toBe(100);
  });

  it('general triclinic "abc origin" boxes give the rows as written', async () => {
    const text = ['ITEM: TIMESTEP', '0', 'ITEM: NUMBER OF ATOMS', '1', 'ITEM: BOX BOUNDS abc origin pp pp pp',
      '4 0 0 1', '1 3 0 2', '0.5 0.5 5 3', 'ITEM: ATOMS id element xs ys zs', '1 Cu 0.5 0 1'].join('\n');
    const t = await openTrajectory([textSource('g.lammpstrj', text)]);
    const f = await t.readFrame(0);
    expect(Array.from(f.cell!)).toEqual([4, 0, 0, 1, 3, 0, 0.5, 0.5, 5]);
    expect(Array.from(f.origin!)).toEqual([1, 2, 3]);
    // origin + 0.5 a + 1 c = (1 + 2 + 0.5, 2 + 0.5, 3 + 5)
    expect(Array.from(f.positions)).toEqual([3.5, 2.5, 8]);
    expect(t.species).toEqual(['Cu']);
  });

  it('ITEM: UNITS and ITEM: TIME give times in ps (real units: fs)', async () => {
    const frame = (time: number, step: number) => ['ITEM: UNITS', 'real', 'ITEM: TIME', String(time), 'ITEM: TIMESTEP', String(step),
      'ITEM: NUMBER OF ATOMS', '1', 'ITEM: BOX BOUNDS pp pp pp', '0 1', '0 1', '0 1', 'ITEM: ATOMS id type x y z', '1 1 0.1 0.2 0.3'];
    const t = await openTrajectory([textSource('u.lammpstrj', [...frame(0, 0), ...frame(500, 250)].join('\n'))]);
    expect(t.timestep).toBe(0.5);
    expect((await t.readFrame(1)).time).toBe(0.5);
  });
});

describe('LAMMPS dump: unwrapping with image flags and unit overrides', () => {
  const text = ['ITEM: TIMESTEP', '0', 'ITEM: NUMBER OF ATOMS', '2', 'ITEM: BOX BOUNDS xy xz yz pp pp pp',
    '0 10 0', '0 8 0', '0 6 1', 'ITEM: ATOMS id type x y z ix iy iz', '1 1 1 2 3 1 0 -1', '2 1 4 5 6 0 2 0'].join('\n');

  it('unwrapped = wrapped + ix a + iy b + iz c (formats.md §4)', async () => {
    const t = await openTrajectory([textSource('w.lammpstrj', text)], { lammpsUnwrap: true });
    // bounds -> box: yhi = yhi_bound - max(0, yz) = 8 - 1, so rows a = (10,0,0), b = (0,7,0),
    // c = (0,1,6); atom 1 + a - c, atom 2 + 2b
    expect(Array.from((await t.readFrame(0)).positions)).toEqual([1 + 10 - 0, 2 - 1, 3 - 6, 4, 5 + 14, 6]);
    const plain = await openTrajectory([textSource('w.lammpstrj', text)]);
    expect(Array.from((await plain.readFrame(0)).positions)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a units override converts lengths (nano: nm -> Å)', async () => {
    const t = await openTrajectory([textSource('w.lammpstrj', text)], { lammpsUnits: 'nano' });
    const f = await t.readFrame(0);
    expect(Array.from(f.positions)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(Array.from(f.cell!)).toEqual([100, 0, 0, 0, 70, 0, 0, 10, 60]);
  });
});

describe('LAMMPS dump: malformed input', () => {
  const good = ['ITEM: TIMESTEP', '0', 'ITEM: NUMBER OF ATOMS', '2', 'ITEM: BOX BOUNDS pp pp pp', '0 10', '0 10', '0 10',
    'ITEM: ATOMS id type x y z', '1 1 1.0 2.0 3.0', '2 1 4.0 5.0 6.0'];
  const open = (lines: string[]) => openTrajectory([textSource('bad.lammpstrj', lines.join('\n'))]);

  it('truncated file: error at open, naming the line after the end', async () => {
    const e = await formatErrorOf(() => open([...good, ...good.slice(0, 10)]));
    expect(e.file).toBe('bad.lammpstrj');
    expect(e.at.line).toBe(22);
    expect(e.expected).toContain('2 atom rows');
  });

  it('wrong column count: error when the frame is decoded, naming the line', async () => {
    const t = await open([...good, ...good.slice(0, 10), '2 1 4.0 5.0']);
    await t.readFrame(0);
    const e = await formatErrorOf(() => t.readFrame(1));
    expect(e.at.line).toBe(22);
    expect(e.expected).toContain('5 columns');
    expect(e.found).toContain('4 columns');
  });

  it('non-numeric field: names the line and the field', async () => {
    const lines = [...good];
    lines[10] = '2 1 4.0 abc 6.0';
    const e = await formatErrorOf(async () => readAll(await open(lines)));
    expect(e.at.line).toBe(11);
    expect(e.found).toContain('abc');
  });

  it('inconsistent atom count between frames: names the count line', async () => {
    const second = [...good.slice(0, 3), '1', ...good.slice(4, 10)];
    const e = await formatErrorOf(() => open([...good, ...second]));
    expect(e.at.line).toBe(15);
    expect(e.expected).toContain('2 atoms');
  });

  it('a changed id set between frames is an error', async () => {
    const second = [...good.slice(0, 9), '1 1 1.0 2.0 3.0', '5 1 4.0 5.0 6.0'];
    const t = await open([...good, ...second]);
    const e = await formatErrorOf(() => t.readFrame(1));
    expect(e.at.line).toBe(22);
    expect(e.found).toContain('id 5');
  });

  it('missing coordinate columns', async () => {
    const lines = [...good];
    lines[8] = 'ITEM: ATOMS id type vx vy vz';
    const e = await formatErrorOf(() => open(lines));
    expect(e.at.line).toBe(9);
  });

  it('unknown format: a FormatError naming line 1', async () => {
    const e = await formatErrorOf(() => openTrajectory([textSource('notes.txt', 'hello world\nthis is not a trajectory\n')]));
    expect(e.at.line).toBe(1);
    expect(e.expected).toContain('supported trajectory format');
  });
});
