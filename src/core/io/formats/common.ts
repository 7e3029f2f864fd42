/** Helpers shared by the text readers. */
import { FormatError, quoteFound } from '../../errors.ts';
import type { ByteSource } from '../source.ts';
import type { FrameIndex } from '../frame-index.ts';
import { LineCursor } from '../text.ts';
import type { FrameData } from '../../trajectory.ts';

/** A FormatError at a 1-based line; `found` is quoted and shortened. */
export function lineError(file: string, line: number, expected: string, found: string): FormatError {
  return new FormatError(file, { line }, expected, quoteFound(found));
}

/** A FormatError for an unexpected end of file. */
export function eofError(file: string, line: number, expected: string): FormatError {
  return new FormatError(file, { line }, expected, 'end of file');
}

/**
 * The atom-count line that opens a frame of an XYZ or GRO file: an integer, the same in every frame.
 * `n` is frame 0's count (negative before it is known); returns the count.
 */
export function atomCountLine(file: string, line: number, text: string, n: number, frame: number): number {
  const t = text.trim();
  const count = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(count)) throw lineError(file, line, 'the number of atoms (an integer line)', t);
  if (n >= 0 && count !== n) throw lineError(file, line, `${n} atoms (as in frame 0)`, `${count} atoms in frame ${frame}`);
  return count;
}

/** Checks a frame number against the index (RangeError: a bad argument, not bad input). */
export function checkFrame(i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`frame ${i} out of range [0, ${n})`);
}

/** Reads frame i's bytes and returns a cursor whose first line is the frame's first line. */
export async function frameCursor(src: ByteSource, index: FrameIndex, i: number): Promise<LineCursor> {
  const bytes = await src.read(index.byteStart[i], index.byteEnd[i]);
  return new LineCursor(bytes, index.firstLine[i]);
}

/** Frame data for a single-frame file decoded at open (copies so callers may mutate). */
export function cloneFrame(f: FrameData): FrameData {
  const out: FrameData = { positions: f.positions.slice(), cell: f.cell ? f.cell.slice() : null };
  if (f.origin) out.origin = f.origin.slice();
  if (f.time !== undefined) out.time = f.time;
  if (f.step !== undefined) out.step = f.step;
  if (f.info) out.info = { ...f.info };
  if (f.properties) {
    out.properties = {};
    for (const k of Object.keys(f.properties)) out.properties[k] = f.properties[k].slice();
  }
  return out;
}

/** Time between the first two frames when both are known and distinct. */
export function intervalOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || a === b) return undefined;
  return b - a;
}

/** ASCII test of a byte prefix, ignoring leading whitespace. */
export function startsWithText(head: Uint8Array, s: string, from = 0): boolean {
  let i = from;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  if (head.length - i < s.length) return false;
  for (let k = 0; k < s.length; k++) if (head[i + k] !== s.charCodeAt(k)) return false;
  return true;
}

/** Lines of a head buffer as strings (for sniffing only). */
export function headLines(head: Uint8Array, max = 12): string[] {
  const t = new TextDecoder('latin1').decode(head);
  const lines = t.split('\n');
  if (head.length >= 4096) lines.pop(); // the last one may be cut
  return lines.slice(0, max).map((l) => l.replace(/\r$/, ''));
}

/**
 * Frame 0's per-atom names as bytes, to check cheaply that later frames list the same atoms in
 * the same order (formats.md §0.1: "N and the atom order must be constant across frames").
 */
export class NameTable {
  private readonly bytes: Uint8Array;
  private readonly off: Int32Array;
  constructor(names: readonly string[]) {
    let total = 0;
    for (const s of names) total += s.length;
    this.bytes = new Uint8Array(total);
    this.off = new Int32Array(names.length + 1);
    let p = 0;
    names.forEach((s, k) => {
      for (let i = 0; i < s.length; i++) this.bytes[p++] = s.charCodeAt(i) & 0xff;
      this.off[k + 1] = p;
    });
  }

  /** True when bytes [s, e) of buf, spaces trimmed, equal name k. */
  matches(k: number, buf: Uint8Array, s: number, e: number): boolean {
    while (s < e && buf[s] === 32) s++;
    while (e > s && buf[e - 1] === 32) e--;
    const a = this.off[k], b = this.off[k + 1];
    if (e - s !== b - a) return false;
    for (let i = 0; i < b - a; i++) if (buf[s + i] !== this.bytes[a + i]) return false;
    return true;
  }

  name(k: number): string {
    return String.fromCharCode(...this.bytes.subarray(this.off[k], this.off[k + 1]));
  }
}
