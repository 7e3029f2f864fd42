/**
 * Text scanning on bytes (style.md core/io): lines and whitespace-separated fields are located as
 * byte ranges in Uint8Array chunks, never as one string for the whole file. Numbers are parsed
 * straight from the bytes and agree exactly with Number() on decimal literals.
 */
import type { ByteSource } from './source.ts';
import { FormatError } from '../errors.ts';
import { checkpoint, createReporter, throwIfCancelled, type RunOptions } from '../progress.ts';

const NL = 10, CR = 13, SP = 32, TAB = 9;

/** Default chunk for streaming reads: large enough that per-chunk overhead vanishes. */
export const CHUNK_BYTES = 4 << 20;
/**
 * Longest text line accepted (far above any real trajectory line). Binary data read as text would
 * otherwise make one "line" of the whole file, re-copied at every chunk.
 */
export const MAX_LINE_BYTES = 16 << 20;

const latin1 = new TextDecoder('latin1');

/** Bytes [s, e) of buf as a string (latin1: one char per byte, never throws). */
export function bytesToString(buf: Uint8Array, s: number, e: number): string {
  return latin1.decode(buf.subarray(s, e));
}

function isSpace(c: number): boolean {
  return c === SP || c === TAB || c === CR || c === 11 || c === 12;
}

/**
 * Streaming line reader over a ByteSource for the indexing pass. After `next()` returns true,
 * `buf[start, end)` is the line without its terminator, `offset` its absolute byte position and
 * `line` its 1-based number. `skip(n)` jumps over n lines with a native byte search.
 */
export class LineReader {
  buf: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
  offset = 0;
  line = 0;
  private pos = 0;          // next unread position in buf
  private bufOffset = 0;    // absolute offset of buf[0]
  private fileOffset = 0;   // next byte to read from the source
  private readonly report: (done: number) => void;

  constructor(readonly src: ByteSource, private readonly o?: RunOptions, private readonly chunk = CHUNK_BYTES,
    stage = 'indexing') {
    this.report = createReporter(o, stage, src.size);
  }

  /** Absolute byte position of the next unread line. */
  get position(): number { return this.bufOffset + this.pos; }

  get atEnd(): boolean { return this.pos >= this.buf.length && this.fileOffset >= this.src.size; }

  private async more(): Promise<boolean> {
    if (this.fileOffset >= this.src.size) return false;
    // Yield (so a cancel can arrive) between chunks; the first chunk only checks the signal, so
    // small files never wait for the event loop.
    if (this.fileOffset > 0) await checkpoint(this.o);
    else throwIfCancelled(this.o);
    const next = await this.src.read(this.fileOffset, Math.min(this.src.size, this.fileOffset + this.chunk));
    if (next.length === 0) { this.fileOffset = this.src.size; return false; }
    this.fileOffset += next.length;
    const rest = this.buf.length - this.pos;
    if (rest > MAX_LINE_BYTES) {
      throw new FormatError(this.src.name, { line: this.line + 1 }, `text lines shorter than ${MAX_LINE_BYTES >> 20} MiB`,
        'a longer line (binary data, or not a text trajectory?)');
    }
    if (rest === 0) {
      this.buf = next;
    } else {
      const joined = new Uint8Array(rest + next.length);
      joined.set(this.buf.subarray(this.pos), 0);
      joined.set(next, rest);
      this.buf = joined;
    }
    this.bufOffset += this.pos;
    this.pos = 0;
    this.report(this.fileOffset);
    return true;
  }

  /** Reads the next line; false at the end of the source. */
  async next(): Promise<boolean> {
    for (;;) {
      const nl = this.buf.indexOf(NL, this.pos);
      if (nl >= 0) {
        this.start = this.pos;
        this.end = nl > this.pos && this.buf[nl - 1] === CR ? nl - 1 : nl;
        this.offset = this.bufOffset + this.pos;
        this.pos = nl + 1;
        this.line++;
        return true;
      }
      if (!(await this.more())) {
        if (this.pos >= this.buf.length) return false;
        this.start = this.pos;
        this.end = this.buf.length;
        if (this.end > this.start && this.buf[this.end - 1] === CR) this.end--;
        this.offset = this.bufOffset + this.pos;
        this.pos = this.buf.length;
        this.line++;
        return true;
      }
    }
  }

  /** Skips up to n lines; returns how many were skipped (fewer only at the end of the source). */
  async skip(n: number): Promise<number> {
    let done = 0;
    while (done < n) {
      // A plain byte loop: per-line indexOf calls cost more than they save on short lines.
      const buf = this.buf, len = buf.length, before = done;
      let p = this.pos, lineStart = p;
      while (p < len) {
        if (buf[p++] === NL) {
          lineStart = p;
          if (++done === n) break;
        }
      }
      this.line += done - before;
      // keep an unterminated last line in the buffer: the next chunk continues it
      this.pos = lineStart;
      if (done === n) break;
      if (!(await this.more())) {
        if (this.pos < this.buf.length) { this.pos = this.buf.length; done++; this.line++; }
        break;
      }
    }
    return done;
  }

