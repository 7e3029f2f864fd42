/**
 * bzip2 decompressor (formats.md §0.4), written from the format description: a stream is "BZh"
 * plus a block-size digit, then blocks (48-bit magic 0x314159265359, CRC, origin pointer, symbol
 * map, Huffman tables with MTF-coded selectors, Huffman-coded MTF/run-length symbols), inverse
 * Burrows-Wheeler transform, and a final run-length stage; the end-of-stream magic 0x177245385090
 * carries the combined CRC. Streams may be concatenated (multi-stream files).
 *
 * Every inconsistency (bad magic, bad table, index out of range, CRC mismatch, truncation) throws a
 * FormatError naming the compressed byte offset. Input is pushed in chunks; a block is decoded once
 * enough bytes for the largest possible block are buffered (or the input is final).
 */
import { FormatError } from '../errors.ts';

/** Bytes of compressed input that always hold a whole block (900k symbols x 20 bits + tables). */
const MAX_BLOCK_BYTES = 3 << 20;
const MAX_GROUPS = 6, MIN_GROUPS = 2, GROUP_SIZE = 50, MAX_CODE_LEN = 20, MAX_SELECTORS = 32767;
const OUT_FLUSH = 1 << 20;
/** Bits of the Huffman fast lookup table (codes up to this length decode in one step). */
const LOOKUP_BITS = 10;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

class Truncated extends Error {}

export class Bzip2Decoder {
  private data = new Uint8Array(0);
  private bytePos = 0;
  private bitOff = 0;
  private base = 0;            // absolute offset of data[0]
  private state: 'header' | 'blocks' | 'between' = 'header';
  private blockMax = 0;
  private combined = 0;
  private streams = 0;
  private out = new Uint8Array(OUT_FLUSH);
  private outFill = 0;
  private tt: Int32Array = new Int32Array(0);
  private block: Uint8Array = new Uint8Array(0);

  constructor(private readonly file: string, private readonly onData: (chunk: Uint8Array) => void) {}

  private fail(expected: string, found: string): never {
    throw new FormatError(this.file, { byte: this.base + this.bytePos }, expected, found);
  }

  /** Adds compressed bytes; decodes every block that is certainly complete. */
  push(chunk: Uint8Array, final: boolean): void {
    const rest = this.data.length - this.bytePos;
    const joined = new Uint8Array(rest + chunk.length);
    joined.set(this.data.subarray(this.bytePos), 0);
    joined.set(chunk, rest);
    this.base += this.bytePos;
    this.data = joined;
    this.bytePos = 0;
    this.run(final);
  }

  /** Ends the input: a stream cut short is an error. */
  finish(): void {
    this.run(true);
    if (this.state === 'blocks') this.fail('bzip2 end-of-stream marker', 'end of file (truncated)');
    if (this.streams === 0) this.fail('bzip2 stream header "BZh"', 'end of file');
    this.flush();
  }

  private run(final: boolean): void {
    for (;;) {
      const avail = this.data.length - this.bytePos;
      if (!final && avail < MAX_BLOCK_BYTES) return;
      if (this.state === 'between') {
        // After a stream: another "BZh", or zero padding to the end.
        if (this.bitOff !== 0) { this.bitOff = 0; this.bytePos++; }
        if (this.bytePos >= this.data.length) return;
        if (this.data[this.bytePos] === 0) {
          let k = this.bytePos;
          while (k < this.data.length && this.data[k] === 0) k++;
          if (k === this.data.length) { this.bytePos = k; return; }
          this.bytePos = k;
        }
        this.state = 'header';
      }
      const save = [this.bytePos, this.bitOff];
      try {
        if (this.state === 'header') {
          if (this.data.length - this.bytePos < 4) {
            if (final && this.data.length > this.bytePos) this.fail('bzip2 stream header "BZh1".."BZh9"', 'end of file');
            return;
          }
          const d = this.data, p = this.bytePos;
          if (d[p] !== 0x42 || d[p + 1] !== 0x5a || d[p + 2] !== 0x68 || d[p + 3] < 0x31 || d[p + 3] > 0x39) {
            this.fail('bzip2 stream header "BZh1".."BZh9"', `bytes ${Array.from(d.subarray(p, p + 4), (x) => x.toString(16)).join(' ')}`);
          }
          this.blockMax = (d[p + 3] - 0x30) * 100000;
          this.bytePos += 4;
          this.bitOff = 0;
          this.combined = 0;
          this.streams++;
          this.state = 'blocks';
          continue;
        }
        const hi = this.bits(24), lo = this.bits(24);
        if (hi === 0x314159 && lo === 0x265359) {
          this.decodeBlock();
        } else if (hi === 0x177245 && lo === 0x385090) {
          const crc = this.bits32();
          if (crc !== this.combined >>> 0) this.fail(`stream CRC ${hex(crc)}`, `computed ${hex(this.combined >>> 0)}`);
          this.state = 'between';
        } else {
          this.fail('bzip2 block or end-of-stream magic', `${hex(hi)}${hex(lo).slice(2)}`);
        }
      } catch (e) {
        if (!(e instanceof Truncated)) throw e;
        if (final) {
          this.bytePos = save[0]; this.bitOff = save[1];
          this.fail('more bzip2 data', 'end of file (truncated stream)');
        }
        this.bytePos = save[0]; this.bitOff = save[1];
        return;
      }
    }
  }

