/**
 * CHARMM / NAMD / LAMMPS DCD reader (formats.md §10). Fortran unformatted records in either byte
 * order (detected from the first record marker, 84), 32-bit or the rare 64-bit markers. Frames
 * have a fixed size, so the index is arithmetic and random access is O(1); each frame read checks
 * every record marker, so a corrupt frame names itself and its byte.
 *
 * Unit cell (formats.md §10): slots [A, gamma, B, beta, alpha, C]; cosines (CHARMM, NAMD >= 2.5)
 * when all angle slots lie in [-1, 1]; the packed symmetric box matrix of newer CHARMM when a slot
 * is negative or an angle slot exceeds 180 (data README pitfall: tip125_tric_C36.dcd is such a
 * file, and rebuilding it from lengths and angles would rotate the cell against the atoms: the
 * matrix is used as stored); degrees otherwise.
 */
import { FormatError } from '../errors.ts';
import { cellFromParameters } from '../geometry/cell.ts';
import type { RunOptions } from '../progress.ts';
import type { FrameData, Trajectory } from '../trajectory.ts';
import { BinaryCursor, readExact, type BinarySource } from './binary-io.ts';
import { intervalOf, labelsFor } from './binary-provider.ts';
import type { FormatProvider, OpenContext } from './reader.ts';
import { checkFrame } from './formats/common.ts';

/** formats.md §0.2: 1 AKMA time unit in ps. */
export const AKMA_PS = 0.04888821;
const HEADER_PAYLOAD = 84;
/** Most title lines we accept (real files have a handful; guards a corrupt count). */
const MAX_TITLES = 1000;
const TITLE_LEN = 80;

export interface DcdHeader {
  file: string;
  little: boolean;
  /** Record marker width: 4 (usual) or 8 bytes. */
  marker: 4 | 8;
  /** NSET as written (may be 0 or stale; nFrames comes from the file size). */
  nSetDeclared: number;
  istart: number;
  nsavc: number;
  /** AKMA time units per MD step (float32 for CHARMM files, float64 for X-PLOR ones). */
  delta: number;
  charmmVersion: number;
  hasCell: boolean;
  has4d: boolean;
  nAtoms: number;
  nFixed: number;
  titles: string[];
  /** 0-based indices of the free atoms when nFixed > 0. */
  freeAtoms: Int32Array | null;
  /** Byte offset and length of frame 0 (all atoms), and of every later frame. */
  firstFrameStart: number;
  firstFrameBytes: number;
  frameBytes: number;
  nFrames: number;
  /** ps per frame (DELTA x NSAVC AKMA), NaN when unknown. */
  dtPs: number;
}

function markerAt(c: BinaryCursor, marker: 4 | 8, what: string): number {
  return marker === 4 ? c.i32(`${what} record marker`) : c.i64(`${what} record marker`);
}

/** Reads one record's leading marker, checks it equals `len` when given; returns the payload length. */
function openRecord(c: BinaryCursor, marker: 4 | 8, what: string, len?: number): number {
  const at = c.pos;
  const n = markerAt(c, marker, what);
  if (len !== undefined && n !== len) c.fail(`a ${what} record of ${len} bytes`, `a record marker of ${n}`, at);
  if (n < 0 || n > c.remaining) c.fail(`a ${what} record length within the file`, String(n), at);
  return n;
}

function closeRecord(c: BinaryCursor, marker: 4 | 8, what: string, len: number): void {
  const at = c.pos;
  const n = markerAt(c, marker, what);
  if (n !== len) c.fail(`the closing marker ${len} of the ${what} record`, String(n), at);
}

function ascii(u8: Uint8Array): string {
  let s = '';
  for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i] >= 32 && u8[i] < 127 ? u8[i] : 32);
  return s;
}

