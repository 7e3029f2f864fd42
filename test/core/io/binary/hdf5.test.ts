import { describe, expect, it } from 'vitest';
import type { Dataset, File as H5File } from 'h5wasm';
import { FormatError } from '../../../../src/core/errors.ts';
import { cellParameters } from '../../../../src/core/geometry/cell.ts';
import { loadH5wasm, openH5Source } from '../../../../src/core/io/binary-hdf5.ts';
import { memorySource } from '../../../../src/core/io/binary-io.ts';
import { hdf5Format, readHdf5Trajectory, type ClosableTrajectory } from '../../../../src/core/io/h5md.ts';
import { readSoapifySoap } from '../../../../src/core/io/soapify-hdf5.ts';
import { bytesSource, openTrajectory } from '../../../../src/core/io/index.ts';
import { readData } from './helpers.ts';

// formats.md §13: H5MD "exact (float64)"; SOAPify HDF5 "exact".
const H5MD = ['format_tests_mdanalysis', 'cu.h5md'];
const TWO = ['soapify_hdf5', 'dynsight_2_particles.hdf5'];
const OCTA = ['soapify_hdf5', 'dynsight_octahedron_test.hdf5'];

/** The whole dataset as read by h5wasm itself (the reference for the per-frame hyperslab reads). */
function whole(f: H5File, path: string): Float64Array {
  return Float64Array.from((f.get(path) as Dataset).value as ArrayLike<number | bigint>, Number);
}

describe('H5MD', () => {
  it('cu.h5md: 108 Cu, 20 frames, positions, box 10.83 Å cube, time and step per frame', async () => {
    const u8 = readData(...H5MD);
    expect(hdf5Format.sniff(u8.subarray(0, 64), 'cu.h5md')).toBe(true);
    const h = await openH5Source(memorySource('cu.h5md', u8));
    try {
      const t = readHdf5Trajectory(h.file, 'cu.h5md');
      expect(t.format).toBe('h5md');
      expect(t.nAtoms).toBe(108);
      expect(t.nFrames).toBe(20);
      expect(t.species).toEqual(new Array(108).fill('Cu'));
      expect(t.pbc).toEqual([true, true, true]);
      const all = whole(h.file, 'particles/atoms/position/value');
      const time = whole(h.file, 'particles/atoms/position/time');
      const edges = whole(h.file, 'particles/atoms/box/edges/value');
      for (const i of [0, 7, 19]) {
        const fr = await t.readFrame(i);
        expect(Array.from(fr.positions)).toEqual(Array.from(all.subarray(324 * i, 324 * (i + 1)))); // unit Angstrom: x 1
        expect(Array.from(fr.cell!)).toEqual(Array.from(edges.subarray(9 * i, 9 * i + 9)));
        expect(fr.time).toBe(time[i] * 1e-3); // time unit attribute "fs" -> ps (formats.md §0.2)
        expect(fr.step).toBe(i);
      }
      const c = cellParameters((await t.readFrame(0)).cell!);
      expect(c).toEqual([10.83, 10.83, 10.83, 90, 90, 90]);
    } finally {
      h.close();
    }
  });

  it('H5MD variants (file written here): nm units, fixed-interval time with offset, fixed edges, boundary attribute, string species', async () => {
    const h5 = await loadH5wasm();
    type W = { create_group(n: string): W; create_dataset(a: object): { create_attribute(n: string, v: unknown): void };
      create_attribute(n: string, v: unknown): void; close(): void };
    const WF = (h5 as unknown as { File: new (p: string, m: string) => W }).File;
    const path = '/h5md-written.h5';
    const w = new WF(path, 'w');
    w.create_group('h5md').create_attribute('version', new Int32Array([1, 1]));
    const g = w.create_group('particles').create_group('water');
    const pos = g.create_group('position');
    const xyz = Float64Array.from({ length: 4 * 3 * 3 }, (_, k) => 0.1 * k); // 4 frames, 3 atoms, nm
    pos.create_dataset({ name: 'value', data: xyz, shape: [4, 3, 3] }).create_attribute('unit', 'nm');
    const t = pos.create_dataset({ name: 'time', data: 0.5 });
    t.create_attribute('offset', 10);
    t.create_attribute('unit', 'ps');
    pos.create_dataset({ name: 'step', data: 250 });
    const box = g.create_group('box');
    box.create_attribute('dimension', 3);
    box.create_attribute('boundary', ['periodic', 'periodic', 'none']);
    box.create_dataset({ name: 'edges', data: Float64Array.from([2, 3, 4]) }).create_attribute('unit', 'nm');
    g.create_dataset({ name: 'species', data: ['OW', 'HW1', 'HW2'] });
    w.close();
    const f = new h5.File(path, 'r');
    try {
      const tr = readHdf5Trajectory(f, 'written.h5md');
      expect(tr.nAtoms).toBe(3);
      expect(tr.nFrames).toBe(4);
      expect(tr.species).toEqual(['O', 'H', 'H']);
      expect(tr.pbc).toEqual([true, true, false]);
      const fr = await tr.readFrame(3);
      expect(Array.from(fr.positions)).toEqual(Array.from(xyz.subarray(27, 36), (v) => v * 10));
      expect(Array.from(fr.cell!)).toEqual([20, 0, 0, 0, 30, 0, 0, 0, 40]);
      expect(fr.time).toBe(10 + 3 * 0.5);
      expect(fr.step).toBe(750);
      expect(tr.timestep).toBe(0.5);
    } finally {
      f.close();
    }
  });

  it('openTrajectory on cu.h5md (registry, sniffed by the HDF5 signature)', async () => {
    const t = await openTrajectory([bytesSource('cu.h5md', readData(...H5MD))]) as ClosableTrajectory;
    expect(t.format).toBe('h5md');
    expect(t.nFrames).toBe(20);
    const fr = await t.readFrame(19);
    expect(fr.positions.length).toBe(324);
  });
});

