/**
 * Fuzzing (issue 2): for each reader, 1,000 mutated versions of a small snippet of a real file
 * (truncations, flipped bytes, deleted/duplicated/swapped lines, swapped fields, junk tokens),
 * seeded. Every one must either open and decode all its frames, or throw the project's
 * FormatError; any other exception (TypeError, RangeError from a wild allocation...) fails.
 * A hang would hit Vitest's test timeout (house rule: no timing assertions in tests).
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/core/errors.ts';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { bytesSource } from '../../../src/core/io/source.ts';
import { gzipSync } from 'node:zlib';
import { readShared } from '../../helpers/shared.ts';
import { readAll, seededRng, sharedLines } from './io-helpers.ts';

const CASES_PER_READER = 1000;
const JUNK = ['', 'nan', 'NaN', '1e999', '-', 'abc', '99999999999', '-1', '0', '1.5.2', '"', '=', '{', 'T', '*****'];

type Rng = () => number;
const pick = <T>(rng: Rng, a: readonly T[]): T => a[Math.floor(rng() * a.length)];

/** One random mutation of the text; returns the mutated bytes and a description for messages. */
function mutate(text: string, rng: Rng): [Uint8Array, string] {
  const lines = text.split('\n');
  const li = Math.floor(rng() * lines.length);
  const kind = Math.floor(rng() * 8);
  const enc = new TextEncoder();
  switch (kind) {
    case 0: {
      const cut = Math.floor(rng() * text.length);
      return [enc.encode(text.slice(0, cut)), `truncate at ${cut}`];
    }
    case 1: {
      const b = enc.encode(text);
      const n = 1 + Math.floor(rng() * 3);
      for (let k = 0; k < n; k++) b[Math.floor(rng() * b.length)] = Math.floor(rng() * 256);
      return [b, `flip ${n} bytes`];
    }
    case 2: lines.splice(li, 1); return [enc.encode(lines.join('\n')), `delete line ${li + 1}`];
    case 3: lines.splice(li, 0, lines[li]); return [enc.encode(lines.join('\n')), `duplicate line ${li + 1}`];
    case 4: {
      const w = lines[li].split(/(\s+)/);
      const fields = w.map((x, k) => (/\S/.test(x) ? k : -1)).filter((k) => k >= 0);
      if (fields.length >= 2) {
        const a = pick(rng, fields), b = pick(rng, fields);
        [w[a], w[b]] = [w[b], w[a]];
      }
      lines[li] = w.join('');
      return [enc.encode(lines.join('\n')), `swap fields in line ${li + 1}`];
    }
    case 5: {
      const w = lines[li].split(/(\s+)/);
      const fields = w.map((x, k) => (/\S/.test(x) ? k : -1)).filter((k) => k >= 0);
      if (fields.length) w[pick(rng, fields)] = pick(rng, JUNK);
      lines[li] = w.join('');
      return [enc.encode(lines.join('\n')), `junk token in line ${li + 1}`];
    }
    case 6: {
      const lj = Math.floor(rng() * lines.length);
      [lines[li], lines[lj]] = [lines[lj], lines[li]];
      return [enc.encode(lines.join('\n')), `swap lines ${li + 1} and ${lj + 1}`];
    }
    default: {
      const cut = Math.floor(rng() * lines[li].length);
      lines[li] = lines[li].slice(0, cut);
      return [enc.encode(lines.join('\n')), `cut line ${li + 1} at column ${cut}`];
    }
  }
}

async function fuzz(name: string, text: string, seed: number): Promise<{ parsed: number; rejected: number }> {
  // the unmutated snippet must parse, or the fuzz proves nothing
  const t0 = await openTrajectory([bytesSource(name, new TextEncoder().encode(text))]);
  await readAll(t0);
  const rng = seededRng(seed);
  let parsed = 0, rejected = 0;
  for (let k = 0; k < CASES_PER_READER; k++) {
    const [bytes, what] = mutate(text, rng);
    try {
      const t = await openTrajectory([bytesSource(name, bytes)], { cacheBytes: 0 });
      await readAll(t);
      parsed++;
    } catch (e) {
      if (!(e instanceof FormatError)) throw new Error(`case ${k} (${what}) threw ${String(e)}\n${new TextDecoder().decode(bytes)}`);
      expect(e.file).toBe(name);
      rejected++;
    }
  }
  return { parsed, rejected };
}

/** Keeps the first `keep` atom rows of each of the first `frames` frames of a LAMMPS dump. */
function dumpSnippet(lines: string[], frames: number, keep: number): string {
  const out: string[] = [];
  let i = 0;
  for (let f = 0; f < frames; f++) {
    const n = Number(lines[i + 3]);
    out.push(...lines.slice(i, i + 3), String(keep), ...lines.slice(i + 4, i + 9), ...lines.slice(i + 9, i + 9 + keep));
    i += 9 + n;
  }
  return out.join('\n') + '\n';
}

/** First `keep` atoms of the first `frames` frames of an XYZ file. */
function xyzSnippet(lines: string[], frames: number, keep: number): string {
  const out: string[] = [];
  let i = 0;
  for (let f = 0; f < frames; f++) {
    const n = Number(lines[i]);
    out.push(String(keep), lines[i + 1], ...lines.slice(i + 2, i + 2 + keep));
    i += n + 2;
  }
  return out.join('\n') + '\n';
}