/** Parses the header records from the first bytes of a file (`size` = whole file size). */
export function parseDcdHeader(head: Uint8Array, file: string, size: number): DcdHeader {
  if (head.length < 12) throw new FormatError(file, { byte: 0 }, 'a DCD header record (marker 84, "CORD")', `${head.length} bytes`);
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const isCord = (o: number) => head[o] === 0x43 && head[o + 1] === 0x4f && head[o + 2] === 0x52 && head[o + 3] === 0x44;
  let little: boolean, marker: 4 | 8;
  if (isCord(4) && dv.getInt32(0, true) === HEADER_PAYLOAD) { little = true; marker = 4; }
  else if (isCord(4) && dv.getInt32(0, false) === HEADER_PAYLOAD) { little = false; marker = 4; }
  else if (isCord(8) && dv.getInt32(0, true) === HEADER_PAYLOAD && dv.getInt32(4, true) === 0) { little = true; marker = 8; }
  else if (isCord(8) && dv.getInt32(4, false) === HEADER_PAYLOAD && dv.getInt32(0, false) === 0) { little = false; marker = 8; }
  else throw new FormatError(file, { byte: 0 }, 'a DCD header record (marker 84 in either byte order, then "CORD")', ascii(head.subarray(0, 12)));
  const c = new BinaryCursor(head, file, 0, little);
  openRecord(c, marker, 'header', HEADER_PAYLOAD);
  const p = c.pos;
  const i32 = (o: number) => dv.getInt32(p + o, little);
  c.need(HEADER_PAYLOAD, 'the header record');
  const nSetDeclared = i32(4), istart = i32(8), nsavc = i32(12), nFixed0 = i32(36);
  const charmmVersion = i32(80);
  const charmm = charmmVersion !== 0;
  const delta = charmm ? dv.getFloat32(p + 40, little) : dv.getFloat64(p + 40, little);
  const hasCell = charmm && i32(44) !== 0;
  const has4d = charmm && i32(48) !== 0;
  c.pos = p + HEADER_PAYLOAD;
  closeRecord(c, marker, 'header', HEADER_PAYLOAD);
  const tLen = openRecord(c, marker, 'title');
  const ntAt = c.pos;
  const nTitles = c.count('title line count', 0, MAX_TITLES);
  if (tLen !== 4 + TITLE_LEN * nTitles) c.fail(`a title record of 4 + 80 x ${nTitles} bytes`, `${tLen} bytes`, ntAt - marker);
  const titles: string[] = [];
  for (let i = 0; i < nTitles; i++) {
    c.need(TITLE_LEN, 'a title line');
    titles.push(ascii(head.subarray(c.pos, c.pos + TITLE_LEN)).trimEnd());
    c.pos += TITLE_LEN;
  }
  closeRecord(c, marker, 'title', tLen);
  openRecord(c, marker, 'atom count', 4);
  // every atom costs at least 12 bytes of frame 0
  const nAtoms = c.count('atom count (NATOM)', 1, Math.floor(size / 12));
  closeRecord(c, marker, 'atom count', 4);
  if (nFixed0 < 0 || nFixed0 >= nAtoms) {
    throw new FormatError(file, { byte: marker + 36 }, `a fixed-atom count in [0, ${nAtoms - 1}]`, String(nFixed0));
  }
  let freeAtoms: Int32Array | null = null;
  if (nFixed0 > 0) {
    const nFree = nAtoms - nFixed0;
    openRecord(c, marker, 'free-atom index', 4 * nFree);
    c.need(4 * nFree, 'the free-atom indices');
    freeAtoms = new Int32Array(nFree);
    for (let i = 0; i < nFree; i++) {
      const at = c.pos;
      const v = c.i32('free-atom index');
      if (v < 1 || v > nAtoms) c.fail(`a free-atom index in [1, ${nAtoms}]`, String(v), at);
      freeAtoms[i] = v - 1;
    }
    closeRecord(c, marker, 'free-atom index', 4 * nFree);
  }
  const rec = (payload: number) => payload + 2 * marker;
  const dims = has4d ? 4 : 3;
  const cellBytes = hasCell ? rec(48) : 0;
  const firstFrameBytes = cellBytes + dims * rec(4 * nAtoms);
  const frameBytes = cellBytes + dims * rec(4 * (nAtoms - nFixed0));
  const firstFrameStart = c.pos;
  const body = size - firstFrameStart;
  let nFrames = 0;
  if (body > 0) {
    if (body < firstFrameBytes) {
      throw new FormatError(file, { frame: 0, byte: firstFrameStart }, `a whole frame of ${firstFrameBytes} bytes`, `end of file after ${body} bytes`);
    }
    const rest = body - firstFrameBytes;
    nFrames = 1 + Math.floor(rest / frameBytes);
    if (rest % frameBytes !== 0) {
      const at = firstFrameStart + firstFrameBytes + (nFrames - 1) * frameBytes;
      throw new FormatError(file, { frame: nFrames, byte: at }, `a whole frame of ${frameBytes} bytes`, `end of file after ${size - at} bytes`);
    }
  }
  const dtPs = nsavc > 0 && Number.isFinite(delta) ? delta * nsavc * AKMA_PS : NaN;
  return {
    file, little, marker, nSetDeclared, istart, nsavc, delta, charmmVersion, hasCell, has4d, nAtoms, nFixed: nFixed0,
    titles, freeAtoms, firstFrameStart, firstFrameBytes, frameBytes, nFrames, dtPs,
  };
}

