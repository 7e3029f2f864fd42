/**
 * GROMACS XTC reader (formats.md §8): one streaming pass over frame headers builds the index
 * (byte range, step, time, box of every frame) without decompressing anything; coordinates are
 * decoded on demand, one frame at a time, into a buffer the caller owns.
 *
 * Both magic numbers: 1995 (classic, 32-bit byte count) and 2023 (large systems, 64-bit byte
 * count; formats.md §8 item 6). Written from the format description in formats.md §8 (the
 * mixed-radix "xdr3dfcoord" packing), not from any implementation.
 *
 * Units: the file is in nm; positions and boxes come out in Å (x 10). A coordinate is first
 * rebuilt exactly as GROMACS readers do, as float32 q * float32(1/precision) in nm, then scaled
 * by 10 in float64, so it equals the reference decode of the file to float32 rounding.
 */
import { FormatError } from '../errors.ts';
import { checkpoint, createReporter, type RunOptions } from '../progress.ts';
import type { FrameData, Trajectory } from '../trajectory.ts';
import { BinaryCursor, readExact, SourceWindow, type BinarySource } from './binary-io.ts';
import { intervalOf, labelsFor } from './binary-provider.ts';
import type { FormatProvider, OpenContext } from './reader.ts';
import { checkFrame } from './formats/common.ts';

export const XTC_MAGIC_1995 = 1995;
export const XTC_MAGIC_2023 = 2023;
/** formats.md §8: frames with at most this many atoms store plain floats, no compression. */
export const XTC_UNCOMPRESSED_MAX_ATOMS = 9;
/** formats.md §8: first usable index of the magic table. */
export const XTC_FIRSTIDX = 9;
/** formats.md §8: the 73-entry table of small-integer ranges (about 2^(i/3)). */
export const XTC_MAGICINTS: Int32Array = Int32Array.from([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128, 161, 203, 256, 322,
  406, 512, 645, 812, 1024, 1290, 1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192, 10321, 13003, 16384,
  20642, 26007, 32768, 41285, 52015, 65536, 82570, 104031, 131072, 165140, 208063, 262144, 330280,
  416127, 524287, 660561, 832255, 1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304,
  5284491, 6658042, 8388607, 10568983, 13316085, 16777216,
]);
/** Index of the last table entry (72). */
export const XTC_LASTIDX = XTC_MAGICINTS.length - 1;
/** formats.md §8: a triple is packed as one mixed-radix number unless a range exceeds this. */
export const XTC_MAX_MIXED_RADIX_SIZE = 0xffffff;
const NM_TO_A = 10;
/** Header bytes before the coordinates: magic, natoms, step, time, box[9], natoms again. */
const XTC_FRAME_HEAD = 56;
/** Header bytes of a compressed block up to (not including) the byte count. */
const XTC_COMPRESSED_HEAD = 4 + 12 + 12 + 4;
/** Most bytes an index pass needs to see to size one frame (2023 magic, 8-byte count). */
const XTC_MAX_HEADER = XTC_FRAME_HEAD + XTC_COMPRESSED_HEAD + 8;
/**
 * Cheapest possible atom is about 2 bits (a 1-bit triple plus a 1-bit flag), so a block of
 * nbytes can never hold more than 4 * nbytes + 1 atoms: used to reject absurd atom counts
 * before allocating (never a multi-GB allocation from a corrupt header).
 */
const XTC_MAX_ATOMS_PER_BYTE = 4;

/** Everything a frame header says, without the coordinates. */
export interface XtcFrameHeader {
  magic: number;
  nAtoms: number;
  step: number;
  /** ps */
  time: number;
  /** Box rows a, b, c in Å (9 numbers, row-major). */
  box: Float64Array;
  /** Compression precision (1/nm), 0 for uncompressed frames (<= 9 atoms). */
  precision: number;
  /** Offset of the coordinate payload from the frame start. */
  dataStart: number;
  /** Length of the coordinate payload in bytes (compressed bytes, or 12 N for plain floats). */
  dataBytes: number;
  /** Length of the whole frame in bytes (payload padded to 4). */
  frameBytes: number;
  minint: Int32Array;
  maxint: Int32Array;
  smallidx: number;
}

