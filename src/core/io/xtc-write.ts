/**
 * GROMACS XTC writer (formats.md §8), the inverse of xtc.ts: frames of positions in Å become XDR
 * frames with coordinates packed at a chosen precision (default 1000, i.e. 0.001 nm).
 *
 * The packing follows the encoder behaviour that formats.md §8 describes from the reader's side:
 * integers q = round(x * precision); the first triple of a frame-range with small differences is
 * sent as a "large" atom, following atoms whose differences fit the current small range follow as
 * a run of small triples, the first small atom is swapped with the large one (water: O then H), and
 * the small range adapts by one table step per large atom. Either magic can be written: 1995
 * (32-bit byte count) or 2023 (64-bit byte count, the large-system variant).
 */
import { createReporter, throwIfCancelled, type RunOptions } from '../progress.ts';
import type { Trajectory } from '../trajectory.ts';
import { XTC_FIRSTIDX, XTC_LASTIDX, XTC_MAGIC_1995, XTC_MAGIC_2023, XTC_MAGICINTS, XTC_MAX_MIXED_RADIX_SIZE,
  XTC_UNCOMPRESSED_MAX_ATOMS, xtcTripleBits } from './xtc.ts';

const A_TO_NM = 0.1;
/** Largest |q| the integer packing can hold (GROMACS: INT_MAX - 2). */
const XTC_MAXABS = 2147483647 - 2;
/** Most small atoms in one run (the 5-bit run code holds run + isSmaller + 1 <= 31). */
const XTC_MAX_RUN_ATOMS = 8;
/** The run may shrink the small range by at most this many table steps below its start. */
const XTC_SMALL_RANGE_STEPS = 8;

export interface XtcWriteFrame {
  /** 3N positions in Å. */
  positions: ArrayLike<number>;
  /** 9 numbers, rows a, b, c in Å, or null (written as zeros). */
  cell?: ArrayLike<number> | null;
  step?: number;
  /** ps */
  time?: number;
}

export interface XtcWriteOptions {
  /** Coordinates per nm (GROMACS default 1000). */
  precision?: number;
  /** 1995 (default) or 2023 (large-system variant with a 64-bit byte count). */
  magic?: 1995 | 2023;
}

/** MSB-first bit writer into a growable byte buffer. */
class BitWriter {
  buf: Uint8Array;
  cnt = 0;
  acc = 0;
  nb = 0;
  constructor(size: number) { this.buf = new Uint8Array(Math.max(64, size)); }

  /** Appends the low n bits (0 <= n <= 24) of v. */
  bits(n: number, v: number): void {
    if (this.cnt + 8 >= this.buf.length) { const b = new Uint8Array(this.buf.length * 2); b.set(this.buf); this.buf = b; }
    let acc = ((this.acc & 0xff) << n) | (v & ((1 << n) - 1));
    let nb = this.nb + n;
    while (nb >= 8) { nb -= 8; this.buf[this.cnt++] = (acc >>> nb) & 0xff; }
    acc &= (1 << nb) - 1;
    this.acc = acc;
    this.nb = nb;
  }

  wide(n: number, v: number): void {
    if (n <= 24) { this.bits(n, v); return; }
    this.bits(n - 16, Math.floor(v / 65536));
    this.bits(16, v % 65536);
  }

  /** Bytes written, counting a partly filled last byte. */
  finish(): Uint8Array {
    if (this.nb > 0) { this.buf[this.cnt++] = (this.acc << (8 - this.nb)) & 0xff; this.acc = 0; this.nb = 0; }
    return this.buf.subarray(0, this.cnt);
  }
}

const digits = new Float64Array(16);

/** digits <- digits * s + add (base 256, least significant first); returns the new digit count. */
function mulAdd(nd: number, s: number, add: number): number {
  let carry = add, j = 0;
  for (; j < nd; j++) { const v = digits[j] * s + carry; digits[j] = v % 256; carry = Math.floor(v / 256); }
  while (carry !== 0) { digits[j++] = carry % 256; carry = Math.floor(carry / 256); }
  return j;
}