  /** The current line as a string (headers, messages). */
  text(): string { return bytesToString(this.buf, this.start, this.end); }

  /** True when the current line holds only whitespace. */
  blank(): boolean { return isBlank(this.buf, this.start, this.end); }
}

export function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isSpace(buf[i])) return false;
  return true;
}

/**
 * Synchronous line iteration over bytes already in memory (one frame when decoding).
 * `line` starts at firstLine - 1 so the first `next()` gives firstLine.
 */
export class LineCursor {
  start = 0;
  end = 0;
  line: number;
  private pos = 0;
  constructor(readonly buf: Uint8Array, firstLine = 1) { this.line = firstLine - 1; }

  get atEnd(): boolean { return this.pos >= this.buf.length; }

  next(): boolean {
    if (this.pos >= this.buf.length) return false;
    let nl = this.buf.indexOf(NL, this.pos);
    if (nl < 0) nl = this.buf.length;
    this.start = this.pos;
    this.end = nl > this.pos && this.buf[nl - 1] === CR ? nl - 1 : nl;
    this.pos = nl + 1;
    this.line++;
    return true;
  }

  text(): string { return bytesToString(this.buf, this.start, this.end); }
  blank(): boolean { return isBlank(this.buf, this.start, this.end); }
}

/** Whitespace-separated fields of one line, as byte ranges; the arrays grow and are reused. */
export class Fields {
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  count = 0;
  buf: Uint8Array = new Uint8Array(0);

  split(buf: Uint8Array, s: number, e: number): number {
    this.buf = buf;
    let n = 0, i = s;
    for (;;) {
      while (i < e && isSpace(buf[i])) i++;
      if (i >= e) break;
      const f = i;
      while (i < e && !isSpace(buf[i])) i++;
      if (n === this.starts.length) {
        const s2 = new Int32Array(n * 2); s2.set(this.starts); this.starts = s2;
        const e2 = new Int32Array(n * 2); e2.set(this.ends); this.ends = e2;
      }
      this.starts[n] = f;
      this.ends[n] = i;
      n++;
    }
    this.count = n;
    return n;
  }

  text(k: number): string { return bytesToString(this.buf, this.starts[k], this.ends[k]); }
  number(k: number): number { return parseNumber(this.buf, this.starts[k], this.ends[k]); }
  int(k: number): number { return parseInteger(this.buf, this.starts[k], this.ends[k]); }
}

/** Exact powers of ten: every 10^k with k <= 22 is representable in a double. */
const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let i = 1; i < 23; i++) POW10[i] = POW10[i - 1] * 10;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a decimal number from bytes [s, e); NaN when it is not one. The fast path is exact:
 * with at most 15 significant digits the mantissa is an exact integer and one multiplication or
 * division by an exact power of ten is correctly rounded (Clinger 1990), which is what Number()
 * returns. Everything else (long mantissas, large exponents, inf/nan words) goes through Number()
 * after a strict syntax check, so hex, binary, "" and "Infinity" are rejected as not decimal.
 */
export function parseNumber(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (i < e && (buf[i] === 45 || buf[i] === 43)) { neg = buf[i] === 45; i++; }
  let mant = 0, digits = 0, scale = 0, any = false;
  while (i < e) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    any = true;
    if (digits > 0 || c !== 0) { mant = mant * 10 + c; digits++; }
    i++;
  }
  if (i < e && buf[i] === 46) {
    i++;
    while (i < e) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      any = true;
      if (digits > 0 || c !== 0) { mant = mant * 10 + c; digits++; }
      scale--;
      i++;
    }
  }
  if (!any) return NaN;
  if (i < e && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (buf[i] === 45 || buf[i] === 43)) { eneg = buf[i] === 45; i++; }
    let ex = 0, eany = false;
    while (i < e) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      eany = true;
      if (ex < 100000) ex = ex * 10 + c;
      i++;
    }
    if (!eany) return NaN;
    scale += eneg ? -ex : ex;
  }
  if (i !== e) return NaN;
  if (digits <= 15 && scale >= -22 && scale <= 22) {
    const v = scale >= 0 ? mant * POW10[scale] : mant / POW10[-scale];
    return neg ? -v : v;
  }
  return slowNumber(buf, s, e);
}

function slowNumber(buf: Uint8Array, s: number, e: number): number {
  const t = bytesToString(buf, s, e);
  return DECIMAL.test(t) ? Number(t) : NaN;
}

/** Parses a decimal integer (optional sign); NaN when the field is not an integer. */
export function parseInteger(buf: Uint8Array, s: number, e: number): number {
  let i = s, neg = false;
  if (i < e && (buf[i] === 45 || buf[i] === 43)) { neg = buf[i] === 45; i++; }
  if (i >= e) return NaN;
  let v = 0;
  for (; i < e; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  if (v > Number.MAX_SAFE_INTEGER) return NaN;
  return neg ? -v : v;
}

/** Parses a number from a JS string with the same rules as parseNumber. */
export function parseNumberText(t: string): number {
  const s = t.trim();
  return DECIMAL.test(s) ? Number(s) : NaN;
}