describe('fuzz: every mutated input parses or raises FormatError', () => {
  it('LAMMPS dump (SPC/E snippet: 3 frames x 6 atoms, all 14 columns, unsorted ids)', async () => {
    const text = dumpSnippet(sharedLines('data', 'format_tests_mdanalysis', 'spce_all_coords.lammpstrj.bz2'), 3, 6);
    const r = await fuzz('spce.lammpstrj', text, 1);
    expect(r.parsed + r.rejected).toBe(CASES_PER_READER);
    expect(r.rejected).toBeGreaterThan(0);
  });

  it('LAMMPS data (Cu(211) slab snippet: 6 atoms, style full with image flags)', async () => {
    const lines = sharedLines('data', 'cu211', 'DynMetSurf_Cu211_slab_2400atoms.data');
    const atoms = lines.findIndex((l) => l.startsWith('Atoms')) + 2;
    const text = [...lines.slice(0, atoms), ...lines.slice(atoms, atoms + 6), ''].join('\n').replace('2400 atoms', '6 atoms');
    const r = await fuzz('slab.data', text, 2);
    expect(r.parsed + r.rejected).toBe(CASES_PER_READER);
    expect(r.rejected).toBeGreaterThan(0);
  });

  it('extended XYZ (Cu(211) AIMD snippet: 3 frames x 5 atoms)', async () => {
    const text = xyzSnippet(sharedLines('data', 'cu211', 'DynMetSurf_Cu211_AIMD_120atoms_1000frames.extxyz.gz'), 3, 5);
    const r = await fuzz('aimd.extxyz', text, 3);
    expect(r.parsed + r.rejected).toBe(CASES_PER_READER);
    expect(r.rejected).toBeGreaterThan(0);
  });

  it('plain XYZ (Au309 snippet: 3 frames x 5 atoms)', async () => {
    const text = xyzSnippet(sharedLines('data', 'generated', 'au309_ico_200K_gupta.xyz.gz'), 3, 5);
    const r = await fuzz('au.xyz', text, 4);
    expect(r.parsed + r.rejected).toBe(CASES_PER_READER);
    expect(r.rejected).toBeGreaterThan(0);
  });

  it('GRO (ice/water snippet: 2 frames x 8 atoms with velocities)', async () => {
    const lines = sharedLines('data', 'ice_water', 'dynsight_test_coex.gro');
    const frame = [lines[0], '8', ...lines.slice(2, 10), lines[8194]];
    const r = await fuzz('coex.gro', [...frame, ...frame, ''].join('\n'), 5);
    expect(r.parsed + r.rejected).toBe(CASES_PER_READER);
    expect(r.rejected).toBeGreaterThan(0);
  });

  it('PDB (surface snippet: 2 models x 6 atoms, CRYST1)', async () => {
    const lines = sharedLines('data', 'format_tests_mdanalysis', 'surface.pdb.bz2');
    const atoms = lines.filter((l) => l.startsWith('ATOM')).slice(0, 6);
    const cryst = lines.find((l) => l.startsWith('CRYST1'))!;
    const text = [cryst, 'MODEL        1', ...atoms, 'ENDMDL', 'MODEL        2', ...atoms, 'ENDMDL', 'END', ''].join('\n');
    const r = await fuzz('surface.pdb', text, 6);
    expect(r.parsed + r.rejected).toBe(CASES_PER_READER);
    expect(r.rejected).toBeGreaterThan(0);
  });
});

/** Compressed containers: mutated .gz and .bz2 bytes decompress or raise FormatError. */
const COMPRESSED_CASES = 300;

async function fuzzBytes(name: string, bytes: Uint8Array, seed: number): Promise<number> {
  const rng = seededRng(seed);
  let rejected = 0;
  for (let k = 0; k < COMPRESSED_CASES; k++) {
    const b = bytes.slice(0, rng() < 0.3 ? Math.floor(rng() * bytes.length) : bytes.length);
    const flips = rng() < 0.3 ? 0 : 1 + Math.floor(rng() * 4);
    for (let f = 0; f < flips && b.length > 0; f++) b[Math.floor(rng() * b.length)] = Math.floor(rng() * 256);
    try {
      await readAll(await openTrajectory([bytesSource(name, b)], { cacheBytes: 0 }));
    } catch (e) {
      if (!(e instanceof FormatError)) throw new Error(`case ${k} of ${name} threw ${String(e)}`);
      rejected++;
    }
  }
  return rejected;
}

describe('fuzz: mutated compressed files decompress or raise FormatError', () => {
  it('gzip (a GRO snippet) and bzip2 (the surface PDB)', async () => {
    const lines = sharedLines('data', 'ice_water', 'dynsight_test_coex.gro');
    const gro = new TextEncoder().encode([lines[0], '8', ...lines.slice(2, 10), lines[8194], ''].join('\n'));
    expect(await fuzzBytes('coex.gro.gz', new Uint8Array(gzipSync(gro)), 7)).toBeGreaterThan(0);
    expect(await fuzzBytes('surface.pdb.bz2', readShared('data', 'format_tests_mdanalysis', 'surface.pdb.bz2'), 8)).toBeGreaterThan(0);
  });
});
