/**
 * Transparent decompression (formats.md §0.4), detected by magic bytes, never by extension.
 * gzip (multi-member) through fflate's streaming inflater, bzip2 (multi-stream) through our own
 * decoder (bzip2.ts). The decompressed stream is kept in memory as a list of chunks and read
 * through a ByteSource, so indexing and decoding never see the compression.
 */
import { Gunzip } from 'fflate';
import { FormatError } from '../errors.ts';
import { checkpoint, createReporter, throwIfCancelled, type RunOptions } from '../progress.ts';
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
  reset(): void {
    this.cur = new Uint8Array(0);
    this.fill = 0;
  }
  finish(): Uint8Array[] {
    if (this.fill > 0) this.blocks.push(this.cur.slice(0, this.fill));
    this.fill = 0;
    return this.blocks;
  }
}

/** A push decoder: compressed chunks in, decompressed chunks out through the callback. */
interface PushDecoder { push(chunk: Uint8Array, final: boolean): void }

function makeDecoder(kind: 'gzip' | 'bzip2', file: string, onData: (d: Uint8Array) => void): PushDecoder {
  if (kind === 'bzip2') {
    const d = new Bzip2Decoder(file, onData);
    return { push: (c, final) => { d.push(c, final); if (final) d.finish(); } };
  }
  const g = new Gunzip((d) => onData(d));
  return { push: (c, final) => g.push(c.slice(), final) }; // fflate may keep the chunk: own copy
}

/** Runs `fn`, turning decoder exceptions into FormatErrors at the compressed byte `pos`. */
function guard(kind: 'gzip' | 'bzip2', file: string, pos: number, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(file, { byte: pos }, `valid ${kind} data`, `corrupt or truncated ${kind} stream (${(e as Error).message})`);
  }
}

/**
 * Default budget for holding a decompressed stream in memory. Beyond it the stream is
 * re-decompressed on demand (StreamingDecompressed) instead of kept.
 */
export const DEFAULT_MEMORY_BYTES = 1 << 30;

/**
 * Bytes of decompressed output kept behind the last read in streaming mode (nearby frames stay
 * cheap), at most a quarter of the memory budget.
 */
const WINDOW_BYTES = 16 << 20;

/**
 * A decompressed stream too large to keep: reads decompress forward from where the last read
 * stopped (a sequential index pass or forward playback costs one pass); a read before the kept
 * window restarts from the beginning of the compressed file (formats.md §0.4: "re-decompress
 * sequentially when memory is short").
 */
class StreamingDecompressed implements ByteSource {
  private chunks: Uint8Array[] = [];
  private chunkStart: number[] = [];
  private produced = 0;
  private consumed = 0;
  private dec: PushDecoder | null = null;

  constructor(private readonly src: ByteSource, private readonly kind: 'gzip' | 'bzip2', readonly size: number,
    private readonly window: number) {}

  get name(): string { return this.src.name; }

  private restart(): void {
    this.chunks = []; this.chunkStart = []; this.produced = 0; this.consumed = 0;
    this.dec = makeDecoder(this.kind, this.src.name, (d) => {
      this.chunks.push(d.slice());
      this.chunkStart.push(this.produced);
      this.produced += d.length;
    });
  }

  /** Reads run one at a time: the decoder state is shared, and callers may read concurrently. */
  private queue: Promise<unknown> = Promise.resolve();

  read(start: number, end: number): Promise<Uint8Array> {
    const next = this.queue.then(() => this.readNow(start, end));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async readNow(start: number, end: number): Promise<Uint8Array> {
    const s = Math.max(0, Math.min(this.size, Math.floor(start)));
    const e = Math.max(s, Math.min(this.size, Math.floor(end)));
    const windowStart = this.chunkStart.length ? this.chunkStart[0] : this.produced;
    if (!this.dec || s < windowStart) this.restart();
    while (this.produced < e && this.consumed < this.src.size) {
      const chunk = await this.src.read(this.consumed, Math.min(this.src.size, this.consumed + READ_BYTES));
      if (chunk.length === 0) break;
      this.consumed += chunk.length;
      guard(this.kind, this.src.name, this.consumed, () => this.dec!.push(chunk, this.consumed >= this.src.size));
      // drop output that ends before this read and is outside the window
      while (this.chunks.length > 1 && this.chunkStart[1] <= s && this.produced - this.chunkStart[1] > this.window) {
        this.chunks.shift(); this.chunkStart.shift();
      }
    }
    if (this.produced < e) {
      throw new FormatError(this.src.name, { byte: this.consumed }, `${e} decompressed bytes`, `${this.produced} (file changed?)`);
    }
    const out = new Uint8Array(e - s);
    for (let k = 0; k < this.chunks.length; k++) {
      const cs = this.chunkStart[k], ce = cs + this.chunks[k].length;
      if (ce <= s || cs >= e) continue;
      const from = Math.max(s, cs), to = Math.min(e, ce);
      out.set(this.chunks[k].subarray(from - cs, to - cs), from - s);
    }
    return out;
  }
}

/**
 * The decompressed view of `src` (or `src` itself when it is not compressed). One full pass
 * decompresses the stream (progress stage "decompressing", cancellable). While the output stays
 * within `memoryBytes` it is kept in memory; beyond, it is dropped and reads re-decompress.
 */
export async function decompressedSource(src: ByteSource, kind: Compression, o?: RunOptions,
  memoryBytes = DEFAULT_MEMORY_BYTES): Promise<ByteSource> {
  if (kind === 'none') return src;
  const out = new BlockCollector();
  let keep = true;
  let total = 0;
  const dec = makeDecoder(kind, src.name, (d) => {
    total += d.length;
    if (!keep) return;
    if (total > memoryBytes) { keep = false; out.blocks.length = 0; out.reset(); return; }
    out.push(d);
  });
  const report = createReporter(o, 'decompressing', src.size);
  let pos = 0;
  while (pos < src.size) {
    // yield between chunks so a cancel can arrive; the first chunk only checks the signal
    if (pos > 0) await checkpoint(o);
    else throwIfCancelled(o);
    const chunk = await src.read(pos, Math.min(src.size, pos + READ_BYTES));
    if (chunk.length === 0) break;
    pos += chunk.length;
    guard(kind, src.name, pos, () => dec.push(chunk, pos >= src.size));
    report(pos);
  }
  return keep ? chunkedSource(src.name, out.finish()) : new StreamingDecompressed(src, kind, total, Math.min(WINDOW_BYTES, Math.floor(memoryBytes / 4)));
}
