/**
 * Test-side helpers for the binary readers: independent parsers of reference files (a GRO read
 * by fixed columns, an .npz unzipped with fflate) that give expected values without using the
 * code under test, and a mutation generator for fuzzing.
 */
import { unzipSync } from 'fflate';
import { readNpy, type NpyArray } from '../../../../src/core/io/npy.ts';
import { readShared } from '../../../helpers/shared.ts';

/** A file of ../shared/data (README there: licences and pitfalls). */
export function readData(...parts: string[]): Uint8Array {
  return readShared('data', ...parts);
}

export interface GroFrame { names: string[]; positionsA: Float64Array; boxA: number[] }

/** Last frame of a GRO file, positions in Å (formats.md §6 columns, default width 8). */
export function readGroLastFrame(...parts: string[]): GroFrame {
  const lines = new TextDecoder().decode(readData(...parts)).split('\n');
  const n = Number(lines[1].trim());
  const frameLines = n + 3;
  const frames = Math.floor(lines.length / frameLines);
  const s = (frames - 1) * frameLines;
  const names: string[] = [];
  const positionsA = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const l = lines[s + 2 + i];
    names.push(l.slice(10, 15).trim());
    for (let k = 0; k < 3; k++) positionsA[3 * i + k] = Number(l.slice(20 + 8 * k, 28 + 8 * k)) * 10;
  }
  const boxA = lines[s + 2 + n].trim().split(/\s+/).map((v) => Number(v) * 10);
  return { names, positionsA, boxA };
}

/** One array of an .npz file (numpy.savez). */
export function readSharedNpz(key: string, ...parts: string[]): NpyArray {
  const files = unzipSync(readData(...parts));
  const entry = files[`${key}.npy`];
  if (!entry) throw new Error(`${parts.join('/')} has no array ${key} (has ${Object.keys(files).join(', ')})`);
  return readNpy(entry, `${parts.join('/')}:${key}`);
}

/** Largest |a[i] - b[i]| over n values, with its index. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, n = Math.min(a.length, b.length)): { max: number; at: number } {
  let max = 0, at = -1;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) { max = d; at = i; }
  }
  return { max, at };
}

/** A small seeded generator (mulberry32) for reproducible fuzzing: the io tests' one. */
export { seededRng as seeded } from '../io-helpers.ts';

/**
 * The k-th mutation of a binary file: truncation, flipped bytes, overwritten 32-bit words
 * (counts and sizes are 32-bit words, so this hits headers hard), deleted or duplicated ranges.
 */
export function mutate(src: Uint8Array, k: number, rnd: () => number): Uint8Array {
  const n = src.length;
  const pick = (m: number) => Math.floor(rnd() * m);
  switch (k % 5) {
    case 0: return src.slice(0, pick(n));
    case 1: {
      const u = src.slice();
      const flips = 1 + pick(8);
      for (let i = 0; i < flips; i++) u[pick(n)] ^= 1 << pick(8);
      return u;
    }
    case 2: {
      const u = src.slice();
      const dv = new DataView(u.buffer);
      const words = [0, 1, -1, 0x7fffffff, -0x80000000, 9, 10, 84, 1995, 2023, pick(1 << 30)];
      const at = 4 * pick(Math.min(n >> 2, rnd() < 0.5 ? 64 : n >> 2));
      if (at + 4 <= n) dv.setInt32(at, words[pick(words.length)], rnd() < 0.5);
      return u;
    }
    case 3: {
      const a = pick(n), len = Math.min(n - a, 1 + pick(64));
      const u = new Uint8Array(n - len);
      u.set(src.subarray(0, a)); u.set(src.subarray(a + len), a);
      return u;
    }
    default: {
      const a = pick(n), len = 1 + pick(64);
      const piece = src.subarray(a, Math.min(n, a + len));
      const u = new Uint8Array(n + piece.length);
      u.set(src.subarray(0, a)); u.set(piece, a); u.set(src.subarray(a), a + piece.length);
      return u;
    }
  }
}