/** Writes (n0, n1, n2) as one mixed-radix number of `nbits` bits, 8-bit groups least significant first. */
function writeTriple(w: BitWriter, nbits: number, s1: number, s2: number, n0: number, n1: number, n2: number): void {
  // base-256 digits of (n0 s1 + n1) s2 + n2, built with exact small products
  let nd = 0, t = n0;
  do { digits[nd++] = t % 256; t = Math.floor(t / 256); } while (t !== 0);
  nd = mulAdd(nd, s1, n1);
  nd = mulAdd(nd, s2, n2);
  if (nbits >= nd * 8) {
    for (let j = 0; j < nd; j++) w.bits(8, digits[j]);
    let rest = nbits - nd * 8;
    while (rest > 0) { const k = Math.min(rest, 24); w.bits(k, 0); rest -= k; }
  } else {
    for (let j = 0; j < nd - 1; j++) w.bits(8, digits[j]);
    w.bits(nbits - (nd - 1) * 8, digits[nd - 1]);
  }
}

function bitLength(v: number): number {
  let n = 0;
  while (v >= 1 && n < 32) { v = Math.floor(v / 2); n++; }
  return n;
}

/**
 * Packs 3N integer coordinates (nm * precision) into the compressed block; returns the block
 * bytes and the header fields (minint, maxint, smallidx).
 */
function compress(q: Int32Array, n: number): { data: Uint8Array; minint: number[]; maxint: number[]; smallidx: number } {
  const minint = [q[0], q[1], q[2]], maxint = [q[0], q[1], q[2]];
  let mindiff = Infinity;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      const v = q[3 * i + k];
      if (v < minint[k]) minint[k] = v;
      if (v > maxint[k]) maxint[k] = v;
    }
    if (i > 0) {
      const d = Math.abs(q[3 * i] - q[3 * i - 3]) + Math.abs(q[3 * i + 1] - q[3 * i - 2]) + Math.abs(q[3 * i + 2] - q[3 * i - 1]);
      if (d < mindiff) mindiff = d;
    }
  }
  const size = [maxint[0] - minint[0] + 1, maxint[1] - minint[1] + 1, maxint[2] - minint[2] + 1];
  const large = size.some((s) => s > XTC_MAX_MIXED_RADIX_SIZE);
  const bitsizeint = size.map(bitLength);
  const bitsize = large ? 0 : xtcTripleBits(size[0], size[1], size[2]);
  let smallidx = XTC_FIRSTIDX;
  while (smallidx < XTC_LASTIDX + 1 && XTC_MAGICINTS[smallidx] < mindiff) smallidx++;
  if (smallidx > XTC_LASTIDX) smallidx = XTC_LASTIDX;
  const startIdx = smallidx;
  const maxidx = Math.min(XTC_LASTIDX + 1, smallidx + XTC_SMALL_RANGE_STEPS);
  const minidx = maxidx - XTC_SMALL_RANGE_STEPS;
  let smaller = XTC_MAGICINTS[Math.max(XTC_FIRSTIDX, smallidx - 1)] >> 1;
  let smallnum = XTC_MAGICINTS[smallidx] >> 1;
  let sizesmall = XTC_MAGICINTS[smallidx];
  const larger = XTC_MAGICINTS[Math.min(maxidx, XTC_LASTIDX)] >> 1;
  const w = new BitWriter(n * 11 + 64);
  const tmp = new Int32Array(3 * XTC_MAX_RUN_ATOMS);
  const c = Int32Array.from(q.subarray(0, 3 * n)); // working copy: the water swap reorders it
  let prev0 = 0, prev1 = 0, prev2 = 0, prevrun = -1;
  let i = 0;
  while (i < n) {
    let o = 3 * i;
    let isSmall = false;
    let isSmaller: number;
    if (smallidx < maxidx && i >= 1 && Math.abs(c[o] - prev0) < larger && Math.abs(c[o + 1] - prev1) < larger && Math.abs(c[o + 2] - prev2) < larger) {
      isSmaller = 1;
    } else if (smallidx > minidx) {
      isSmaller = -1;
    } else {
      isSmaller = 0;
    }
    if (i + 1 < n && Math.abs(c[o] - c[o + 3]) < smallnum && Math.abs(c[o + 1] - c[o + 4]) < smallnum && Math.abs(c[o + 2] - c[o + 5]) < smallnum) {
      // swap this atom with the next one: the decoder emits the first small atom before the large one
      for (let k = 0; k < 3; k++) { const t = c[o + k]; c[o + k] = c[o + 3 + k]; c[o + 3 + k] = t; }
      isSmall = true;
    }
    const t0 = c[o] - minint[0], t1 = c[o + 1] - minint[1], t2 = c[o + 2] - minint[2];
    if (large) { w.wide(bitsizeint[0], t0); w.wide(bitsizeint[1], t1); w.wide(bitsizeint[2], t2); }
    else writeTriple(w, bitsize, size[1], size[2], t0, t1, t2);
    prev0 = c[o]; prev1 = c[o + 1]; prev2 = c[o + 2];
    i++; o += 3;
    let run = 0;
    if (!isSmall && isSmaller === -1) isSmaller = 0;
    while (isSmall && run < 3 * XTC_MAX_RUN_ATOMS) {
      const d0 = c[o] - prev0, d1 = c[o + 1] - prev1, d2 = c[o + 2] - prev2;
      // 32-bit integer arithmetic as in the reference encoder, so files come out byte-identical
      if (isSmaller === -1 && ((Math.imul(d0, d0) + Math.imul(d1, d1) + Math.imul(d2, d2)) | 0) >= Math.imul(smaller, smaller)) isSmaller = 0;
      tmp[run++] = d0 + smallnum; tmp[run++] = d1 + smallnum; tmp[run++] = d2 + smallnum;
      prev0 = c[o]; prev1 = c[o + 1]; prev2 = c[o + 2];
      i++; o += 3;
      isSmall = i < n && Math.abs(c[o] - prev0) < smallnum && Math.abs(c[o + 1] - prev1) < smallnum && Math.abs(c[o + 2] - prev2) < smallnum;
    }
    if (run !== prevrun || isSmaller !== 0) {
      prevrun = run;
      w.bits(1, 1);
      w.bits(5, run + isSmaller + 1);
    } else {
      w.bits(1, 0);
    }
    for (let k = 0; k < run; k += 3) writeTriple(w, smallidx, sizesmall, sizesmall, tmp[k], tmp[k + 1], tmp[k + 2]);
    if (isSmaller !== 0) {
      smallidx += isSmaller;
      if (isSmaller < 0) {
        smallnum = smaller;
        smaller = XTC_MAGICINTS[smallidx - 1] >> 1;
      } else {
        smaller = smallnum;
        smallnum = XTC_MAGICINTS[smallidx] >> 1;
      }
      sizesmall = XTC_MAGICINTS[smallidx];
    }
  }
  return { data: w.finish(), minint, maxint, smallidx: startIdx };
}

