import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { bytesSource } from '../../../src/core/io/source.ts';
import { gunzipSync } from 'node:zlib';
import { sharedLines, sharedSource } from './io-helpers.ts';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../public/examples/cu211_600K_eam.lammpstrj.gz');
// issue 2: "keep it under 10 MB"
const MAX_BYTES = 10 * 1024 * 1024;

describe('bundled example (public/examples)', () => {
  it('its text is the source\'s text plus the element column and UNITS/TIME items (checked without our reader)', () => {
    const ex = new TextDecoder().decode(gunzipSync(readFileSync(EXAMPLE))).split('\n');
    const src = sharedLines('data', 'generated', 'cu211_600K_eam.lammpstrj.gz');
    expect(ex.slice(0, 4)).toEqual(['ITEM: UNITS', 'metal', 'ITEM: TIME', '0']);
    // frame k: source lines [k*2409, (k+1)*2409); example adds 2 TIME lines per frame (+2 UNITS once)
    for (const k of [0, 299]) {
      const e0 = 2 + 2 + k * 2411, s0 = k * 2409;
      expect(ex[e0 - 1]).toBe(String(k)); // ITEM: TIME value in ps (1 ps per frame)
      expect(ex.slice(e0, e0 + 8)).toEqual(src.slice(s0, s0 + 8));
      expect(ex[e0 + 8]).toBe('ITEM: ATOMS id type element x y z');
      for (let a = 0; a < 2400; a++) {
        const w = src[s0 + 9 + a].split(' ');
        if (ex[e0 + 9 + a] !== [w[0], w[1], 'Cu', ...w.slice(2)].join(' ')) throw new Error(`frame ${k} atom ${a}: ${ex[e0 + 9 + a]}`);
      }
    }
    expect(ex.filter((l) => l === 'ITEM: TIMESTEP').length).toBe(300);
  });

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
