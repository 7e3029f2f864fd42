import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../../src/core/errors.ts';
import { bytesSource, openTrajectory } from '../../../../src/core/io/index.ts';
import { maxAbsDiff, readData, readGroLastFrame } from './helpers.ts';

// formats.md §13 XTC + GRO row: positions within 1e-4 Å of the reference decode.
const TOL_POS_A = 1e-4;

const src = (...parts: string[]) => bytesSource(parts[parts.length - 1], readData(...parts));

describe('openTrajectory with binary coordinates and a topology', () => {
  it('XTC + GRO (either order): species and names from the GRO, frames from the XTC', async () => {
    const xtc = src('reference_toy_dynsight', 'balls_7_nvt.xtc');
    const gro = src('reference_toy_dynsight', 'balls_7_nvt.gro');
    for (const pair of [[xtc, gro], [gro, xtc]]) {
      const t = await openTrajectory(pair);
      expect(t.format).toBe('xtc');
      expect(t.nAtoms).toBe(7);
      expect(t.nFrames).toBe(201);
      expect(t.types).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
      expect(t.species).toEqual(new Array(7).fill('C'));
      expect(t.timestep).toBeCloseTo(0.5, 6);
      const last = await t.readFrame(200);
      const ref = readGroLastFrame('reference_toy_dynsight', 'balls_7_nvt.gro');
      expect(maxAbsDiff(last.positions, ref.positionsA).max).toBeLessThanOrEqual(0.0005 * 10 + 1e-5);
    }
  });

  it('generated 8192-atom XTC + its GRO: water species (OW -> O, MW -> virtual), final frame', async () => {
    const t = await openTrajectory([src('generated', 'ice_water_tip4pice_268K_60ps_0.5ps.xtc'), src('generated', 'ice_water_tip4pice_268K_topology.gro')]);
    expect(t.nFrames).toBe(121);
    expect(t.species.slice(0, 4)).toEqual(['O', 'H', 'H', 'virtual']);
    const fr = await t.readFrame(120);
    const ref = readGroLastFrame('generated', 'ice_water_tip4pice_268K_topology.gro');
    let within = 0;
    for (let k = 0; k < fr.positions.length; k++) if (Math.abs(fr.positions[k] - ref.positionsA[k]) <= TOL_POS_A) within++;
    expect(within).toBeGreaterThanOrEqual(fr.positions.length - 3); // see xtc.test.ts: GRO vs XTC rounding
  });

  it('DCD + PSF and TRR + PDB (bz2)', async () => {
    const d = await openTrajectory([src('format_tests_mdanalysis', 'tip125_tric_C36.dcd'), src('format_tests_mdanalysis', 'tip125_tric_C36.psf')]);
    expect(d.format).toBe('dcd');
    expect(d.nAtoms).toBe(375);
    expect(d.nFrames).toBe(10);
    expect(d.species.slice(0, 3)).toEqual(['O', 'H', 'H']);
    expect(d.pbc).toEqual([true, true, true]);
    const t = await openTrajectory([src('format_tests_mdanalysis', 'surface.trr'), src('format_tests_mdanalysis', 'surface.pdb.bz2')]);
    expect(t.format).toBe('trr');
    expect(t.nAtoms).toBe(100);
    expect(t.species.every((s) => s === 'Ag')).toBe(true);
  });

  it('an XTC alone opens with unknown species and says so; a topology with another atom count is refused', async () => {
    const t = await openTrajectory([src('reference_toy_dynsight', 'balls_7_nvt.xtc')]);
    expect(t.species).toEqual(new Array(7).fill('X'));
    expect(t.notes?.join(' ')).toMatch(/topology/);
    const e = await openTrajectory([src('ice_water', 'dynsight_test_coex.xtc'), src('reference_toy_dynsight', 'balls_7_nvt.gro')])
      .catch((x: unknown) => x) as FormatError;
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/8192 atoms/);
  });
});
