import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/commands/info.ts';
import { sharedPath } from '../helpers/shared.ts';

function capture() {
  const out: string[] = [], err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); });
  return { out, err };
}

afterEach(() => { vi.restoreAllMocks(); });

describe('cli info', () => {
  it('prints format, atoms, frames, species, first cell and time step of a real file', async () => {
    const { out, err } = capture();
    const code = await run([sharedPath('data', 'cu211', 'DynMetSurf_Cu211_AIMD_120atoms_1000frames.extxyz.gz')]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('format:   extended XYZ (extxyz), gzip-compressed');
    expect(text).toContain('atoms:    120');
    expect(text).toContain('frames:   1000');
    expect(text).toContain('species:  Cu 120');
    expect(text).toContain('cell (frame 0): a 10.131151 Å, b 12.408076 Å, c 34.999934 Å, alpha 90°, beta 90°, gamma 90°');
    expect(text).toContain('a = [10.131151, 0, 0]');
    expect(text).toContain('time step: unknown');
  });

  it('pairs a dump with its data file and prints the time step of the bundled example', async () => {
    const { out } = capture();
    const code = await run(['public/examples/cu211_600K_eam.lammpstrj.gz', sharedPath('data', 'cu211', 'DynMetSurf_Cu211_slab_2400atoms.data')]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('cu211_600K_eam.lammpstrj.gz + DynMetSurf_Cu211_slab_2400atoms.data');
    expect(text).toContain('frames:   300');
    expect(text).toContain('species:  Cu 2400');
    expect(text).toContain('time step: 1 ps (500 MD steps between frames)');
    expect(text).toContain('origin = [-30.393516, -10.20405, -10]');
  });

  it('exits non-zero with the FormatError message on a bad file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soaplens-info-'));
    const bad = join(dir, 'bad.xyz');
    writeFileSync(bad, '3\ncomment\nCu 0 0 0\nCu 1 1 x\nCu 2 2 2\n');
    const { out, err } = capture();
    const code = await run([bad]);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toBe('soaplens: bad.xyz (line 4): expected a number (position), found "x"');
  });

  it('--check decodes every frame and reports a bad field in a later frame', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soaplens-info-'));
    const f = join(dir, 'late.xyz');
    writeFileSync(f, '1\na\nCu 0 0 0\n1\nb\nCu 1 1 1\n1\nc\nCu 2 two 2\n');
    let c = capture();
    expect(await run([f])).toBe(0);
    expect(c.out.join('\n')).toContain('frames:   3');
    vi.restoreAllMocks();
    c = capture();
    expect(await run([f, '--check'])).toBe(1);
    expect(c.err.join('\n')).toBe('soaplens: late.xyz (line 9): expected a number (position), found "two"');
  });

  it('--box-file gives a plain XYZ file a cell per frame', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soaplens-info-'));
    const f = join(dir, 'w.xyz'), b = join(dir, 'w.box');
    writeFileSync(f, '1\na\nO 0 0 0\n1\nb\nO 1 1 1\n');
    writeFileSync(b, '32 30 68.6\n32 30 68.7\n');
    const { out } = capture();
    expect(await run([f, '--box-file', b])).toBe(0);
    expect(out.join('\n')).toContain('cell (frame 0): a 32 Å, b 30 Å, c 68.6 Å');
  });

  it('exits 2 with the usage on no files or a bad option', async () => {
    const { err } = capture();
    expect(await run([])).toBe(2);
    expect(await run(['--coords', 'q', 'x.xyz'])).toBe(2);
    expect(err.join('\n')).toContain('usage: soaplens info');
  });
});
