/**
 * Mutated HDF5 files (H5MD and SOAPify layouts) through openTrajectory: each opens and reads all
 * its frames, or fails with a FormatError; never another exception, never a hang.
 */
import { describe, expect, it, vi } from 'vitest';
import { FormatError } from '../../../../src/core/errors.ts';
import { bytesSource, openTrajectory } from '../../../../src/core/io/index.ts';
import { mutate, readData, seeded } from './helpers.ts';

// The HDF5 library prints its error stack for every damaged file; h5wasm binds console.error when
// it loads (lazily, on the first HDF5 open), so silencing it here keeps the test log readable.
vi.spyOn(console, 'error').mockImplementation(() => undefined);
vi.spyOn(console, 'warn').mockImplementation(() => undefined);

const CASES = 100;
/** Issue 2/7 fuzz bound per case. */
const PER_CASE_LIMIT_MS = 2000;

describe('HDF5 readers under fuzzing', () => {
  for (const [label, parts, seed] of [['H5MD cu.h5md', ['format_tests_mdanalysis', 'cu.h5md'], 11],
    ['SOAPify 2-particle file', ['soapify_hdf5', 'dynsight_2_particles.hdf5'], 12]] as const) {
    it(`${label}: ${CASES} mutations parse or give FormatError`, async () => {
      const original = readData(...parts);
      const rnd = seeded(seed);
      let ok = 0, bad = 0, slowest = 0;
      for (let k = 0; k < CASES; k++) {
        const u8 = mutate(original, k, rnd);
        const t0 = performance.now();
        let t: Awaited<ReturnType<typeof openTrajectory>> | undefined;
        try {
          t = await openTrajectory([bytesSource('m.h5', u8)]);
          for (let i = 0; i < t.nFrames; i++) await t.readFrame(i);
          ok++;
        } catch (e) {
          if (!(e instanceof FormatError)) throw new Error(`mutation ${k}: ${String(e)} is not a FormatError`);
          bad++;
        } finally {
          (t as { close?: () => void } | undefined)?.close?.(); // release the in-memory HDF5 copy
        }
        slowest = Math.max(slowest, performance.now() - t0);
      }
      expect(ok + bad).toBe(CASES);
      expect(bad).toBeGreaterThan(CASES / 10);
      expect(slowest).toBeLessThan(PER_CASE_LIMIT_MS);
    });
  }
});
