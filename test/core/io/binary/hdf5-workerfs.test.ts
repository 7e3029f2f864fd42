/**
 * The browser-worker path of binary-hdf5.ts: a dropped File is mounted read-only with WORKERFS and
 * HDF5 reads slices of it on demand (issue 7: "reading the dropped file in place, no full copy").
 * Node has no worker globals, so this file (its own process) provides the two that Emscripten's
 * WORKERFS uses, before h5wasm loads: WorkerGlobalScope (environment detection) and FileReaderSync
 * (synchronous Blob slices), over a Blob stand-in that counts the bytes it hands out.
 */
import { describe, expect, it } from 'vitest';
import { readData } from './helpers.ts';

class CountingBlob {
  static served = 0;
  constructor(readonly u8: Uint8Array) {}
  get size(): number { return this.u8.length; }
  slice(a: number, b: number): CountingBlob { return new CountingBlob(this.u8.subarray(a, b)); }
}

const g = globalThis as Record<string, unknown>;
g.WorkerGlobalScope = function WorkerGlobalScope() { /* marks a worker for Emscripten */ };
g.FileReaderSync = class {
  readAsArrayBuffer(b: CountingBlob): ArrayBuffer {
    CountingBlob.served += b.u8.length;
    return b.u8.slice().buffer;
  }
};

describe('HDF5 read in place (WORKERFS)', () => {
  it('cu.h5md through a File-like blob: mounted, not copied; a frame reads a fraction of the file', async () => {
    const { openH5Source } = await import('../../../../src/core/io/binary-hdf5.ts');
    const { readHdf5Trajectory } = await import('../../../../src/core/io/h5md.ts');
    const u8 = readData('format_tests_mdanalysis', 'cu.h5md');
    let viaRead = 0;
    const src = {
      name: 'cu.h5md', size: u8.length, blob: new CountingBlob(u8) as unknown as Blob,
      read: async (s: number, e: number) => { viaRead += e - s; return u8.subarray(s, e); },
    };
    const h = await openH5Source(src);
    try {
      expect(h.mode).toBe('workerfs');
      expect(viaRead).toBe(0); // never read through the ByteSource, never copied
      const t = readHdf5Trajectory(h.file, 'cu.h5md');
      expect(t.nFrames).toBe(20);
      const fr = await t.readFrame(5);
      expect(fr.positions.length).toBe(324);
      expect(CountingBlob.served).toBeGreaterThan(0);
      expect(CountingBlob.served).toBeLessThan(u8.length / 2);
      // and the numbers are the file's: the whole dataset read by h5wasm itself, frame 5
      const all = (h.file.get('particles/atoms/position/value') as unknown as { value: Float64Array }).value;
      expect(Array.from(fr.positions)).toEqual(Array.from(all.subarray(5 * 324, 6 * 324)));
    } finally {
      h.close();
    }
  });
});
