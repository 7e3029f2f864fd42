/**
 * Fuzzing as in issue 2 for the binary readers: for each, >= 1,000 mutated versions of a small real
 * file (truncations, flipped bits, overwritten 32-bit words, deleted and duplicated ranges, see
 * helpers.ts `mutate`). Every one must index and decode all its frames, or throw the project's
 * FormatError with a byte offset (and the frame for errors inside a frame), within the 2 s.
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../../src/core/errors.ts';
import { memorySource } from '../../../../src/core/io/binary-io.ts';
import { DcdFile } from '../../../../src/core/io/dcd.ts';
import { parsePsf } from '../../../../src/core/io/psf.ts';
import { TrrFile } from '../../../../src/core/io/trr.ts';
import { XtcFile } from '../../../../src/core/io/xtc.ts';
import { writeXtc } from '../../../../src/core/io/xtc-write.ts';
import { mutate, readData, seeded } from './helpers.ts';

const CASES = 1000;
/** Issue 7 ("fuzzing as in the foundation issue"): every case parses or fails within 2 s. */
const PER_CASE_LIMIT_MS = 2000;

interface Reader { nFrames: number; readFrame(i: number): Promise<unknown> }

async function fuzz(name: string, original: Uint8Array, open: (u8: Uint8Array) => Promise<Reader>, seed: number, cases = CASES) {
  const rnd = seeded(seed);
  let parsed = 0, rejected = 0, slowest = 0;
  for (let k = 0; k < cases; k++) {
    const u8 = mutate(original, k, rnd);
    const t0 = performance.now();
    try {
      const r = await open(u8);
      for (let i = 0; i < r.nFrames; i++) await r.readFrame(i);
      parsed++;
    } catch (e) {
      if (!(e instanceof FormatError)) throw new Error(`${name} mutation ${k}: ${String(e)} is not a FormatError`);
      expect(e.file).toBe(name);
      expect(typeof e.at.byte === 'number' || e.at.line !== undefined, `${name} mutation ${k}: ${e.message}`).toBe(true);
      expect(e.message).toMatch(/expected .+, found /);
      rejected++;
    }
    slowest = Math.max(slowest, performance.now() - t0);
  }
  expect(parsed + rejected).toBe(cases);
  expect(rejected).toBeGreaterThan(cases / 10); // the mutations do break files
  expect(slowest).toBeLessThan(PER_CASE_LIMIT_MS);
  return { parsed, rejected };
}

describe('binary readers under fuzzing', () => {
  it(`XTC (compressed frames): ${CASES} mutations, and 300 of the 2023-magic variant`, async () => {
    // 3 frames x the first 300 atoms of the real dynsight coexistence XTC, re-encoded (the encoder
    // reproduces GROMACS byte for byte, xtc.test.ts), so the compressed decoder is what gets fuzzed
    const real = await XtcFile.open(memorySource('coex.xtc', readData('ice_water', 'dynsight_test_coex.xtc')));
    const frames = [];
    for (let i = 0; i < 3; i++) {
      const fr = await real.readFrame(i);
      frames.push({ positions: fr.positions.subarray(0, 900), cell: fr.cell, time: fr.time, step: fr.step });
    }
    const small = writeXtc(frames);
    await fuzz('f.xtc', small, (u8) => XtcFile.open(memorySource('f.xtc', u8)), 1);
    // the same frames with the large-system magic (64-bit byte counts)
    const large = writeXtc(frames, { magic: 2023 });
    await fuzz('g.xtc', large, (u8) => XtcFile.open(memorySource('g.xtc', u8)), 5, 300);
  });

  it('XTC (uncompressed <= 9-atom frames, the real 7-ball file): 500 mutations', async () => {
    await fuzz('b.xtc', readData('reference_toy_dynsight', 'balls_7_nvt.xtc'), (u8) => XtcFile.open(memorySource('b.xtc', u8)), 2, 500);
  });

  it(`DCD: ${CASES} mutations of the CHARMM triclinic file`, async () => {
    await fuzz('f.dcd', readData('format_tests_mdanalysis', 'tip125_tric_C36.dcd'), (u8) => DcdFile.open(memorySource('f.dcd', u8)), 3);
  });

  it(`TRR: ${CASES} mutations of surface.trr (three frames)`, async () => {
    const one = readData('format_tests_mdanalysis', 'surface.trr');
    const three = new Uint8Array(3 * one.length);
    for (let k = 0; k < 3; k++) three.set(one, k * one.length);
    await fuzz('f.trr', three, (u8) => TrrFile.open(memorySource('f.trr', u8)), 4);
  });

  it(`PSF topology: ${CASES} mutations of the CHARMM water PSF`, async () => {
    const dec = new TextDecoder();
    await fuzz('f.psf', readData('format_tests_mdanalysis', 'tip125_tric_C36.psf'),
      async (u8) => { parsePsf(dec.decode(u8), 'f.psf'); return { nFrames: 0, readFrame: async () => undefined }; }, 6);
  });
});