/** Growable big-endian XDR output. */
class XdrOut {
  buf = new Uint8Array(1 << 16);
  dv = new DataView(this.buf.buffer);
  len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap); b.set(this.buf.subarray(0, this.len));
    this.buf = b; this.dv = new DataView(b.buffer);
  }
  i32(v: number): void { this.ensure(4); this.dv.setInt32(this.len, v); this.len += 4; }
  f32(v: number): void { this.ensure(4); this.dv.setFloat32(this.len, v); this.len += 4; }
  i64(v: number): void { this.ensure(8); this.dv.setInt32(this.len, Math.floor(v / 4294967296)); this.dv.setUint32(this.len + 4, v % 4294967296); this.len += 8; }
  opaque(b: Uint8Array): void {
    const padded = (b.length + 3) & ~3;
    this.ensure(padded); this.buf.set(b, this.len); this.buf.fill(0, this.len + b.length, this.len + padded); this.len += padded;
  }
  bytes(): Uint8Array { return this.buf.slice(0, this.len); }
}

/**
 * Encodes frames (positions in Å, cells in Å) as an XTC file. All frames must have the same atom
 * count. Throws RangeError when a coordinate does not fit the integer range at this precision.
 */
export function writeXtc(frames: Iterable<XtcWriteFrame>, opts: XtcWriteOptions = {}): Uint8Array {
  const out = new XdrOut();
  let n = -1;
  for (const f of frames) {
    if (n >= 0 && f.positions.length !== 3 * n) {
      throw new RangeError(`every XTC frame needs the same atom count: ${n}, then ${f.positions.length / 3}`);
    }
    n = f.positions.length / 3;
    encodeXtcFrame(out, f, opts);
  }
  return out.bytes();
}

