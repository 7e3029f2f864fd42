/**
 * Transparent decompression (formats.md §0.4), detected by magic bytes, never by extension.
 * gzip (multi-member) through fflate's streaming inflater, bzip2 (multi-stream) through our own
 * decoder (bzip2.ts). The decompressed stream is kept in memory as a list of chunks and read
 * through a ByteSource, so indexing and decoding never see the compression.
 */
import { Gunzip } from 'fflate';
import { FormatError } from '../errors.ts';
import { checkpoint, createReporter, type RunOptions } from '../progress.ts';
import { chunkedSource, type ByteSource } from './source.ts';
import { Bzip2Decoder } from './bzip2.ts';

export type Compression = 'gzip' | 'bzip2' | 'none';

/** Compressed bytes read per step. */
const READ_BYTES = 1 << 20;
/** Decompressed output is gathered into blocks of this size (fewer, larger chunks). */
const BLOCK_BYTES = 4 << 20;

const UNSUPPORTED: [number[], string][] = [
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd'],
  [[0x50, 0x4b, 0x03, 0x04], 'zip'],
];

function hasMagic(head: Uint8Array, magic: number[]): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

/** Compression of a file from its first bytes; unsupported containers throw a FormatError. */
export function detectCompression(head: Uint8Array, file: string): Compression {
  if (hasMagic(head, [0x1f, 0x8b])) return 'gzip';
  if (hasMagic(head, [0x42, 0x5a, 0x68]) && head.length >= 4 && head[3] >= 0x31 && head[3] <= 0x39) return 'bzip2';
  for (const [m, what] of UNSUPPORTED) {
    if (hasMagic(head, m)) {
      throw new FormatError(file, { byte: 0 }, 'plain text, gzip or bzip2 data',
        `${what}-compressed data (unsupported: decompress it first)`);
    }
  }
  return 'none';
}

/** File name without a compression suffix ("a.xyz.gz" -> "a.xyz"), for extension sniffing. */
export function stripCompressionSuffix(name: string): string {
  return name.replace(/\.(gz|gzip|bz2|bzip2)$/i, '');
}

class BlockCollector {
  readonly blocks: Uint8Array[] = [];
  private cur = new Uint8Array(BLOCK_BYTES);
  private fill = 0;
  total = 0;
  push(d: Uint8Array): void {
    let off = 0;
    this.total += d.length;
    while (off < d.length) {
      const take = Math.min(d.length - off, this.cur.length - this.fill);
      this.cur.set(d.subarray(off, off + take), this.fill);
      this.fill += take;
      off += take;
      if (this.fill === this.cur.length) {
        this.blocks.push(this.cur);
        this.cur = new Uint8Array(BLOCK_BYTES);
        this.fill = 0;
      }
    }
  }
  finish(): Uint8Array[] {
    if (this.fill > 0) this.blocks.push(this.cur.slice(0, this.fill));
    this.fill = 0;
    return this.blocks;
  }
}

async function gunzipSource(src: ByteSource, o?: RunOptions): Promise<ByteSource> {
  const out = new BlockCollector();
  const report = createReporter(o, 'decompressing', src.size);
  const g = new Gunzip((chunk) => out.push(chunk));
  let pos = 0;
  try {
    while (pos < src.size) {
      await checkpoint(o);
      const chunk = await src.read(pos, Math.min(src.size, pos + READ_BYTES));
      if (chunk.length === 0) break;
      pos += chunk.length;
      // fflate may keep a reference to the pushed chunk: give it its own copy.
      g.push(chunk.slice(), pos >= src.size);
      report(pos);
    }
  } catch (e) {
    if (e instanceof FormatError || (e instanceof Error && e.name === 'CancelledError')) throw e;
    throw new FormatError(src.name, { byte: pos }, 'valid gzip data', `corrupt or truncated gzip stream (${(e as Error).message})`);
  }
  return chunkedSource(src.name, out.finish());
}

async function bunzipSource(src: ByteSource, o?: RunOptions): Promise<ByteSource> {
  const out = new BlockCollector();
  const report = createReporter(o, 'decompressing', src.size);
  const dec = new Bzip2Decoder(src.name, (chunk) => out.push(chunk));
  let pos = 0;
  while (pos < src.size) {
    await checkpoint(o);
    const chunk = await src.read(pos, Math.min(src.size, pos + READ_BYTES));
    if (chunk.length === 0) break;
    pos += chunk.length;
    dec.push(chunk, pos >= src.size);
    report(pos);
  }
  dec.finish();
  return chunkedSource(src.name, out.finish());
}

/** The decompressed view of `src` (or `src` itself when it is not compressed). */
export async function decompressedSource(src: ByteSource, kind: Compression, o?: RunOptions): Promise<ByteSource> {
  if (kind === 'gzip') return gunzipSource(src, o);
  if (kind === 'bzip2') return bunzipSource(src, o);
  return src;
}
