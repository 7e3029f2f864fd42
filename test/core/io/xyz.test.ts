import { beforeAll, describe, expect, it } from 'vitest';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { parseKeyValues } from '../../../src/core/io/formats/xyz.ts';
import type { Trajectory } from '../../../src/core/trajectory.ts';
import { readBoxFile } from '../../../src/core/io/box-file.ts';
import { formatErrorOf, openShared, readAll, sharedLines, sharedSource, textSource } from './io-helpers.ts';

const AIMD = ['data', 'cu211', 'DynMetSurf_Cu211_AIMD_120atoms_1000frames.extxyz.gz'];
const AU = ['data', 'generated', 'au309_ico_200K_gupta.xyz.gz'];

describe('extended XYZ: Cu(211) DFT-MD (gz, Lattice, pbc, energy)', () => {
  let t: Trajectory;
  let lines: string[];
  beforeAll(async () => {
    t = await openShared(AIMD);
    lines = sharedLines(...AIMD);
  });

  it('has 120 Cu atoms and 1000 frames, periodic', () => {
    expect(t.format).toBe('extxyz');
    expect(t.nAtoms).toBe(120);
    expect(t.nFrames).toBe(1000);
    expect(t.species.every((s) => s === 'Cu')).toBe(true);
    expect(t.pbc).toEqual([true, true, true]);
    expect(Array.from(t.ids.subarray(0, 3))).toEqual([1, 2, 3]);
  });

  it('cell rows, positions and energy are exactly as written (frames 0, 421, 999)', async () => {
    for (const frame of [0, 421, 999]) {
      const f = await t.readFrame(frame);
      const base = frame * 122;
      expect(lines[base]).toBe('120');
      const comment = lines[base + 1];
      const lattice = /Lattice="([^"]+)"/.exec(comment)![1].split(' ').map(Number);
      expect(Array.from(f.cell!)).toEqual(lattice);
      expect(f.info!.energy).toBe(Number(/energy=(\S+)/.exec(comment)![1]));
      expect(f.info!.frame).toBe(frame);
      for (const atom of [0, 57, 119]) {
        const w = lines[base + 2 + atom].trim().split(/\s+/);
        expect(w[0]).toBe('Cu');
        expect(Array.from(f.positions.subarray(3 * atom, 3 * atom + 3))).toEqual(w.slice(1, 4).map(Number));
      }
    }
  });
});

describe('plain XYZ: generated Au309 (gz, 2000 frames)', () => {
  let t: Trajectory;
  let lines: string[];
  beforeAll(async () => {
    t = await openShared(AU);
    lines = sharedLines(...AU);
  });

  it('has 309 Au atoms, 2000 frames, no cell, step from the LAMMPS comment', async () => {
    expect(t.format).toBe('xyz');
    expect(t.nAtoms).toBe(309);
    expect(t.nFrames).toBe(2000);
    expect(t.species.every((s) => s === 'Au')).toBe(true);
    expect(t.pbc).toEqual([false, false, false]);
    const f = await t.readFrame(0);
    expect(f.cell).toBeNull();
    expect(lines[1]).toBe('Atoms. Timestep: 0');
    expect(f.step).toBe(0);
    expect(t.stepInterval).toBe(Number(/Timestep: (\d+)/.exec(lines[311 + 1])![1]));
  });

  it('positions are exactly the printed digits (frames 0, 1000, 1999)', async () => {
    for (const frame of [0, 1000, 1999]) {
      const f = await t.readFrame(frame);
      const base = frame * 311;
      for (const atom of [0, 154, 308]) {
        const w = lines[base + 2 + atom].trim().split(/\s+/);
        expect(Array.from(f.positions.subarray(3 * atom, 3 * atom + 3))).toEqual(w.slice(1, 4).map(Number));
      }
    }
  });
});