/** Cell rows (Å) from the six unit-cell slots (formats.md §10 interpretation rules). */
export function dcdCell(s: ArrayLike<number>): Float64Array | null {
  const [s0, s1, s2, s3, s4, s5] = [s[0], s[1], s[2], s[3], s[4], s[5]];
  if (![s0, s1, s2, s3, s4, s5].every(Number.isFinite)) return null;
  if (s0 === 0 && s2 === 0 && s5 === 0) return null;
  const inUnit = (v: number) => v >= -1 && v <= 1;
  if (inUnit(s1) && inUnit(s3) && inUnit(s4)) {
    const deg = (cos: number) => (cos === 0 ? 90 : (Math.acos(cos) * 180) / Math.PI);
    return cellFromParameters(s0, s2, s5, deg(s4), deg(s3), deg(s1));
  }
  if ([s0, s1, s2, s3, s4, s5].some((v) => v < 0) || s1 > 180 || s3 > 180 || s4 > 180) {
    return Float64Array.from([s0, s1, s3, s1, s2, s4, s3, s4, s5]);
  }
  return cellFromParameters(s0, s2, s5, s4, s3, s1);
}

/** Byte range of frame i. */
export function dcdFrameRange(h: DcdHeader, i: number): [number, number] {
  const start = i === 0 ? h.firstFrameStart : h.firstFrameStart + h.firstFrameBytes + (i - 1) * h.frameBytes;
  return [start, start + (i === 0 ? h.firstFrameBytes : h.frameBytes)];
}

/**
 * Decodes frame i from its bytes into `out` (3N positions, Å). For files with fixed atoms,
 * `frame0` (the decoded first frame) supplies the fixed atoms of later frames.
 */
export function decodeDcdFrame(h: DcdHeader, i: number, bytes: Uint8Array, base: number, out: Float64Array,
  frame0?: Float64Array): { cell: Float64Array | null; rawCell: Float64Array | null } {
  const c = new BinaryCursor(bytes, h.file, base, h.little, i);
  let cell: Float64Array | null = null, rawCell: Float64Array | null = null;
  if (h.hasCell) {
    openRecord(c, h.marker, 'unit cell', 48);
    rawCell = new Float64Array(6);
    for (let k = 0; k < 6; k++) rawCell[k] = c.f64('unit cell');
    closeRecord(c, h.marker, 'unit cell', 48);
    cell = dcdCell(rawCell);
  }
  const free = i > 0 ? h.freeAtoms : null;
  const n = free ? free.length : h.nAtoms;
  if (free) {
    if (!frame0) throw new RangeError('a DCD file with fixed atoms needs frame 0 to decode later frames');
    out.set(frame0.subarray(0, 3 * h.nAtoms));
  }
  const axes = ['X', 'Y', 'Z'];
  for (let d = 0; d < 3; d++) {
    openRecord(c, h.marker, `${axes[d]} coordinate`, 4 * n);
    if (free) for (let j = 0; j < n; j++) out[3 * free[j] + d] = c.f32('coordinate');
    else for (let j = 0; j < n; j++) out[3 * j + d] = c.f32('coordinate');
    closeRecord(c, h.marker, `${axes[d]} coordinate`, 4 * n);
  }
  return { cell, rawCell };
}

/** Bytes enough for any sane header (84-byte record, titles, NATOM, free-atom list is read separately). */
const HEAD_READ = 1 << 16;
/** Second attempt: 1000 titles (80 kB) plus a free-atom list of up to ~16 M atoms. */
const HEAD_READ_MAX = 64 << 20;

