import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { gzipSync as nodeGzip } from 'node:zlib';
import { Bzip2Decoder, bunzip2 } from '../../../src/core/io/bzip2.ts';
import { decompressedSource, detectCompression } from '../../../src/core/io/compression.ts';
import { bytesSource } from '../../../src/core/io/source.ts';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { FormatError } from '../../../src/core/errors.ts';
import { readShared } from '../../helpers/shared.ts';
import { formatErrorOf, seededRng } from './io-helpers.ts';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

// Reference checksums and sizes of the decompressed streams, from `bzcat <file> | md5sum` and
// `bzcat <file> | wc -c` (bzip2 1.0.8) on ../shared/data/format_tests_mdanalysis.
const BZ2_REFERENCE: [string, number, string][] = [
  ['surface.pdb.bz2', 8178, '8e5d548443d93739e4fb64e6669fbfb0'],
  ['spce_all_coords.lammpstrj.bz2', 5381346, '8a2c733357b1c3a1cb7d251be9f9b931'],
];

async function all(src: ReturnType<typeof bytesSource>): Promise<Uint8Array> {
  return src.read(0, src.size);
}

describe('bzip2 (formats.md §0.4: byte-identical decompressed stream)', () => {
  for (const [file, size, sum] of BZ2_REFERENCE) {
    it(`${file} decompresses to bzcat's bytes`, () => {
      const out = bunzip2(readShared('data', 'format_tests_mdanalysis', file), file);
      expect(out.length).toBe(size);
      expect(md5(out)).toBe(sum);
    });
  }

  it('multi-stream: two concatenated streams give both outputs in order', async () => {
    const one = readShared('data', 'format_tests_mdanalysis', 'surface.pdb.bz2');
    const two = new Uint8Array(one.length * 2);
    two.set(one, 0); two.set(one, one.length);
    const src = await decompressedSource(bytesSource('two.bz2', two), 'bzip2');
    const out = await all(src as ReturnType<typeof bytesSource>);
    expect(out.length).toBe(2 * 8178);
    expect(md5(out.subarray(0, 8178))).toBe(BZ2_REFERENCE[0][2]);
    expect(md5(out.subarray(8178))).toBe(BZ2_REFERENCE[0][2]);
  });

  it('streaming in 100-byte pushes gives the same bytes', () => {
    const raw = readShared('data', 'format_tests_mdanalysis', 'surface.pdb.bz2');
    const parts: Uint8Array[] = [];
    const d = new Bzip2Decoder('s.bz2', (c) => parts.push(c));
    for (let p = 0; p < raw.length; p += 100) d.push(raw.subarray(p, p + 100), p + 100 >= raw.length);
    d.finish();
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    expect(md5(out)).toBe(BZ2_REFERENCE[0][2]);
  });

  it('a truncated stream is a FormatError naming the byte', () => {
    const raw = readShared('data', 'format_tests_mdanalysis', 'surface.pdb.bz2');
    let err: unknown;
    try { bunzip2(raw.subarray(0, raw.length - 20), 'cut.bz2'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).file).toBe('cut.bz2');
    expect((err as FormatError).at.byte).toBeGreaterThan(0);
  });

  it('corrupted data fails its CRC or table checks with a FormatError', () => {
    const raw = readShared('data', 'format_tests_mdanalysis', 'surface.pdb.bz2');
    const rng = seededRng(3);
    for (let k = 0; k < 200; k++) {
      const bad = raw.slice();
      const at = 4 + Math.floor(rng() * (bad.length - 4));
      bad[at] ^= 1 << Math.floor(rng() * 8);
      try {
        const out = bunzip2(bad, 'bad.bz2');
        // A flip inside padding bits can be harmless: then the output must be the original.
        expect(md5(out)).toBe(BZ2_REFERENCE[0][2]);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });
});

describe('gzip', () => {
  it('multi-member streams decompress to the concatenation', async () => {
    const a = new TextEncoder().encode('first member\n'.repeat(1000));
    const b = new TextEncoder().encode('second member\n'.repeat(3000));
    const gz = new Uint8Array([...nodeGzip(a), ...nodeGzip(b)]);
    expect(detectCompression(gz, 'x.gz')).toBe('gzip');
    const src = await decompressedSource(bytesSource('x.gz', gz), 'gzip');
    const out = await all(src as ReturnType<typeof bytesSource>);
    expect(out.length).toBe(a.length + b.length);
    expect(new TextDecoder().decode(out.subarray(a.length, a.length + 14))).toBe('second member\n');
  });

  it('is detected by magic bytes, not by extension', async () => {
    const text = '2\ncomment\nCu 0 0 0\nCu 1 1 1\n';
    const gz = new Uint8Array(nodeGzip(new TextEncoder().encode(text)));
    const t = await openTrajectory([bytesSource('no-extension', gz)]);
    expect(t.nAtoms).toBe(2);
    expect(t.compression).toBe('gzip');
  });

  it('a truncated gzip file is a FormatError', async () => {
    const gz = readShared('data', 'generated', 'au309_ico_200K_gupta.xyz.gz').subarray(0, 50_000);
    const e = await formatErrorOf(() => openTrajectory([bytesSource('cut.xyz.gz', gz)]));
    expect(e.file).toBe('cut.xyz.gz');
  });
});

describe('unsupported containers', () => {
  const cases: [string, number[]][] = [
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4]],
    ['zip', [0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]],
  ];
  for (const [what, bytes] of cases) {
    it(`${what} gives a clear "unsupported" FormatError`, async () => {
      const e = await formatErrorOf(() => openTrajectory([bytesSource(`f.${what}`, new Uint8Array(bytes))]));
      expect(e.message).toContain(`${what}-compressed data (unsupported`);
      expect(e.file).toBe(`f.${what}`);
    });
  }
});

