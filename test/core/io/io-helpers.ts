import { gunzipSync } from 'node:zlib';
import { bunzip2 } from '../../../src/core/io/bzip2.ts';
import { bytesSource, type ByteSource } from '../../../src/core/io/source.ts';
import { openTrajectory } from '../../../src/core/io/index.ts';
import type { OpenOptions } from '../../../src/core/io/reader.ts';
import type { Trajectory } from '../../../src/core/trajectory.ts';
import { FormatError } from '../../../src/core/errors.ts';
import { readShared } from '../../helpers/shared.ts';

/** A shared data file as an in-memory source (name = file name). */
export function sharedSource(...parts: string[]): ByteSource {
  return bytesSource(parts[parts.length - 1], readShared(...parts));
}

export function textSource(name: string, text: string): ByteSource {
  return bytesSource(name, new TextEncoder().encode(text));
}

export function openShared(parts: string[], o?: OpenOptions): Promise<Trajectory> {
  return openTrajectory([sharedSource(...parts)], o);
}

/**
 * Lines of a shared file decompressed independently of the code under test where possible
 * (gzip through node:zlib; bzip2 through our decoder, whose output is checked against bzcat's
 * checksum in compression.test.ts).
 */
export function sharedLines(...parts: string[]): string[] {
  const raw = readShared(...parts);
  const name = parts[parts.length - 1];
  const bytes = name.endsWith('.gz') ? new Uint8Array(gunzipSync(raw)) : name.endsWith('.bz2') ? bunzip2(raw) : raw;
  return new TextDecoder().decode(bytes).split('\n');
}

/** Reads every frame (the fuzz and error tests' definition of "parses"). */
export async function readAll(t: Trajectory): Promise<void> {
  for (let i = 0; i < t.nFrames; i++) await t.readFrame(i);
}

/** Runs fn and returns the FormatError it throws (fails the test otherwise). */
export async function formatErrorOf(fn: () => Promise<unknown>): Promise<FormatError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw new Error(`expected a FormatError, got ${String(e)}`);
  }
  throw new Error('expected a FormatError, but it succeeded');
}

/** Seeded PRNG (mulberry32), [0, 1). */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