/** Encodes one frame; concatenating the results of several calls gives a valid file. */
export function writeXtcFrame(f: XtcWriteFrame, opts: XtcWriteOptions = {}): Uint8Array {
  const out = new XdrOut();
  encodeXtcFrame(out, f, opts);
  return out.bytes();
}

function encodeXtcFrame(out: XdrOut, f: XtcWriteFrame, opts: XtcWriteOptions): void {
  const precision = Math.fround(opts.precision ?? 1000);
  const magic = opts.magic ?? XTC_MAGIC_1995;
  if (magic !== XTC_MAGIC_1995 && magic !== XTC_MAGIC_2023) throw new RangeError(`XTC magic must be 1995 or 2023, got ${String(magic)}`);
  if (!(precision > 0)) throw new RangeError(`XTC precision must be positive, got ${precision}`);
  const pos = f.positions;
  if (pos.length % 3 !== 0) throw new RangeError(`positions length ${pos.length} is not a multiple of 3`);
  const n = pos.length / 3;
  out.i32(magic);
  out.i32(n);
  out.i32(f.step ?? 0);
  out.f32(f.time ?? 0);
  for (let k = 0; k < 9; k++) out.f32(f.cell ? f.cell[k] * A_TO_NM : 0);
  out.i32(n);
  if (n <= XTC_UNCOMPRESSED_MAX_ATOMS) {
    for (let k = 0; k < 3 * n; k++) out.f32(pos[k] * A_TO_NM);
    return;
  }
  out.f32(precision);
  // round half away from zero in float32 as GROMACS does (lf = x * precision +/- 0.5, truncated)
  const q = new Int32Array(3 * n);
  for (let k = 0; k < 3 * n; k++) {
    const x = Math.fround(pos[k] * A_TO_NM);
    const xp = Math.fround(x * precision);
    const lf = Math.fround(xp >= 0 ? xp + 0.5 : xp - 0.5);
    if (!(Math.abs(lf) <= XTC_MAXABS)) throw new RangeError(`coordinate ${pos[k]} Å does not fit XTC integers at precision ${precision}`);
    q[k] = Math.trunc(lf);
  }
  const { data, minint, maxint, smallidx } = compress(q, n);
  for (let k = 0; k < 3; k++) out.i32(minint[k]);
  for (let k = 0; k < 3; k++) out.i32(maxint[k]);
  out.i32(smallidx);
  if (magic === XTC_MAGIC_1995) out.i32(data.length); else out.i64(data.length);
  out.opaque(data);
}

/** What to export from a loaded trajectory. */
export interface TrajectoryExportOptions extends RunOptions {
  /** Frame indices to write, in order (default: all). */
  frames?: ArrayLike<number>;
  /** Atom indices to write, in order (default: all). */
  atoms?: ArrayLike<number>;
}

/** Positions of `atoms` (3 values each) picked from 3N positions. */
export function pickAtoms(positions: ArrayLike<number>, atoms: ArrayLike<number> | undefined): ArrayLike<number> {
  if (!atoms) return positions;
  const n = positions.length / 3;
  const out = new Float64Array(3 * atoms.length);
  for (let j = 0; j < atoms.length; j++) {
    const i = atoms[j];
    if (!(i >= 0 && i < n) || !Number.isInteger(i)) throw new RangeError(`atom index ${i} out of range [0, ${n})`);
    out[3 * j] = positions[3 * i]; out[3 * j + 1] = positions[3 * i + 1]; out[3 * j + 2] = positions[3 * i + 2];
  }
  return out;
}

/**
 * Streams the selected frames and atoms of a trajectory as XTC, one Uint8Array per frame
 * (concatenated they are the file; e.g. `new Blob(chunks)`). Cancellable between frames.
 */
export async function* exportXtc(t: Trajectory, o: TrajectoryExportOptions & XtcWriteOptions = {}): AsyncGenerator<Uint8Array> {
  const frames = o.frames ?? Array.from({ length: t.nFrames }, (_, i) => i);
  const report = createReporter(o, 'writing XTC', frames.length);
  for (let k = 0; k < frames.length; k++) {
    throwIfCancelled(o);
    const f = await t.readFrame(frames[k]);
    yield writeXtcFrame({ positions: pickAtoms(f.positions, o.atoms), cell: f.cell, step: f.step ?? frames[k], time: f.time ?? 0 }, o);
    report(k + 1);
  }
}