describe('streams larger than the memory budget are re-decompressed on demand', () => {
  it('byte ranges read forwards and backwards equal the in-memory stream (bzip2 multi-stream, gzip)', async () => {
    const one = readShared('data', 'format_tests_mdanalysis', 'surface.pdb.bz2');
    const bz = new Uint8Array(one.length * 12);
    for (let k = 0; k < 12; k++) bz.set(one, k * one.length);
    const text = new TextEncoder().encode(Array.from({ length: 20000 }, (_, k) => `line ${k} ${(k * 0.001).toFixed(3)}`).join('\n'));
    const gz = new Uint8Array(nodeGzip(text));
    const rng = seededRng(11);
    for (const [kind, bytes] of [['bzip2', bz], ['gzip', gz]] as const) {
      const full = await all(await decompressedSource(bytesSource('f', bytes), kind) as ReturnType<typeof bytesSource>);
      // a 16 kB budget (4 kB window) forces the streaming path and restarts on backward reads
      const streamed = await decompressedSource(bytesSource('f', bytes), kind, undefined, 16 << 10);
      expect(streamed.size).toBe(full.length);
      for (let k = 0; k < 40; k++) {
        const s = Math.floor(rng() * full.length), e = Math.min(full.length, s + Math.floor(rng() * 3000));
        const got = await streamed.read(s, e);
        expect(md5(got)).toBe(md5(full.subarray(s, e)));
      }
    }
  });

  it('concurrent reads on a slow source are serialised (the decoder state is shared)', async () => {
    const rng = seededRng(5);
    const text = new Uint8Array(6 << 20);
    for (let k = 0; k < text.length; k++) text[k] = k % 61 === 60 ? 10 : 48 + Math.floor(rng() * 10);
    const gz = new Uint8Array(nodeGzip(text));
    expect(gz.length).toBeGreaterThan(2 << 20); // several 1 MB compressed reads
    const inner = bytesSource('slow.gz', gz);
    const slow = { name: inner.name, size: inner.size,
      read: (a: number, b: number) => new Promise<Uint8Array>((r) => setTimeout(() => r(inner.read(a, b)), 1)) };
    const streamed = await decompressedSource(slow, 'gzip', undefined, 64 << 10);
    const ranges: [number, number][] = [[6_000_000, 6_001_000], [10, 500], [4_000_000, 4_000_100], [3_000_000, 3_000_010]];
    const got = await Promise.all(ranges.map(([a, b]) => streamed.read(a, b)));
    ranges.forEach(([a, b], k) => expect(md5(got[k])).toBe(md5(text.subarray(a, b))));
  });

  it('a trajectory opened through the streaming path gives the same frames (gzip extended XYZ)', async () => {
    const parts = ['data', 'cu211', 'DynMetSurf_Cu211_AIMD_120atoms_1000frames.extxyz.gz'];
    const bytes = readShared(...parts);
    const inMemory = await openTrajectory([bytesSource(parts[2], bytes)], { cacheBytes: 0 });
    // 1 MB budget < 5 MB decompressed: streaming with a 256 kB window
    const streamed = await openTrajectory([bytesSource(parts[2], bytes)], { cacheBytes: 0, memoryBytes: 1 << 20 });
    expect(streamed.nFrames).toBe(1000);
    for (const i of [0, 1, 999, 500, 2]) {
      const a = await streamed.readFrame(i), b = await inMemory.readFrame(i);
      expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
    }
    // concurrent reads (a worker pool asking for several frames at once) are serialised
    const frames = [999, 0, 998, 1, 600];
    const got = await Promise.all(frames.map((i) => streamed.readFrame(i)));
    for (let k = 0; k < frames.length; k++) {
      expect(Array.from(got[k].positions)).toEqual(Array.from((await inMemory.readFrame(frames[k])).positions));
    }
  });
});