/** Frame index of an XTC file: frame k is bytes [byteStart[k], byteEnd[k]). */
export interface XtcIndex {
  file: string;
  nAtoms: number;
  nFrames: number;
  byteStart: Float64Array;
  byteEnd: Float64Array;
  step: Float64Array;
  /** ps */
  time: Float64Array;
  /** 9 numbers per frame, Å, rows a, b, c. */
  box: Float64Array;
  /** The magic number of the first frame (1995 or 2023). */
  magic: number;
}

/**
 * Parses a frame header at the cursor position (which must be the frame start). Checks every
 * count against the bytes that exist (`available`: bytes from the frame start to end of file).
 */
export function parseXtcHeader(c: BinaryCursor, available: number): XtcFrameHeader {
  const start = c.pos;
  const magic = c.i32('XTC magic number');
  if (magic !== XTC_MAGIC_1995 && magic !== XTC_MAGIC_2023) {
    c.fail(`XTC magic number ${XTC_MAGIC_1995} or ${XTC_MAGIC_2023}`, String(magic), start);
  }
  const natAt = c.pos;
  const nAtoms = c.i32('atom count');
  if (nAtoms < 0) c.fail('a non-negative atom count', String(nAtoms), natAt);
  const step = c.i32('step');
  const time = c.f32('time');
  const box = new Float64Array(9);
  for (let k = 0; k < 9; k++) box[k] = c.f32('box') * NM_TO_A;
  const nat2At = c.pos;
  const nAtoms2 = c.i32('atom count (repeated)');
  if (nAtoms2 !== nAtoms) c.fail(`the atom count repeated (${nAtoms})`, String(nAtoms2), nat2At);
  const minint = new Int32Array(3), maxint = new Int32Array(3);
  if (nAtoms <= XTC_UNCOMPRESSED_MAX_ATOMS) {
    const dataBytes = 12 * nAtoms;
    const frameBytes = c.pos - start + dataBytes;
    if (frameBytes > available) {
      c.fail(`${nAtoms} uncompressed coordinates (${dataBytes} bytes)`, `end of file after ${available - (c.pos - start)} bytes`);
    }
    return { magic, nAtoms, step, time, box, precision: 0, dataStart: c.pos - start, dataBytes, frameBytes, minint, maxint, smallidx: 0 };
  }
  const precAt = c.pos;
  const precision = c.f32('precision');
  if (!(precision > 0) || !Number.isFinite(precision)) c.fail('a positive precision', String(precision), precAt);
  for (let k = 0; k < 3; k++) minint[k] = c.i32('minint');
  for (let k = 0; k < 3; k++) maxint[k] = c.i32('maxint');
  for (let k = 0; k < 3; k++) {
    if (maxint[k] < minint[k]) c.fail(`maxint >= minint on axis ${k}`, `${maxint[k]} < ${minint[k]}`, precAt + 4 + 4 * k);
  }
  const sAt = c.pos;
  const smallidx = c.i32('smallidx');
  if (smallidx < XTC_FIRSTIDX || smallidx > XTC_LASTIDX) {
    c.fail(`smallidx in [${XTC_FIRSTIDX}, ${XTC_LASTIDX}]`, String(smallidx), sAt);
  }
  const nbAt = c.pos;
  const dataBytes = magic === XTC_MAGIC_1995 ? c.i32('compressed byte count') : c.i64('compressed byte count (64-bit)');
  const dataStart = c.pos - start;
  if (dataBytes < 0 || dataStart + dataBytes > available) {
    c.fail(`a compressed byte count within the file (at most ${available - dataStart})`, String(dataBytes), nbAt);
  }
  if (nAtoms > XTC_MAX_ATOMS_PER_BYTE * dataBytes + 1) {
    c.fail(`at most ${XTC_MAX_ATOMS_PER_BYTE * dataBytes + 1} atoms in ${dataBytes} compressed bytes`, String(nAtoms), natAt);
  }
  return {
    magic, nAtoms, step, time, box, precision, dataStart, dataBytes,
    frameBytes: dataStart + Math.ceil(dataBytes / 4) * 4, minint, maxint, smallidx,
  };
}

