import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/lens.ts';
import { parseIndexList } from '../../src/cli/args.ts';
import { FormatError } from '../../src/core/errors.ts';
import { readNpy } from '../../src/core/io/npy.ts';
import { readSharedJson, readSharedNpy, sharedPath } from '../helpers/shared.ts';

// fixtures/lens/README.md: LENS exact for a float64 implementation; fixtures/savgol: 1e-12 (issue 4).
const TOL_SAVGOL_ABS = 1e-12;

const dir = mkdtempSync(join(tmpdir(), 'soaplens-lens-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cu = () => sharedPath('data', 'generated', 'cu211_600K_eam.lammpstrj.gz');

describe('soaplens lens (CLI)', () => {
  it('writes (centres x frames) LENS and counts equal to fixtures/lens case (a)', async () => {
    const out = join(dir, 'lens.npy'), counts = join(dir, 'n.npy');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await run([cu(), '--cutoff', '6', '--frames', '12', '--centers', '0-49,2399', '--out', out, '--counts', counts]);
    log.mockRestore();
    expect(code).toBe(0);
    const got = readNpy(new Uint8Array(readFileSync(out)));
    const n = readNpy(new Uint8Array(readFileSync(counts)));
    expect(got.shape).toEqual([51, 12]);
    expect(n.shape).toEqual([51, 12]);
    const ref = readSharedNpy('fixtures', 'lens', 'lens_cu211_rc6_100frames_lens_exact.npy');
    const refN = readSharedNpy('fixtures', 'lens', 'lens_cu211_rc6_100frames_n_neighbours_exact.npy');
    const atoms = [...Array.from({ length: 50 }, (_, i) => i), 2399];
    atoms.forEach((a, r) => {
      for (let t = 0; t < 12; t++) {
        expect(got.data[r * 12 + t]).toBe(ref.data[a * 100 + t]);
        expect(n.data[r * 12 + t]).toBe(refN.data[a * 100 + t]);
      }
    });
  });
  it('--smooth 20,2 reproduces the seed paper\'s smoothed, clipped, trimmed LENS (fixtures/savgol)', async () => {
    const fx = readSharedJson<{ input: { atoms: number[] }; filtered_clipped_trimmed: { shape: number[]; data: number[] } }>(
      'fixtures', 'savgol', 'savgol_seed_pipeline_lens_cu211.json');
    const out = join(dir, 'smooth.npy');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await run([cu(), '--cutoff', '6', '--frames', '100', '--centers', fx.input.atoms.join(','), '--smooth', '20,2', '--out', out]);
    log.mockRestore();
    expect(code).toBe(0);
    const got = readNpy(new Uint8Array(readFileSync(out)));
    expect(got.shape).toEqual(fx.filtered_clipped_trimmed.shape);
    let m = 0;
    for (let i = 0; i < got.data.length; i++) m = Math.max(m, Math.abs(got.data[i] - fx.filtered_clipped_trimmed.data[i]));
    expect(m).toBeLessThanOrEqual(TOL_SAVGOL_ABS);
  });
  it('--workers 2 (worker threads, frame chunks) writes the same file as one pass, also with --first and a delay', async () => {
    // The dynsight toy (GRO + XTC, 7 atoms, 201 frames) keeps the threads' file opening cheap.
    const gro = sharedPath('data', 'reference_toy_dynsight', 'balls_7_nvt.gro');
    const xtc = sharedPath('data', 'reference_toy_dynsight', 'balls_7_nvt.xtc');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    for (const conv of ['soapify', 'dynsight']) {
      const one = join(dir, `one-${conv}.npy`), two = join(dir, `two-${conv}.npy`);
      const common = [xtc, gro, '--cutoff', '15', '--first', '3', '--frames', '60', '--delay', '2', '--convention', conv];
      expect(await run([...common, '--out', one])).toBe(0);
      expect(await run([...common, '--workers', '2', '--out', two])).toBe(0);
      expect(Buffer.compare(readFileSync(one), readFileSync(two))).toBe(0);
      const got = readNpy(new Uint8Array(readFileSync(two)));
      expect(got.shape).toEqual([7, conv === 'soapify' ? 60 : 58]);
      let nonzero = 0;
      for (const v of got.data) if (v !== 0) nonzero++;
      expect(nonzero).toBeGreaterThan(0);
    }
    log.mockRestore();
  });
  it('usage errors exit 2; a bad file raises FormatError naming it', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run([cu(), '--out', join(dir, 'x.npy')])).toBe(2); // no --cutoff
    expect(await run([cu(), '--cutoff', '6'])).toBe(2); // no --out
    expect(await run([cu(), '--cutoff', 'six', '--out', join(dir, 'x.npy')])).toBe(2);
    expect(await run([cu(), '--cutoff', '6', '--convention', 'mda', '--out', join(dir, 'x.npy')])).toBe(2);
    err.mockRestore();
    const bad = join(dir, 'bad.lammpstrj');
    writeFileSync(bad, 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n');
    await expect(run([bad, '--cutoff', '6', '--out', join(dir, 'y.npy')])).rejects.toBeInstanceOf(FormatError);
  });
  it('parses index lists and rejects atoms out of range', () => {
    expect(Array.from(parseIndexList('0-3,7, 9-10', 20, '--centers'))).toEqual([0, 1, 2, 3, 7, 9, 10]);
    expect(() => parseIndexList('0-20', 20, '--centers')).toThrow(RangeError);
    expect(() => parseIndexList('a', 20, '--centers')).toThrow(RangeError);
  });
});
