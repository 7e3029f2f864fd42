import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy, type NpyArray } from '../../src/core/io/npy.ts';

/**
 * Tests read real data and golden fixtures from ../shared (beside the repository). CI has it; a
 * developer without it gets a clear failure naming the missing file, never a silent skip.
 */
export const SHARED = process.env.SOAPLENS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');

export function sharedPath(...parts: string[]): string {
  const p = resolve(SHARED, ...parts);
  if (!existsSync(p)) {
    throw new Error(`missing shared test file ${p}: this test needs the ../shared folder beside the repository ` +
      '(set SOAPLENS_SHARED to its location)');
  }
  return p;
}

export function readShared(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(sharedPath(...parts)));
}

export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as T;
}

export function readSharedNpy(...parts: string[]): NpyArray {
  return readNpy(readShared(...parts), parts.join('/'));
}