  private bits(n: number): number {
    let v = 0;
    while (n > 0) {
      if (this.bytePos >= this.data.length) throw new Truncated();
      const avail = 8 - this.bitOff;
      const take = avail < n ? avail : n;
      v = (v << take) | ((this.data[this.bytePos] >>> (avail - take)) & ((1 << take) - 1));
      n -= take;
      this.bitOff += take;
      if (this.bitOff === 8) { this.bitOff = 0; this.bytePos++; }
    }
    return v;
  }

  /** The next LOOKUP_BITS bits without consuming them (zeros past the end of the data). */
  private peek(): number {
    const d = this.data, p = this.bytePos;
    const w = ((d[p] ?? 0) << 16) | ((d[p + 1] ?? 0) << 8) | (d[p + 2] ?? 0);
    return (w >>> (24 - LOOKUP_BITS - this.bitOff)) & ((1 << LOOKUP_BITS) - 1);
  }

  private bitsLeft(): number {
    return (this.data.length - this.bytePos) * 8 - this.bitOff;
  }

  private bit(): number {
    if (this.bytePos >= this.data.length) throw new Truncated();
    const v = (this.data[this.bytePos] >>> (7 - this.bitOff)) & 1;
    if (++this.bitOff === 8) { this.bitOff = 0; this.bytePos++; }
    return v;
  }

  private bits32(): number {
    return ((this.bits(16) << 16) | this.bits(16)) >>> 0;
  }