describe('SOAPify HDF5 layout', () => {
  it('dynsight 2-particle file: Types, Trajectory (21, 2, 3), Box a b c alpha beta gamma', async () => {
    const u8 = readData(...TWO);
    const h = await openH5Source(memorySource('two.hdf5', u8));
    try {
      const t = readHdf5Trajectory(h.file, 'two.hdf5');
      expect(t.format).toBe('soapify-hdf5');
      expect(t.nAtoms).toBe(2);
      expect(t.nFrames).toBe(21);
      expect(t.species).toEqual(['Au', 'Au']);
      const all = whole(h.file, 'Trajectories/2_particles/Trajectory');
      const box = whole(h.file, 'Trajectories/2_particles/Box');
      for (let i = 0; i < 21; i += 5) {
        const fr = await t.readFrame(i);
        expect(Array.from(fr.positions)).toEqual(Array.from(all.subarray(6 * i, 6 * i + 6)));
        expect(cellParameters(fr.cell!)).toEqual(Array.from(box.subarray(6 * i, 6 * i + 6)));
      }
    } finally {
      h.close();
    }
  });

  it('the octahedron file has no trajectory: a clear FormatError', async () => {
    const e = await openTrajectory([bytesSource('dynsight_octahedron_test.hdf5', readData(...OCTA))]).catch((x: unknown) => x) as FormatError;
    expect(e).toBeInstanceOf(FormatError);
    expect(e.file).toBe('dynsight_octahedron_test.hdf5');
    expect(e.found).toMatch(/no trajectory/);
    expect(e.found).toMatch(/SOAP_test_1\.75/);
  });

  it('imports precomputed SOAP spectra with their attributes (file written here in the SOAPify layout)', async () => {
    const h5 = await loadH5wasm();
    const W = h5 as unknown as { File: new (p: string, m: string) => H5File & {
      create_group(n: string): { create_dataset(a: object): { create_attribute(n: string, v: unknown): void } };
      create_dataset(a: object): { create_attribute(n: string, v: unknown): void }; close(): void } };
    const path = '/soapify-written.hdf5';
    const w = new W.File(path, 'w');
    const traj = w.create_group('Trajectories').create_group('two') as unknown as { create_dataset(a: object): unknown };
    const pos = Float64Array.from({ length: 3 * 2 * 3 }, (_, k) => k * 0.5);
    traj.create_dataset({ name: 'Trajectory', data: pos, shape: [3, 2, 3] });
    traj.create_dataset({ name: 'Types', data: ['Cu', 'Cu'] });
    traj.create_dataset({ name: 'Box', data: Float64Array.from([10, 11, 12, 90, 90, 120, 10, 11, 12, 90, 90, 120, 10, 11, 12, 90, 90, 120]), shape: [3, 6] });
    const spectra = Float64Array.from({ length: 3 * 2 * 4 }, (_, k) => Math.sqrt(k));
    const ds = w.create_group('SOAP').create_dataset({ name: 'two', data: spectra, shape: [3, 2, 4] });
    ds.create_attribute('SOAPengine', 'dscribe');
    ds.create_attribute('l_max', 8);
    ds.create_attribute('n_max', 8);
    ds.create_attribute('r_cut', 6.0);
    ds.create_attribute('species', ['Cu']);
    ds.create_attribute('species_location_Cu-Cu', new Int32Array([0, 4]));
    w.close();
    const f = new h5.File(path, 'r');
    try {
      const t = readHdf5Trajectory(f, 'written.hdf5');
      expect(t.notes?.join(' ')).toMatch(/precomputed SOAP spectra: two/);
      expect(cellParameters((await t.readFrame(2)).cell!).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([10, 11, 12, 90, 90, 120]);
      const s = readSoapifySoap(f, 'written.hdf5', 'two');
      expect(s.info).toMatchObject({ nFrames: 3, nCentres: 2, width: 4, engine: 'dscribe', lMax: 8, nMax: 8, rCut: 6, species: ['Cu'], dtype: 'float64', sigmaAssumed: 1 });
      expect(s.info.speciesLocation).toEqual({ 'Cu-Cu': [0, 4] });
      expect(Array.from(s.readFrame(1))).toEqual(Array.from(spectra.subarray(8, 16)));
      expect(() => readSoapifySoap(f, 'written.hdf5', 'nope')).toThrow(FormatError);
    } finally {
      f.close();
    }
  });

  it('a file that is not HDF5 at all is a FormatError, not a crash', async () => {
    const junk = new Uint8Array(4096).fill(7);
    junk.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    const e = await openH5Source(memorySource('junk.h5', junk)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FormatError);
  });
});