/** Number of bits of a non-negative integer given as a double (exact up to 2^53). */
function bitLength(v: number): number {
  let n = 0;
  while (v >= 1) { v = Math.floor(v / 2); n++; }
  return n;
}

/** Bits of the mixed-radix product s0 s1 s2 (up to 72 bits; exact through BigInt). */
export function xtcTripleBits(s0: number, s1: number, s2: number): number {
  const p = BigInt(s0) * BigInt(s1) * BigInt(s2);
  return p === 0n ? 0 : p.toString(2).length;
}

/** MSB-first bit reader over the compressed block. Reads past `end` yield zeros; callers check. */
class BitReader {
  pos: number;
  acc = 0;
  nb = 0;
  constructor(readonly buf: Uint8Array, start: number) {
    this.pos = start;
  }

  /** The next n bits (1 <= n <= 24) as an unsigned integer. */
  bits(n: number): number {
    let acc = this.acc, nb = this.nb;
    while (nb < n) {
      acc = ((acc & ((1 << nb) - 1)) << 8) | (this.buf[this.pos++] | 0);
      nb += 8;
    }
    nb -= n;
    this.acc = acc;
    this.nb = nb;
    return (acc >>> nb) & ((1 << n) - 1);
  }

  /** The next n bits (0 <= n <= 32). */
  wide(n: number): number {
    if (n <= 24) return n === 0 ? 0 : this.bits(n);
    const hi = this.bits(n - 16);
    return hi * 65536 + this.bits(16);
  }
}

const scratchBytes = new Float64Array(16); // module scratch for >52-bit triples; not re-entrant, no await inside users

/**
 * The value of n (1..24) bits read MSB-first as X, when the stream holds them as 8-bit groups
 * least-significant group first (the last group may be shorter): formats.md §8.
 */
function groupsValue(x: number, n: number): number {
  if (n <= 8) return x;
  if (n <= 16) {
    const r = n - 8;
    return (x >>> r) | ((x & ((1 << r) - 1)) << 8);
  }
  const r = n - 16;
  return (x >>> (n - 8)) | (((x >>> r) & 255) << 8) | ((x & ((1 << r) - 1)) << 16);
}

/**
 * Reads one mixed-radix triple of `nbits` bits with radices (s0,) s1, s2 into out[o..o+2]
 * (formats.md §8: 8-bit groups least-significant first, value = (n0 s1 + n1) s2 + n2).
 */
function readTriple(r: BitReader, nbits: number, s1: number, s2: number, out: Int32Array, o: number): void {
  if (nbits <= 48) {
    // one or two reads of <= 24 bits instead of one per 8-bit group
    let v: number;
    if (nbits <= 24) v = groupsValue(r.bits(nbits), nbits);
    else v = groupsValue(r.bits(24), 24) + groupsValue(r.bits(nbits - 24), nbits - 24) * 16777216;
    const n2 = v % s2; v = (v - n2) / s2;
    const n1 = v % s1;
    out[o] = (v - n1) / s1; out[o + 1] = n1; out[o + 2] = n2;
    return;
  }
  // Wider than a double mantissa: long division on base-256 digits.
  const b = scratchBytes;
  let nb = 0, left = nbits;
  while (left > 8) { b[nb++] = r.bits(8); left -= 8; }
  if (left > 0) b[nb++] = r.bits(left);
  for (let i = 2; i >= 1; i--) {
    const s = i === 2 ? s2 : s1;
    let num = 0;
    for (let j = nb - 1; j >= 0; j--) {
      num = num * 256 + b[j];
      const p = Math.floor(num / s);
      b[j] = p;
      num -= p * s;
    }
    out[o + i] = num;
  }
  out[o] = (b[0] + b[1] * 256 + b[2] * 65536 + b[3] * 16777216) | 0;
}

/**
 * Decompresses one compressed coordinate block (formats.md §8) into `out` (3N values, Å) and
 * returns the offset just past the bits it consumed. `buf[start, start + nbytes)` holds the block.
 * Throws FormatError (with `frame` and absolute byte offsets from `base`) when the block runs
 * out, produces more atoms than announced, or walks the table out of range.
 */
