/**
 * GROMACS TRR reader (formats.md §9): big-endian XDR frames, each with its own header of block
 * sizes, so one pass over headers indexes the file; single or double precision detected per
 * frame from the block sizes. Frames without coordinates (velocity- or force-only) are left out
 * of the index, with a note. Units: nm -> Å, ps.
 */
import { FormatError } from '../errors.ts';
import { checkpoint, createReporter, type RunOptions } from '../progress.ts';
import type { FrameData, Trajectory } from '../trajectory.ts';
import { BinaryCursor, readExact, SourceWindow, type BinarySource } from './binary-io.ts';
import { intervalOf, labelsFor } from './binary-provider.ts';
import type { FormatProvider, OpenContext } from './reader.ts';
import { checkFrame } from './formats/common.ts';

export const TRR_MAGIC = 1993;
const TRR_VERSION = 'GMX_trn_file';
const NM_TO_A = 10;
/** Header bytes before time and lambda: magic, 13, string (length + 12 chars), 13 ints. */
const TRR_FIXED_HEAD = 4 + 4 + 4 + 12 + 13 * 4;
const TRR_MAX_HEAD = TRR_FIXED_HEAD + 16;
const INDEX_CHECK_EVERY = 1024;

export interface TrrFrameHeader {
  /** 4 (float) or 8 (double). */
  real: 4 | 8;
  nAtoms: number;
  step: number;
  /** ps */
  time: number;
  lambda: number;
  headerBytes: number;
  /** Block sizes in bytes, in file order. */
  sizes: { ir: number; e: number; box: number; vir: number; pres: number; top: number; sym: number; x: number; v: number; f: number };
  frameBytes: number;
}

/** Parses a frame header at the cursor (frame start); `available` = bytes from there to end of file. */
export function parseTrrHeader(c: BinaryCursor, available: number): TrrFrameHeader {
  const start = c.pos;
  const magic = c.i32('TRR magic number');
  if (magic !== TRR_MAGIC) c.fail(`TRR magic number ${TRR_MAGIC}`, String(magic), start);
  const slenAt = c.pos;
  const slen = c.i32('version string length + 1');
  const slen2 = c.i32('version string length');
  if (slen !== TRR_VERSION.length + 1 || slen2 !== TRR_VERSION.length) {
    c.fail(`the version string "${TRR_VERSION}" (lengths 13, 12)`, `lengths ${slen}, ${slen2}`, slenAt);
  }
  c.need(12, 'the version string');
  let ver = '';
  for (let k = 0; k < 12; k++) ver += String.fromCharCode(c.u8[c.pos + k]);
  if (ver !== TRR_VERSION) c.fail(`"${TRR_VERSION}"`, JSON.stringify(ver), c.pos);
  c.pos += 12;
  const names = ['ir', 'e', 'box', 'vir', 'pres', 'top', 'sym', 'x', 'v', 'f'] as const;
  const sizes = { ir: 0, e: 0, box: 0, vir: 0, pres: 0, top: 0, sym: 0, x: 0, v: 0, f: 0 };
  let total = 0;
  for (const nm of names) {
    const at = c.pos;
    const v = c.i32(`${nm}_size`);
    if (v < 0 || v > available) c.fail(`a ${nm}_size within the file`, String(v), at);
    sizes[nm] = v;
    total += v;
  }
  const natAt = c.pos;
  const nAtoms = c.i32('atom count');
  if (nAtoms < 0) c.fail('a non-negative atom count', String(nAtoms), natAt);
  const step = c.i32('step');
  c.i32('nre');
  let real: number;
  if (sizes.box) real = sizes.box / 9;
  else if (sizes.x && nAtoms) real = sizes.x / (3 * nAtoms);
  else if (sizes.v && nAtoms) real = sizes.v / (3 * nAtoms);
  else if (sizes.f && nAtoms) real = sizes.f / (3 * nAtoms);
  else real = 4;
  if (real !== 4 && real !== 8) c.fail('block sizes of 4-byte or 8-byte reals', `box_size ${sizes.box}, x_size ${sizes.x} for ${nAtoms} atoms`, natAt);
  const r = real as 4 | 8;
  for (const nm of ['x', 'v', 'f'] as const) {
    if (sizes[nm] !== 0 && sizes[nm] !== 3 * nAtoms * r) c.fail(`${nm}_size 0 or ${3 * nAtoms * r}`, String(sizes[nm]), natAt);
  }
  for (const nm of ['box', 'vir', 'pres'] as const) {
    if (sizes[nm] !== 0 && sizes[nm] !== 9 * r) c.fail(`${nm}_size 0 or ${9 * r}`, String(sizes[nm]), natAt);
  }
  const time = r === 4 ? c.f32('time') : c.f64('time');
  const lambda = r === 4 ? c.f32('lambda') : c.f64('lambda');
  const headerBytes = c.pos - start;
  const frameBytes = headerBytes + total;
  if (frameBytes > available) c.fail(`a whole frame of ${frameBytes} bytes`, `end of file after ${available} bytes`, start);
  return { real: r, nAtoms, step, time, lambda, headerBytes, sizes, frameBytes };
}

export interface TrrIndex {
  file: string;
  nAtoms: number;
  /** Frames with coordinates only. */
  nFrames: number;
  byteStart: Float64Array;
  byteEnd: Float64Array;
  step: Float64Array;
  time: Float64Array;
  /** Frames in the file without coordinates (skipped). */
  skipped: number;
  /** 4 or 8 (of the first frame with coordinates). */
  real: number;
}

