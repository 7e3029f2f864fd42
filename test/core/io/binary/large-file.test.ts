/**
 * Issue 7: "a test that opens a generated file larger than 1 GB while the process stays under
 * 300 MB of heap". The file is an XTC generated on the fly by a ByteSource (real frames of the
 * generated ice/water run, repeated with increasing steps), so nothing of that size is ever held:
 * the reader must index it by headers and decode frames on demand.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src/core/errors.ts';
import type { BinarySource } from '../../../../src/core/io/binary-io.ts';
import { memorySource } from '../../../../src/core/io/binary-io.ts';
import { XtcFile } from '../../../../src/core/io/xtc.ts';
import { readData } from './helpers.ts';

const GB = 1 << 30;
/** Issue 7: heap budget while a > 1 GB file is open. */
const HEAP_LIMIT = 300 * 2 ** 20;

function heapNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function hugeXtc() {
  const u8 = readData('generated', 'ice_water_tip4pice_268K_60ps_0.5ps.xtc');
  const real = await XtcFile.open(memorySource('t.xtc', u8));
  // frame 0 of the real run (8192 atoms) repeated, with the step field rewritten to the frame number
  const f0 = u8.slice(real.index.byteStart[0], real.index.byteEnd[0]);
  const len = f0.length;
  const nFrames = Math.ceil((1.1 * GB) / len);
  const size = nFrames * len;
  expect(size).toBeGreaterThan(GB);
  let bytesServed = 0;
  const src: BinarySource = {
    name: 'huge.xtc',
    size,
    async read(start: number, end: number): Promise<Uint8Array> {
      end = Math.min(end, size);
      const out = new Uint8Array(Math.max(0, end - start));
      for (let p = start; p < end;) {
        const k = Math.floor(p / len), off = p - k * len, take = Math.min(len - off, end - p);
        out.set(f0.subarray(off, off + take), p - start);
        // big-endian step (bytes 8..11) = k, so frames are distinguishable
        for (let b = 8; b < 12; b++) if (b >= off && b < off + take) out[p - start + b - off] = (k >>> (8 * (11 - b))) & 0xff;
        p += take;
      }
      bytesServed += out.length;
      return out;
    },
  };
  return { src, nFrames, real, served: () => bytesServed };
}

describe('files larger than memory', () => {
  it('indexes and decodes a 1.1 GB XTC (ByteSource generated on the fly) under 300 MB of heap', async () => {
    const { src, nFrames, real, served } = await hugeXtc();
    const before = heapNow();
    const big = await XtcFile.open(src);
    expect(big.nFrames).toBe(nFrames);
    expect(big.index.step[nFrames - 1]).toBe(nFrames - 1);
    // the index pass read headers only, not the 1.1 GB
    expect(served()).toBeLessThan(nFrames * 200);
    const ref = await real.readFrame(0);
    const out = new Float64Array(3 * 8192);
    for (const i of [0, Math.floor(nFrames / 2), nFrames - 1]) {
      const fr = await big.readFrame(i, out);
      expect(fr.step).toBe(i);
      expect(Array.from(fr.positions.subarray(0, 30))).toEqual(Array.from(ref.positions.subarray(0, 30)));
    }
    expect(heapNow()).toBeLessThan(HEAP_LIMIT);
    expect(heapNow() - before).toBeLessThan(HEAP_LIMIT);
  });

  it('the index pass of the 1.1 GB file reports progress in bytes and can be cancelled', async () => {
    const { src } = await hugeXtc();
    const ac = new AbortController();
    const seen: number[] = [];
    const run = XtcFile.open(src, {
      signal: ac.signal,
      onProgress: (p) => { seen.push(p.done); expect(p.total).toBe(src.size); if (seen.length === 2) ac.abort(); },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[1]).toBeGreaterThan(seen[0]);
    expect(seen[seen.length - 1]).toBeLessThan(src.size);
  });
});