describe('extended XYZ dialect (formats.md §2, synthetic)', () => {
  const text = [
    '3',
    'Lattice="5 0 0 0 6 0 1 0 7" Properties=species:S:1:pos:R:3:forces:R:3:tag:I:1:fixed:L:1 pbc="T T F" ' +
      'Origin="1 2 3" Time=0.5 step=10 comment="two words \\" quoted" relaxed energy=-1.5 config={a b}',
    'O 0.0 0.0 0.0 0.1 0.2 0.3 7 T',
    'H 0.9 0.1 -0.2 0 0 0 8 F',
    'Ca 1.5 1.5 1.5 -1 -2 -3 9 F',
    '3',
    'Lattice="5 0 0 0 6 0 1 0 7" Properties=species:S:1:pos:R:3:forces:R:3:tag:I:1:fixed:L:1 pbc="T T F" Time=1.0 step=20',
    'O 0.5 0.0 0.0 0.1 0.2 0.3 7 T',
    'H 0.9 0.1 -0.2 0 0 0 8 F',
    'Ca 1.5 1.5 1.5 -1 -2 -3 9 F',
  ].join('\n');

  it('parses key=value pairs with quotes, escapes, braces and bare keys', () => {
    const kv = parseKeyValues('a=1 b="x y" c={1 2 3} d e="q\\"z"')!;
    expect([...kv]).toEqual([['a', '1'], ['b', 'x y'], ['c', '1 2 3'], ['d', 'T'], ['e', 'q"z']]);
    expect(parseKeyValues('just a title')).toBeNull();
  });

  it('reads Lattice rows, pbc, Origin, Time, step, extra columns and scalars', async () => {
    const t = await openTrajectory([textSource('x.extxyz', text)]);
    expect(t.species).toEqual(['O', 'H', 'Ca']);
    expect(t.pbc).toEqual([true, true, false]);
    expect(t.propertyNames).toEqual(['forces_x', 'forces_y', 'forces_z', 'tag', 'fixed']);
    expect(t.timestep).toBe(0.5);
    expect(t.stepInterval).toBe(10);
    const f = await t.readFrame(0);
    expect(Array.from(f.cell!)).toEqual([5, 0, 0, 0, 6, 0, 1, 0, 7]);
    expect(Array.from(f.origin!)).toEqual([1, 2, 3]);
    expect(f.time).toBe(0.5);
    expect(f.step).toBe(10);
    expect(Array.from(f.properties!.forces_z)).toEqual([0.3, 0, -3]);
    expect(Array.from(f.properties!.tag)).toEqual([7, 8, 9]);
    expect(Array.from(f.properties!.fixed)).toEqual([1, 0, 0]);
    expect(f.info).toEqual({ comment: 'two words " quoted', relaxed: true, energy: -1.5, config: 'a b' });
    expect((await t.readFrame(1)).positions[0]).toBe(0.5);
  });

  it('Z:I:1 gives species from atomic numbers; default Properties is species:S:1:pos:R:3', async () => {
    const t = await openTrajectory([textSource('z.xyz', '2\nProperties=Z:I:1:pos:R:3\n29 0 0 0\n79 1 1 1\n')]);
    expect(t.species).toEqual(['Cu', 'Au']);
    const u = await openTrajectory([textSource('d.xyz', '1\nenergy=2\nAr 0 0 0\n')]);
    expect(u.format).toBe('extxyz');
    expect(u.pbc).toEqual([false, false, false]);
    expect((await u.readFrame(0)).cell).toBeNull();
  });

  it('errors: column count, changed Properties, atom count, non-numeric, truncation', async () => {
    const lines = text.split('\n');
    const bad1 = [...lines]; bad1[3] = 'H 0.9 0.1 -0.2 0 0 0 8';
    let e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('b.xyz', bad1.join('\n'))])));
    expect(e.at.line).toBe(4);
    expect(e.expected).toContain('9 columns');
    const bad2 = [...lines]; bad2[6] = 'Properties=species:S:1:pos:R:3';
    e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('b.xyz', bad2.join('\n'))])));
    expect(e.at.line).toBe(7);
    const bad3 = [...lines]; bad3[5] = '2';
    e = await formatErrorOf(() => openTrajectory([textSource('b.xyz', bad3.join('\n'))]));
    expect(e.at.line).toBe(6);
    expect(e.expected).toContain('3 atoms');
    const bad4 = [...lines]; bad4[8] = 'H 0.9 0.1 x 0 0 0 8 F';
    e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('b.xyz', bad4.join('\n'))])));
    expect(e.at.line).toBe(9);
    expect(e.found).toContain('x');
    e = await formatErrorOf(() => openTrajectory([textSource('b.xyz', lines.slice(0, 9).join('\n'))]));
    expect(e.at.line).toBe(10);
    expect(e.found).toBe('end of file');
  });

  it('"nan" in a real property column reads as NaN (pipeline.md §12 export); not in positions, integers or as other words', async () => {
    const lines = text.split('\n');
    const ok = [...lines]; ok[3] = 'H 0.9 0.1 -0.2 nan NaN -nan 8 F';
    const f = await (await openTrajectory([textSource('n.xyz', ok.join('\n'))])).readFrame(0);
    const nanCount = Object.values(f.properties!).reduce((k, c) => k + Array.from(c).filter(Number.isNaN).length, 0);
    expect(nanCount).toBe(3); // the three force components of atom 1, and nothing else
    expect(f.properties!.tag[1]).toBe(8);
    const badPos = [...lines]; badPos[3] = 'H nan 0.1 -0.2 0 0 0 8 F';
    let e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('p.xyz', badPos.join('\n'))])));
    expect(e.at.line).toBe(4);
    expect(e.expected).toContain('position');
    const badInt = [...lines]; badInt[3] = 'H 0.9 0.1 -0.2 0 0 0 nan F';
    e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('i.xyz', badInt.join('\n'))])));
    expect(e.expected).toContain('an integer');
    const badWord = [...lines]; badWord[3] = 'H 0.9 0.1 -0.2 0 nanx 0 8 F';
    e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('w.xyz', badWord.join('\n'))])));
    expect(e.found).toBe('"nanx"');
  });
});

