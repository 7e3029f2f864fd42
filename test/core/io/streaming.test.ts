/**
 * Streaming (issue 2: "a 2 GB text dump does not need 2 GB of memory"): on a virtual 64 MB
 * LAMMPS dump generated on the fly, indexing reads the source once, front to back, in bounded
 * chunks, and decoding frame i reads exactly that frame's byte range. Nothing else is read, so
 * memory is bounded by the chunk size, the index and the frame cache, not by the file size.
 */
import { describe, expect, it } from 'vitest';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { CHUNK_BYTES } from '../../../src/core/io/text.ts';
import { HEAD_BYTES } from '../../../src/core/io/reader.ts';
import type { ByteSource } from '../../../src/core/io/source.ts';

const N = 1000;
const FRAMES = 1800;

/** Frame k of a dump whose every frame has the same byte length (fixed-width fields). */
function frameText(k: number): string {
  const rows: string[] = [];
  for (let a = 0; a < N; a++) {
    const x = ((a * 7 + k) % 1000) / 100;
    rows.push(`${String(a + 1).padStart(6)} 1 ${x.toFixed(3).padStart(8)} ${(a / 100).toFixed(3).padStart(8)} ${(k / 1000).toFixed(3).padStart(8)}`);
  }
  return ['ITEM: TIMESTEP', String(k * 100).padStart(10), 'ITEM: NUMBER OF ATOMS', String(N),
    'ITEM: BOX BOUNDS pp pp pp', '0 10', '0 10', '0 10', 'ITEM: ATOMS id type x y z', ...rows, ''].join('\n');
}

function virtualDump(): ByteSource & { reads: [number, number][] } {
  const enc = new TextEncoder();
  const frameBytes = enc.encode(frameText(0)).length;
  const reads: [number, number][] = [];
  return {
    name: 'virtual.lammpstrj',
    size: frameBytes * FRAMES,
    reads,
    read(start: number, end: number): Promise<Uint8Array> {
      reads.push([start, end]);
      const out = new Uint8Array(end - start);
      let pos = start;
      while (pos < end) {
        const k = Math.floor(pos / frameBytes);
        const f = enc.encode(frameText(k));
        const from = pos - k * frameBytes;
        const take = Math.min(frameBytes - from, end - pos);
        out.set(f.subarray(from, from + take), pos - start);
        pos += take;
      }
      return Promise.resolve(out);
    },
  };
}

describe('streaming index and on-demand decode', () => {
  it('indexes a 64 MB dump in one sequential pass of bounded reads; frames read only their bytes', async () => {
    const src = virtualDump();
    expect(src.size).toBeGreaterThan(64e6);
    const t = await openTrajectory([src], { cacheBytes: 0 });
    expect(t.nFrames).toBe(FRAMES);
    const indexReads = src.reads.splice(0);
    // the sniffer's head, then one pass: consecutive, non-overlapping, each at most one chunk, covering the file once
    // (frame 0 is then decoded once more for ids and species)
    expect(indexReads.shift()).toEqual([0, HEAD_BYTES]);
    let pos = 0, covered = 0;
    for (const [s, e] of indexReads) {
      expect(e - s).toBeLessThanOrEqual(CHUNK_BYTES);
      if (s === pos) { pos = e; covered += e - s; }
    }
    expect(covered).toBe(src.size);
    expect(indexReads.length).toBeLessThanOrEqual(Math.ceil(src.size / CHUNK_BYTES) + 1);
    const frameBytes = src.size / FRAMES;
    const f = await t.readFrame(1234);
    expect(src.reads).toEqual([[1234 * frameBytes, 1235 * frameBytes]]);
    expect(f.step).toBe(123400);
    expect(f.positions[3 * 10]).toBe(((10 * 7 + 1234) % 1000) / 100);
  });
});