/** Random access to a DCD file's frames. */
export class DcdFile {
  private frame0: Float64Array | undefined;
  private constructor(readonly src: BinarySource, readonly header: DcdHeader) {}

  static async open(src: BinarySource, o?: RunOptions): Promise<DcdFile> {
    void o;
    let head = await src.read(0, Math.min(src.size, HEAD_READ));
    let h: DcdHeader;
    try {
      h = parseDcdHeader(head, src.name, src.size);
    } catch (e) {
      // a long title or free-atom list: read a larger head (never the whole of a big file)
      if (!(e instanceof FormatError) || head.length === src.size) throw e;
      head = await src.read(0, Math.min(src.size, HEAD_READ_MAX));
      h = parseDcdHeader(head, src.name, src.size);
    }
    const f = new DcdFile(src, h);
    if (h.freeAtoms) {
      f.frame0 = new Float64Array(3 * h.nAtoms);
      await f.readInto(0, f.frame0);
    }
    return f;
  }

  get nAtoms(): number { return this.header.nAtoms; }
  get nFrames(): number { return this.header.nFrames; }

  /** Time of frame k in ps: (ISTART/NSAVC + k) x DELTA x NSAVC AKMA (formats.md §0.2, §10). */
  time(k: number): number | undefined {
    const h = this.header;
    if (!Number.isFinite(h.dtPs) || h.nsavc <= 0) return undefined;
    return (h.istart / h.nsavc + k) * h.dtPs;
  }

  private async readInto(i: number, out: Float64Array): Promise<{ cell: Float64Array | null }> {
    const [s, e] = dcdFrameRange(this.header, i);
    const bytes = await readExact(this.src, s, e, 'a DCD frame', i);
    return decodeDcdFrame(this.header, i, bytes, s, out, this.frame0);
  }

  async readFrame(i: number, out?: Float64Array): Promise<FrameData> {
    checkFrame(i, this.nFrames);
    const positions = out ?? new Float64Array(3 * this.nAtoms);
    const { cell } = await this.readInto(i, positions);
    const fr: FrameData = { positions, cell };
    const t = this.time(i);
    if (t !== undefined) fr.time = t;
    if (this.header.nsavc > 0) fr.step = this.header.istart + i * this.header.nsavc;
    return fr;
  }
}

async function openDcdTrajectory(src: BinarySource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory> {
  const f = await DcdFile.open(src, o);
  const h = f.header;
  const labels = labelsFor(src.name, h.nAtoms, ctx.topology, 'the DCD file');
  const times = [f.time(0) ?? NaN, f.time(1) ?? NaN];
  const notes = labels.notes.slice();
  if (h.nSetDeclared !== h.nFrames) notes.push(`header says ${h.nSetDeclared} frames, the file holds ${h.nFrames}`);
  return {
    name: src.name,
    format: 'dcd',
    nAtoms: h.nAtoms,
    nFrames: h.nFrames,
    species: labels.species,
    types: labels.types,
    ids: labels.ids,
    pbc: h.hasCell ? [true, true, true] : [false, false, false],
    propertyNames: [],
    timestep: intervalOf(times),
    stepInterval: h.nsavc > 0 ? h.nsavc : undefined,
    notes,
    readFrame: (i: number) => f.readFrame(i),
  };
}

export const dcdFormat: FormatProvider = {
  id: 'dcd',
  label: 'DCD (CHARMM/NAMD/LAMMPS)',
  extensions: ['dcd'],
  role: 'trajectory',
  sniff(head: Uint8Array): boolean {
    if (head.length < 12) return false;
    const cord = (o: number) => head[o] === 0x43 && head[o + 1] === 0x4f && head[o + 2] === 0x52 && head[o + 3] === 0x44;
    const le = head[0] === 84 && head[1] === 0 && head[2] === 0 && head[3] === 0;
    const be = head[0] === 0 && head[1] === 0 && head[2] === 0 && head[3] === 84;
    return ((le || be) && cord(4)) || (cord(8) && (le || (head[4] === 0 && head[7] === 84)));
  },
  open: openDcdTrajectory,
};