export function decompressXtc(buf: Uint8Array, start: number, nbytes: number, h: XtcFrameHeader,
  out: Float64Array, file: string, frame: number, base: number): number {
  const n = h.nAtoms;
  const end = start + nbytes;
  const fail = (expected: string, found: string, at: number): never => {
    throw new FormatError(file, { frame, byte: base + at }, expected, found);
  };
  const min0 = h.minint[0], min1 = h.minint[1], min2 = h.minint[2];
  const size0 = h.maxint[0] - min0 + 1, size1 = h.maxint[1] - min1 + 1, size2 = h.maxint[2] - min2 + 1;
  const large = size0 > XTC_MAX_MIXED_RADIX_SIZE || size1 > XTC_MAX_MIXED_RADIX_SIZE || size2 > XTC_MAX_MIXED_RADIX_SIZE;
  const bits0 = Math.min(32, bitLength(size0)), bits1 = Math.min(32, bitLength(size1)), bits2 = Math.min(32, bitLength(size2));
  const bitsize = large ? 0 : xtcTripleBits(size0, size1, size2);
  let smallidx = h.smallidx;
  let smaller = XTC_MAGICINTS[Math.max(XTC_FIRSTIDX, smallidx - 1)] >> 1;
  let smallnum = XTC_MAGICINTS[smallidx] >> 1;
  let sizesmall = XTC_MAGICINTS[smallidx];
  const invp = Math.fround(1 / h.precision);
  const r = new BitReader(buf, start);
  const t = new Int32Array(6); // [0..2] large atom, [3..5] small atom
  let i = 0, run = 0;
  while (i < n) {
    if (r.pos > end) fail(`${nbytes} compressed bytes for ${n} atoms`, `the data exhausted after ${i} atoms`, end);
    let px: number, py: number, pz: number;
    if (large) {
      px = r.wide(bits0) + min0; py = r.wide(bits1) + min1; pz = r.wide(bits2) + min2;
    } else if (bitsize <= 48) {
      // inlined readTriple for the usual sizes
      let v = bitsize <= 24 ? groupsValue(r.bits(bitsize), bitsize)
        : groupsValue(r.bits(24), 24) + groupsValue(r.bits(bitsize - 24), bitsize - 24) * 16777216;
      const a2 = v % size2; v = (v - a2) / size2;
      const a1 = v % size1;
      px = (v - a1) / size1 + min0; py = a1 + min1; pz = a2 + min2;
    } else {
      readTriple(r, bitsize, size1, size2, t, 0);
      px = t[0] + min0; py = t[1] + min1; pz = t[2] + min2;
    }
    let isSmaller = 0;
    if (r.bits(1) === 1) {
      run = r.bits(5);
      isSmaller = (run % 3) - 1;
      run -= run % 3;
    }
    if (run > 0) {
      if (i + 1 + run / 3 > n) fail(`at most ${n} atoms`, `a run of ${run / 3} small atoms after atom ${i}`, r.pos);
      for (let k = 0; k < run; k += 3) {
        let d0: number, d1: number, d2: number;
        if (smallidx <= 24) {
          // hot path (water: most atoms), inlined: one read, then the mixed-radix split
          let v = groupsValue(r.bits(smallidx), smallidx);
          d2 = v % sizesmall; v = (v - d2) / sizesmall;
          d1 = v % sizesmall; d0 = (v - d1) / sizesmall;
        } else {
          readTriple(r, smallidx, sizesmall, sizesmall, t, 3);
          d0 = t[3]; d1 = t[4]; d2 = t[5];
        }
        const sx = d0 + px - smallnum, sy = d1 + py - smallnum, sz = d2 + pz - smallnum;
        if (k === 0) {
          // The encoder swapped the first small atom with the large one (water): emit it first.
          let o = 3 * i;
          out[o] = Math.fround(sx * invp) * NM_TO_A; out[o + 1] = Math.fround(sy * invp) * NM_TO_A; out[o + 2] = Math.fround(sz * invp) * NM_TO_A;
          o += 3;
          out[o] = Math.fround(px * invp) * NM_TO_A; out[o + 1] = Math.fround(py * invp) * NM_TO_A; out[o + 2] = Math.fround(pz * invp) * NM_TO_A;
          i += 2;
        } else {
          const o = 3 * i;
          out[o] = Math.fround(sx * invp) * NM_TO_A; out[o + 1] = Math.fround(sy * invp) * NM_TO_A; out[o + 2] = Math.fround(sz * invp) * NM_TO_A;
          i++;
        }
        px = sx; py = sy; pz = sz;
      }
    } else {
      const o = 3 * i;
      out[o] = Math.fround(px * invp) * NM_TO_A; out[o + 1] = Math.fround(py * invp) * NM_TO_A; out[o + 2] = Math.fround(pz * invp) * NM_TO_A;
      i++;
    }
    if (isSmaller !== 0) {
      smallidx += isSmaller;
      if (smallidx < XTC_FIRSTIDX || smallidx > XTC_LASTIDX) {
        fail(`a small-integer table index in [${XTC_FIRSTIDX}, ${XTC_LASTIDX}]`, String(smallidx), r.pos);
      }
      if (isSmaller < 0) {
        smallnum = smaller;
        smaller = smallidx > XTC_FIRSTIDX ? XTC_MAGICINTS[smallidx - 1] >> 1 : 0;
      } else {
        smaller = smallnum;
        smallnum = XTC_MAGICINTS[smallidx] >> 1;
      }
      sizesmall = XTC_MAGICINTS[smallidx];
    }
  }
  // The last byte may be partly used; whole bytes beyond the block mean the data ran out.
  if (r.pos > end) fail(`${nbytes} compressed bytes for ${n} atoms`, `a decode needing ${r.pos - start} bytes`, end);
  return r.pos;
}

