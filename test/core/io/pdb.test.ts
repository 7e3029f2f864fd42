import { describe, expect, it } from 'vitest';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { formatErrorOf, openShared, readAll, sharedLines, textSource } from './io-helpers.ts';

// Cell vectors from CRYST1 parameters with a along x and b in the xy plane (formats.md §1.1)
// are computed with cos/sin of 60°: agreement to 1e-12 Å is the rounding of those.
const CELL_TOL_DIGITS = 12;

describe('PDB: fcc(111) surface (bz2, CRYST1 hexagonal, formats.md §7)', () => {
  it('100 Ag atoms from the element columns, positions as printed, hexagonal cell', async () => {
    const t = await openShared(['data', 'format_tests_mdanalysis', 'surface.pdb.bz2']);
    const lines = sharedLines('data', 'format_tests_mdanalysis', 'surface.pdb.bz2');
    expect(t.format).toBe('pdb');
    expect(t.nAtoms).toBe(100);
    expect(t.nFrames).toBe(1);
    expect(t.species.every((s) => s === 'Ag')).toBe(true);
    expect(t.pbc).toEqual([true, true, true]);
    const f = await t.readFrame(0);
    // CRYST1 14.460 14.460 27.084 90.00 90.00 60.00:
    // a = (14.46, 0, 0), b = (14.46/2, 14.46*sqrt(3)/2, 0), c = (0, 0, 27.084)
    const want = [14.46, 0, 0, 14.46 / 2, 14.46 * Math.sqrt(3) / 2, 0, 0, 0, 27.084];
    for (let k = 0; k < 9; k++) expect(f.cell![k]).toBeCloseTo(want[k], CELL_TOL_DIGITS);
    const atoms = lines.filter((l) => l.startsWith('ATOM'));
    for (const k of [0, 5, 99]) {
      const l = atoms[k];
      expect(Array.from(f.positions.subarray(3 * k, 3 * k + 3))).toEqual([Number(l.slice(30, 38)), Number(l.slice(38, 46)), Number(l.slice(46, 54))]);
    }
  });
});

describe('PDB: models, per-model CRYST1, names without element column (synthetic)', () => {
  const atom = (serial: number, name: string, res: string, x: number, y: number, z: number) =>
    `ATOM  ${String(serial).padStart(5)} ${name}${' '}${res.padEnd(3)} A   1    ${x.toFixed(3).padStart(8)}${y.toFixed(3).padStart(8)}${z.toFixed(3).padStart(8)}  1.00  0.00`;
  const text = [
    'CRYST1   10.000   10.000   10.000  90.00  90.00  90.00 P 1           1',
    'MODEL        1',
    atom(1, ' OW ', 'SOL', 1, 2, 3),
    atom(2, 'CL  ', 'CL', 4, 5, 6),
    atom(3, ' CA ', 'ALA', 7, 8, 9),
    'ENDMDL',
    'MODEL        2',
    'CRYST1   11.000   12.000   13.000  90.00  90.00  90.00 P 1           1',
    atom(1, ' OW ', 'SOL', 1.5, 2, 3),
    atom(2, 'CL  ', 'CL', 4, 5, 6),
    atom(3, ' CA ', 'ALA', 7, 8, 9.5),
    'ENDMDL',
    'END',
  ];

  it('one frame per MODEL, CRYST1 per model, species from names (cols 13-14)', async () => {
    const t = await openTrajectory([textSource('m.pdb', text.join('\n'))]);
    expect(t.nFrames).toBe(2);
    expect(t.species).toEqual(['O', 'Cl', 'C']);
    const f0 = await t.readFrame(0), f1 = await t.readFrame(1);
    expect(Array.from(f0.cell!)).toEqual([10, 0, 0, 0, 10, 0, 0, 0, 10]);
    expect(Array.from(f1.cell!)).toEqual([11, 0, 0, 0, 12, 0, 0, 0, 13]);
    expect(Array.from(f1.positions)).toEqual([1.5, 2, 3, 4, 5, 6, 7, 8, 9.5]);
  });

  it('a model whose atom names differ from model 1 is a FormatError (atom order)', async () => {
    const b = [...text]; b[8] = atom(1, ' HW ', 'SOL', 1.5, 2, 3);
    const t = await openTrajectory([textSource('o.pdb', b.join('\n'))]);
    const e = await formatErrorOf(() => t.readFrame(1));
    expect(e.at.line).toBe(9);
  });

  it('CRYST1 1 1 1 90 90 90 is a placeholder: no cell', async () => {
    const t = await openTrajectory([textSource('p.pdb', ['CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1', atom(1, ' OW ', 'SOL', 1, 2, 3)].join('\n'))]);
    expect((await t.readFrame(0)).cell).toBeNull();
    expect(t.pbc).toEqual([false, false, false]);
  });

  it('errors: model atom count, missing ENDMDL, short or non-numeric ATOM records', async () => {
    const b1 = [...text]; b1.splice(10, 1);
    let e = await formatErrorOf(() => openTrajectory([textSource('b.pdb', b1.join('\n'))]));
    expect(e.expected).toContain('3 atoms per model');
    e = await formatErrorOf(() => openTrajectory([textSource('b.pdb', text.slice(0, 11).join('\n'))]));
    expect(e.expected).toContain('ENDMDL');
    const b3 = [...text]; b3[3] = b3[3].slice(0, 45);
    e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('b.pdb', b3.join('\n'))])));
    expect(e.at.line).toBe(4);
    const b4 = [...text]; b4[9] = b4[9].slice(0, 32) + 'x' + b4[9].slice(33);
    e = await formatErrorOf(async () => readAll(await openTrajectory([textSource('b.pdb', b4.join('\n'))])));
    expect(e.at.line).toBe(10);
  });
});