/** One pass over frame headers; frames without coordinates are skipped. */
export async function indexTrr(src: BinarySource, o?: RunOptions): Promise<TrrIndex> {
  const win = new SourceWindow(src);
  const report = createReporter(o, 'indexing TRR frames', src.size);
  const starts: number[] = [], ends: number[] = [], steps: number[] = [], times: number[] = [];
  let nAtoms = -1, off = 0, k = 0, skipped = 0, real = 0;
  if (src.size === 0) throw new FormatError(src.name, { byte: 0 }, 'a TRR frame header', 'an empty file');
  while (off < src.size) {
    const c = await win.at(off, TRR_MAX_HEAD, k);
    const h = parseTrrHeader(c, src.size - off);
    if (nAtoms < 0) nAtoms = h.nAtoms;
    else if (h.nAtoms !== nAtoms) throw new FormatError(src.name, { frame: k, byte: off + TRR_FIXED_HEAD - 12 }, `${nAtoms} atoms as in frame 0`, String(h.nAtoms));
    if (h.sizes.x > 0) {
      if (!real) real = h.real;
      starts.push(off); ends.push(off + h.frameBytes); steps.push(h.step); times.push(h.time);
    } else skipped++;
    off += h.frameBytes;
    k++;
    if (k % INDEX_CHECK_EVERY === 0) { report(off); await checkpoint(o); }
  }
  report(src.size);
  return {
    file: src.name, nAtoms, nFrames: starts.length, skipped, real: real || 4,
    byteStart: Float64Array.from(starts), byteEnd: Float64Array.from(ends), step: Float64Array.from(steps), time: Float64Array.from(times),
  };
}

/** Decodes one frame's bytes (header included) into positions (Å) and cell rows (Å). */
export function decodeTrrFrame(bytes: Uint8Array, out: Float64Array, file: string, frame: number, base = 0): { h: TrrFrameHeader; cell: Float64Array | null } {
  const c = new BinaryCursor(bytes, file, base, false, frame);
  const h = parseTrrHeader(c, bytes.byteLength);
  const rd = h.real === 4 ? () => c.f32('real') : () => c.f64('real');
  c.skip(h.sizes.ir + h.sizes.e, 'ir and e blocks');
  let cell: Float64Array | null = null;
  if (h.sizes.box) {
    cell = new Float64Array(9);
    for (let k = 0; k < 9; k++) cell[k] = rd() * NM_TO_A;
    if (cell.every((v) => v === 0)) cell = null;
  }
  c.skip(h.sizes.vir + h.sizes.pres + h.sizes.top + h.sizes.sym, 'virial, pressure, top and sym blocks');
  if (!h.sizes.x) c.fail('a frame with coordinates', 'x_size 0');
  if (out.length < 3 * h.nAtoms) throw new RangeError(`output buffer holds ${out.length} values, need ${3 * h.nAtoms}`);
  for (let k = 0; k < 3 * h.nAtoms; k++) out[k] = rd() * NM_TO_A;
  return { h, cell };
}

export class TrrFile {
  private constructor(readonly src: BinarySource, readonly index: TrrIndex) {}

  static async open(src: BinarySource, o?: RunOptions): Promise<TrrFile> {
    return new TrrFile(src, await indexTrr(src, o));
  }

  get nAtoms(): number { return this.index.nAtoms; }
  get nFrames(): number { return this.index.nFrames; }

  async readFrame(i: number, out?: Float64Array): Promise<FrameData> {
    const ix = this.index;
    checkFrame(i, ix.nFrames);
    const bytes = await readExact(this.src, ix.byteStart[i], ix.byteEnd[i], 'a TRR frame', i);
    const positions = out ?? new Float64Array(3 * ix.nAtoms);
    const { h, cell } = decodeTrrFrame(bytes, positions, this.src.name, i, ix.byteStart[i]);
    return { positions, cell, time: h.time, step: h.step };
  }
}

async function openTrrTrajectory(src: BinarySource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory> {
  const f = await TrrFile.open(src, o);
  const ix = f.index;
  if (ix.nFrames === 0) throw new FormatError(src.name, { byte: 0 }, 'at least one frame with coordinates', `${ix.skipped} frames without coordinates`);
  const labels = labelsFor(src.name, ix.nAtoms, ctx.topology, 'the TRR file');
  const notes = labels.notes.slice();
  if (ix.skipped) notes.push(`${ix.skipped} frames without coordinates (velocities/forces only) skipped`);
  notes.push(`${ix.real === 8 ? 'double' : 'single'} precision`);
  const first = await f.readFrame(0);
  return {
    name: src.name, format: 'trr', nAtoms: ix.nAtoms, nFrames: ix.nFrames,
    species: labels.species, types: labels.types, ids: labels.ids,
    pbc: first.cell ? [true, true, true] : [false, false, false],
    propertyNames: [], timestep: intervalOf(ix.time),
    stepInterval: ix.nFrames >= 2 ? ix.step[1] - ix.step[0] : undefined,
    notes, readFrame: (i: number) => f.readFrame(i),
  };
}

export const trrFormat: FormatProvider = {
  id: 'trr',
  label: 'GROMACS TRR',
  extensions: ['trr'],
  role: 'trajectory',
  sniff(head: Uint8Array): boolean {
    if (head.length < 24) return false;
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    return dv.getInt32(0, false) === TRR_MAGIC && String.fromCharCode(...head.subarray(12, 24)) === TRR_VERSION;
  },
  open: openTrrTrajectory,
};