/**
 * Decodes one whole frame (the bytes of [byteStart, byteEnd) of the index) into `out`
 * (3N positions, Å; caller-owned, length >= 3N) and returns its header.
 */
export function decodeXtcFrame(bytes: Uint8Array, out: Float64Array, file: string, frame: number,
  base = 0, expectAtoms?: number): XtcFrameHeader {
  const c = new BinaryCursor(bytes, file, base, false, frame);
  const h = parseXtcHeader(c, bytes.byteLength);
  if (expectAtoms !== undefined && h.nAtoms !== expectAtoms) {
    throw new FormatError(file, { frame, byte: base + 4 }, `${expectAtoms} atoms as in frame 0`, String(h.nAtoms));
  }
  if (out.length < 3 * h.nAtoms) throw new RangeError(`output buffer holds ${out.length} values, need ${3 * h.nAtoms}`);
  if (h.precision === 0) {
    for (let k = 0; k < 3 * h.nAtoms; k++) out[k] = c.f32('coordinate') * NM_TO_A;
  } else {
    decompressXtc(bytes, h.dataStart, h.dataBytes, h, out, file, frame, base);
  }
  return h;
}

/** Frames between cancellation checkpoints during indexing. */
const INDEX_CHECK_EVERY = 1024;

/**
 * One streaming pass over the frame headers (no decompression). Reads about 100 bytes per frame
 * (in 1 MB windows, so small frames cost no extra reads). Reports progress in bytes; cancellable.
 */
export async function indexXtc(src: BinarySource, o?: RunOptions): Promise<XtcIndex> {
  const win = new SourceWindow(src);
  const report = createReporter(o, 'indexing XTC frames', src.size);
  let cap = 1024, n = 0;
  let byteStart = new Float64Array(cap), byteEnd = new Float64Array(cap), step = new Float64Array(cap);
  let time = new Float64Array(cap), box = new Float64Array(9 * cap);
  let nAtoms = -1, magic = 0, off = 0;
  if (src.size === 0) throw new FormatError(src.name, { byte: 0 }, 'an XTC frame header', 'an empty file');
  while (off < src.size) {
    const c = await win.at(off, XTC_MAX_HEADER, n);
    const h = parseXtcHeader(c, src.size - off);
    if (nAtoms < 0) { nAtoms = h.nAtoms; magic = h.magic; }
    else if (h.nAtoms !== nAtoms) throw new FormatError(src.name, { frame: n, byte: off + 4 }, `${nAtoms} atoms as in frame 0`, String(h.nAtoms));
    if (off + h.frameBytes > src.size) {
      throw new FormatError(src.name, { frame: n, byte: off }, `a whole frame of ${h.frameBytes} bytes`, `end of file after ${src.size - off} bytes`);
    }
    if (n === cap) {
      cap *= 2;
      const grow = (a: Float64Array, k = 1) => { const b = new Float64Array(k * cap); b.set(a); return b; };
      byteStart = grow(byteStart); byteEnd = grow(byteEnd); step = grow(step); time = grow(time); box = grow(box, 9);
    }
    byteStart[n] = off; byteEnd[n] = off + h.frameBytes; step[n] = h.step; time[n] = h.time;
    box.set(h.box, 9 * n);
    n++;
    off += h.frameBytes;
    if (n % INDEX_CHECK_EVERY === 0) { report(off); await checkpoint(o); }
  }
  report(src.size);
  return {
    file: src.name, nAtoms, nFrames: n, magic,
    byteStart: byteStart.slice(0, n), byteEnd: byteEnd.slice(0, n), step: step.slice(0, n),
    time: time.slice(0, n), box: box.slice(0, 9 * n),
  };
}