  private decodeBlock(): void {
    const blockCrc = this.bits32();
    if (this.bit()) this.fail('a non-randomised bzip2 block', 'randomised block (obsolete, unsupported)');
    const origPtr = this.bits(24);
    // Symbol map: 16 groups of 16 byte values.
    const used = this.bits(16);
    const seqToUnseq = new Uint8Array(256);
    let nInUse = 0;
    for (let i = 0; i < 16; i++) {
      if (used & (0x8000 >>> i)) {
        const m = this.bits(16);
        for (let j = 0; j < 16; j++) if (m & (0x8000 >>> j)) seqToUnseq[nInUse++] = i * 16 + j;
      }
    }
    if (nInUse === 0) this.fail('at least one symbol in use', 'empty symbol map');
    const alphaSize = nInUse + 2;
    const nGroups = this.bits(3);
    if (nGroups < MIN_GROUPS || nGroups > MAX_GROUPS) this.fail('2..6 Huffman groups', String(nGroups));
    const nSelectors = this.bits(15);
    if (nSelectors < 1 || nSelectors > MAX_SELECTORS) this.fail('at least one selector', String(nSelectors));
    const selectors = new Uint8Array(nSelectors);
    const mtfGroups = [0, 1, 2, 3, 4, 5];
    for (let i = 0; i < nSelectors; i++) {
      let j = 0;
      while (this.bit()) { j++; if (j >= nGroups) this.fail(`selector index < ${nGroups}`, String(j)); }
      const v = mtfGroups[j];
      for (let k = j; k > 0; k--) mtfGroups[k] = mtfGroups[k - 1];
      mtfGroups[0] = v;
      selectors[i] = v;
    }
    // Code lengths, delta coded.
    const limit: Int32Array[] = [], first: Int32Array[] = [], count: Int32Array[] = [], perm: Int32Array[] = [];
    const minLens = new Int32Array(nGroups), maxLens = new Int32Array(nGroups);
    const tables: Int32Array[] = [];
    const len = new Uint8Array(alphaSize);
    for (let t = 0; t < nGroups; t++) {
      let curr = this.bits(5);
      for (let s = 0; s < alphaSize; s++) {
        for (;;) {
          if (curr < 1 || curr > MAX_CODE_LEN) this.fail(`Huffman code length 1..${MAX_CODE_LEN}`, String(curr));
          if (!this.bit()) break;
          curr += this.bit() ? -1 : 1;
        }
        len[s] = curr;
      }
      let minL = MAX_CODE_LEN, maxL = 0;
      for (let s = 0; s < alphaSize; s++) { if (len[s] < minL) minL = len[s]; if (len[s] > maxL) maxL = len[s]; }
      const cnt = new Int32Array(MAX_CODE_LEN + 2), fst = new Int32Array(MAX_CODE_LEN + 2), idx = new Int32Array(MAX_CODE_LEN + 2);
      const pm = new Int32Array(alphaSize);
      let p = 0;
      for (let l = minL; l <= maxL; l++) for (let s = 0; s < alphaSize; s++) if (len[s] === l) { pm[p++] = s; cnt[l]++; }
      let code = 0, at = 0;
      for (let l = minL; l <= maxL; l++) { fst[l] = code; idx[l] = at; code = (code + cnt[l]) << 1; at += cnt[l]; }
      limit.push(idx); first.push(fst); count.push(cnt); perm.push(pm);
      minLens[t] = minL; maxLens[t] = maxL;
      // Fast table: every LOOKUP_BITS-bit prefix that starts with a code of <= LOOKUP_BITS bits
      // maps to (symbol << 5 | length); 0 sends longer codes to the bit-by-bit path.
      const table = new Int32Array(1 << LOOKUP_BITS);
      for (let l = minL; l <= Math.min(maxL, LOOKUP_BITS); l++) {
        for (let d = 0; d < cnt[l]; d++) {
          const code = fst[l] + d;
          if (code >= 1 << l) continue; // over-subscribed lengths: left to the slow path's checks
          const from = code << (LOOKUP_BITS - l), to = (code + 1) << (LOOKUP_BITS - l);
          table.fill((pm[idx[l] + d] << 5) | l, from, to);
        }
      }
      tables.push(table);
    }
    // Huffman + MTF + RUNA/RUNB decoding into the BWT block.
    // The block buffer grows by doubling (small files never allocate the 900 kB maximum).
    let block: Uint8Array = this.block;
    const mtf = new Uint8Array(256);
    for (let i = 0; i < 256; i++) mtf[i] = i;
    const unzftab = new Int32Array(256);
    const EOB = nInUse + 1;
    let n = 0, groupNo = -1, groupLeft = 0, runAcc = 0, runN = 1, inRun = false;
    let g = 0;
    for (;;) {
      if (groupLeft === 0) {
        groupNo++;
        if (groupNo >= nSelectors) this.fail('more selectors', `more than ${nSelectors} symbol groups`);
        g = selectors[groupNo];
        groupLeft = GROUP_SIZE;
      }
      groupLeft--;
      let sym = -1;
      const e = tables[g][this.peek()];
      if (e !== 0 && this.bitsLeft() >= (e & 31)) {
        sym = e >>> 5;
        const off = this.bitOff + (e & 31);
        this.bytePos += off >>> 3;
        this.bitOff = off & 7;
      } else {
        const minL = minLens[g], maxL = maxLens[g], fst = first[g], cnt = count[g], idx = limit[g], pm = perm[g];
        let l = minL, v = this.bits(minL);
        for (;;) {
          const d = v - fst[l];
          if (d >= 0 && d < cnt[l]) { sym = pm[idx[l] + d]; break; }
          if (++l > maxL) this.fail('a valid Huffman code', 'undecodable bits');
          v = (v << 1) | this.bit();
        }
      }
      if (sym <= 1) {
        if (!inRun) { inRun = true; runAcc = 0; runN = 1; }
        runAcc += sym === 0 ? runN : 2 * runN;
        runN *= 2;
        if (runAcc > this.blockMax) this.fail(`a block of at most ${this.blockMax} bytes`, 'a longer run');
        continue;
      }
      if (inRun) {
        inRun = false;
        if (n + runAcc > this.blockMax) this.fail(`a block of at most ${this.blockMax} bytes`, 'more data');
        const b = seqToUnseq[mtf[0]];
        unzftab[b] += runAcc;
        if (n + runAcc > block.length) block = this.grow(n + runAcc, n);
        block.fill(b, n, n + runAcc);
        n += runAcc;
      }
      if (sym === EOB) break;
      const k = sym - 1;
      if (k >= nInUse) this.fail(`MTF index < ${nInUse}`, String(k));
      const v2 = mtf[k];
      if (k < 16) { for (let j = k; j > 0; j--) mtf[j] = mtf[j - 1]; } else mtf.copyWithin(1, 0, k);
      mtf[0] = v2;
      if (n >= this.blockMax) this.fail(`a block of at most ${this.blockMax} bytes`, 'more data');
      const b = seqToUnseq[v2];
      unzftab[b]++;
      if (n >= block.length) block = this.grow(n + 1, n);
      block[n++] = b;
    }
    if (origPtr >= n) this.fail(`origin pointer < ${n}`, String(origPtr));
    // Inverse BWT: tt[cumulative count of byte] = position.
    const cftab = new Int32Array(257);
    for (let i = 0; i < 256; i++) cftab[i + 1] = cftab[i] + unzftab[i];
    if (this.tt.length < n) this.tt = new Int32Array(Math.min(this.blockMax, Math.max(n, 2 * this.tt.length)));
    const tt = this.tt;
    for (let i = 0; i < n; i++) tt[cftab[block[i]]++] = i;
    // Walk the BWT and undo the initial run-length stage (4 equal bytes + a repeat count).
    let crc = 0xffffffff;
    let tPos = tt[origPtr];
    let last = -1, same = 0;
    let out = this.out, fill = this.outFill;
    const cap = out.length;
    for (let k = 0; k < n; k++) {
      const b = block[tPos];
      tPos = tt[tPos];
      if (same === 4) {
        for (let r = 0; r < b; r++) {
          crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ last) & 0xff];
          if (fill === cap) { this.outFill = fill; this.flush(); out = this.out; fill = 0; }
          out[fill++] = last;
        }
        same = 0;
        last = -1;
        continue;
      }
      if (b === last) same++; else { last = b; same = 1; }
      crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff];
      if (fill === cap) { this.outFill = fill; this.flush(); out = this.out; fill = 0; }
      out[fill++] = b;
    }
    this.outFill = fill;
    crc = ~crc >>> 0;
    if (crc !== blockCrc) this.fail(`block CRC ${hex(blockCrc)}`, `computed ${hex(crc)} (corrupt data)`);
    this.combined = (((this.combined << 1) | (this.combined >>> 31)) ^ crc) >>> 0;
  }

  /** Grows the block buffer to at least `size` (doubling, capped at the block size), keeping n bytes. */
  private grow(size: number, n: number): Uint8Array {
    const grown = new Uint8Array(Math.min(this.blockMax, Math.max(size, 2 * this.block.length, 1 << 16)));
    grown.set(this.block.subarray(0, n));
    this.block = grown;
    return grown;
  }

  private flush(): void {
    if (this.outFill === 0) return;
    this.onData(this.out.slice(0, this.outFill));
    this.outFill = 0;
  }
}

function hex(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

/** Decompresses a whole bzip2 buffer (tests, small files). */
export function bunzip2(bytes: Uint8Array, file = 'data.bz2'): Uint8Array {
  const parts: Uint8Array[] = [];
  const d = new Bzip2Decoder(file, (c) => parts.push(c));
  d.push(bytes, true);
  d.finish();
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