describe('atom order must not change between frames (formats.md §0.1)', () => {
  it('a frame listing other species (or another order) is a FormatError at its line', async () => {
    const t = await openTrajectory([textSource('o.xyz', '2\na\nO 0 0 0\nH 1 1 1\n2\nb\nH 1 1 1\nO 0 0 0\n')]);
    await t.readFrame(0);
    const e = await formatErrorOf(() => t.readFrame(1));
    expect(e.at.line).toBe(7);
    expect(e.expected).toContain('atom 1 to be "O"');
  });
});

describe('plain XYZ with a user box (formats.md §3)', () => {
  const frames = (n: number) => Array.from({ length: n }, (_, k) => `1\nframe ${k}\nO ${k}.5 0 0`).join('\n') + '\n';

  it('a constant box (lengths or lengths + angles) gives every frame a cell', async () => {
    const t = await openTrajectory([textSource('w.xyz', frames(3))], { box: [10, 11, 12] });
    expect(t.pbc).toEqual([true, true, true]);
    expect(Array.from((await t.readFrame(2)).cell!)).toEqual([10, 0, 0, 0, 11, 0, 0, 0, 12]);
    const u = await openTrajectory([textSource('w.xyz', frames(3))], { box: [10, 10, 10, 90, 90, 90] });
    expect(Array.from((await u.readFrame(0)).cell!)).toEqual([10, 0, 0, 0, 10, 0, 0, 0, 10]);
  });

  it('a per-frame box file (the LENS TIP4P OW.box: 500 lines "32 30 ~68.6")', async () => {
    const boxes = await readBoxFile(sharedSource('data', 'lens_reference_labels', 'LENS_TIP4P_OW.box'));
    const lines = sharedLines('data', 'lens_reference_labels', 'LENS_TIP4P_OW.box');
    expect(boxes.length).toBe(500);
    expect(boxes[1]).toEqual(lines[1].trim().split(/\s+/).map(Number));
    const t = await openTrajectory([textSource('w.xyz', frames(500))], { box: boxes });
    const f = await t.readFrame(499);
    expect(Array.from(f.cell!)).toEqual([boxes[499][0], 0, 0, 0, boxes[499][1], 0, 0, 0, boxes[499][2]]);
    await expect(openTrajectory([textSource('w.xyz', frames(3))], { box: boxes })).rejects.toBeInstanceOf(RangeError);
  });

  it('a malformed box file is a FormatError naming the line', async () => {
    const e = await formatErrorOf(() => readBoxFile(textSource('b.box', '32 30 68\n32 30\n')));
    expect(e.at.line).toBe(2);
  });
});