/** A cell from an XTC box, or null for the all-zero "no box" placeholder. */
function cellOf(box: Float64Array, k: number): Float64Array | null {
  const cell = box.slice(9 * k, 9 * k + 9);
  return cell.every((v) => v === 0) ? null : cell;
}

/**
 * Random access to the frames of an indexed XTC file. `readFrame` reads only that frame's bytes.
 */
export class XtcFile {
  private constructor(readonly src: BinarySource, readonly index: XtcIndex) {}

  static async open(src: BinarySource, o?: RunOptions): Promise<XtcFile> {
    return new XtcFile(src, await indexXtc(src, o));
  }

  get nAtoms(): number { return this.index.nAtoms; }
  get nFrames(): number { return this.index.nFrames; }

  /** Decodes frame i; positions go to `out` when given (length >= 3N), else a new array. */
  async readFrame(i: number, out?: Float64Array): Promise<FrameData> {
    const ix = this.index;
    checkFrame(i, ix.nFrames);
    const bytes = await readExact(this.src, ix.byteStart[i], ix.byteEnd[i], 'an XTC frame', i);
    const positions = out ?? new Float64Array(3 * ix.nAtoms);
    const h = decodeXtcFrame(bytes, positions, this.src.name, i, ix.byteStart[i], ix.nAtoms);
    return { positions, cell: cellOf(h.box, 0), time: h.time, step: h.step };
  }
}

async function openXtcTrajectory(src: BinarySource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory> {
  const f = await XtcFile.open(src, o);
  const ix = f.index;
  const labels = labelsFor(src.name, ix.nAtoms, ctx.topology, 'the XTC file');
  const notes = labels.notes.slice();
  if (ix.magic === XTC_MAGIC_2023) notes.push('XTC large-system format (magic 2023)');
  const boxed = ix.nFrames > 0 && cellOf(ix.box, 0) !== null;
  return {
    name: src.name, format: 'xtc', nAtoms: ix.nAtoms, nFrames: ix.nFrames,
    species: labels.species, types: labels.types, ids: labels.ids,
    pbc: boxed ? [true, true, true] : [false, false, false],
    propertyNames: [], timestep: intervalOf(ix.time),
    stepInterval: ix.nFrames >= 2 ? ix.step[1] - ix.step[0] : undefined,
    notes, readFrame: (i: number) => f.readFrame(i),
  };
}

/** Big-endian int32 at offset o of head. */
function be32(head: Uint8Array, o: number): number {
  return ((head[o] << 24) | (head[o + 1] << 16) | (head[o + 2] << 8) | head[o + 3]) | 0;
}

export const xtcFormat: FormatProvider = {
  id: 'xtc',
  label: 'GROMACS XTC',
  extensions: ['xtc'],
  role: 'trajectory',
  sniff(head: Uint8Array): boolean {
    if (head.length < XTC_FRAME_HEAD) return false;
    const magic = be32(head, 0);
    // magic, then the atom count twice (offsets 4 and 52)
    return (magic === XTC_MAGIC_1995 || magic === XTC_MAGIC_2023) && be32(head, 4) === be32(head, 52) && be32(head, 4) >= 0;
  },
  open: openXtcTrajectory,
};
