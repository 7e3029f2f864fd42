import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { bytesSource } from '../../../src/core/io/source.ts';
import { sharedSource } from './io-helpers.ts';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../public/examples/cu211_600K_eam.lammpstrj.gz');
// issue 2: "keep it under 10 MB"
const MAX_BYTES = 10 * 1024 * 1024;

describe('bundled example (public/examples)', () => {
  it('is under 10 MB and equals the first 300 frames of the generated Cu(211) dump', async () => {
    expect(statSync(EXAMPLE).size).toBeLessThan(MAX_BYTES);
    const ex = await openTrajectory([bytesSource('cu211_600K_eam.lammpstrj.gz', new Uint8Array(readFileSync(EXAMPLE)))]);
    const src = await openTrajectory([sharedSource('data', 'generated', 'cu211_600K_eam.lammpstrj.gz')]);
    expect(ex.nAtoms).toBe(2400);
    expect(ex.nFrames).toBe(300);
    expect(ex.species.every((s) => s === 'Cu')).toBe(true);
    expect(ex.timestep).toBe(1);
    expect(Array.from(ex.ids)).toEqual(Array.from(src.ids));
    for (const i of [0, 1, 150, 299]) {
      const a = await ex.readFrame(i), b = await src.readFrame(i);
      expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
      expect(Array.from(a.cell!)).toEqual(Array.from(b.cell!));
      expect(a.step).toBe(b.step);
      expect(a.time).toBe(i);
    }
  });
});
