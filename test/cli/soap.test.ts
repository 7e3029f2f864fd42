import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/soap.ts';
import { parseFrameSlice, parseIndexList } from '../../src/cli/args.ts';
import { computeSoap } from '../../src/core/descriptors/soap/soap.ts';
import { openTrajectory } from '../../src/core/io/index.ts';
import { readNpy } from '../../src/core/io/npy.ts';
import { fileSource } from '../../src/cli/node-source.ts';
import { sharedPath } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'soaplens-soap-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// 120-atom Cu(211) DFT-MD frames with Lattice and pbc (data/README.md, cu211/).
const aimd = () => sharedPath('data', 'cu211', 'DynMetSurf_Cu211_AIMD_120atoms_1000frames.extxyz.gz');

async function expectedRows(frames: number[], centres: Int32Array, layout: 'compact' | 'filled'): Promise<Float64Array[]> {
  const src = await fileSource(aimd());
  const traj = await openTrajectory([src]);
  const out: Float64Array[] = [];
  for (const i of frames) {
    const f = await traj.readFrame(i);
    out.push(computeSoap(f.positions, traj.species, f.cell, traj.pbc, { rCut: 4.48, nMax: 4, lMax: 3, species: ['Cu'], layout }, centres));
  }
  await src.close();
  return out;
}

describe('soaplens soap (CLI)', () => {
  for (const workers of ['0', '2']) {
    it(`writes frames x centres x features float64 equal to computeSoap (--workers ${workers})`, async () => {
      const out = join(dir, `s${workers}.npy`);
      const err = vi.spyOn(console, 'error').mockImplementation(() => {});
      const code = await run([aimd(), '--r-cut', '4.48', '--n-max', '4', '--l-max', '3', '--frames', '2:9:3', '--centers', '0-4,100',
        '--layout', 'filled', '--workers', workers, '--out', out]);
      err.mockRestore();
      expect(code).toBe(0);
      const got = readNpy(new Uint8Array(readFileSync(out)));
      expect(got.dtype).toBe('f8');
      expect(got.shape).toEqual([3, 6, 64]);
      const want = await expectedRows([2, 5, 8], new Int32Array([0, 1, 2, 3, 4, 100]), 'filled');
      want.forEach((rows, k) => expect(Array.from(got.data.subarray(k * rows.length, (k + 1) * rows.length))).toEqual(Array.from(rows)));
    }, 60_000);
  }

  it('--f32 writes float32', async () => {
    const out = join(dir, 'f32.npy');
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run([aimd(), '--r-cut', '4.48', '--n-max', '4', '--l-max', '3', '--frames', '0', '--centers', '7', '--f32', '--workers', '1', '--out', out])).toBe(0);
    err.mockRestore();
    const got = readNpy(new Uint8Array(readFileSync(out)));
    expect(got.dtype).toBe('f4');
    expect(got.shape).toEqual([1, 1, 40]);
    const [want] = await expectedRows([0], new Int32Array([7]), 'compact');
    expect(Array.from(got.data)).toEqual(Array.from(Float32Array.from(want)));
  }, 60_000);

  it('bad arguments exit 2 with a message', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run([aimd(), '--r-cut', '6', '--out', join(dir, 'x.npy')])).toBe(2);
    expect(await run([aimd(), '--r-cut', 'abc', '--n-max', '2', '--l-max', '2', '--out', join(dir, 'x.npy')])).toBe(2);
    expect(err.mock.calls.flat().join('\n')).toMatch(/--r-cut needs a number/);
    err.mockRestore();
  });

  it('parses centre lists and frame slices', () => {
    expect(Array.from(parseIndexList('0-3,7', 10, '--centers'))).toEqual([0, 1, 2, 3, 7]);
    expect(() => parseIndexList('0-10', 10, '--centers')).toThrow(RangeError);
    expect(parseFrameSlice('::3', 10)).toEqual([0, 3, 6, 9]);
    expect(parseFrameSlice('-3:', 10)).toEqual([7, 8, 9]);
    expect(parseFrameSlice('4', 10)).toEqual([4]);
    expect(() => parseFrameSlice('0:5:0', 10)).toThrow(RangeError);
  });
});
