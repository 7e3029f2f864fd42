/** A growable frame index: byte range and first line (1-based) of each frame of a text file. */
export class FrameIndexBuilder {
  private start = new Float64Array(64);
  private line = new Float64Array(64);
  count = 0;

  push(byteStart: number, firstLine: number): void {
    if (this.count === this.start.length) {
      const s = new Float64Array(this.count * 2); s.set(this.start); this.start = s;
      const l = new Float64Array(this.count * 2); l.set(this.line); this.line = l;
    }
    this.start[this.count] = byteStart;
    this.line[this.count] = firstLine;
    this.count++;
  }

  /** Freezes the index; `end` is the byte where the last frame ends. */
  finish(end: number): FrameIndex {
    const n = this.count;
    const byteStart = this.start.slice(0, n);
    const byteEnd = new Float64Array(n);
    for (let i = 0; i < n; i++) byteEnd[i] = i + 1 < n ? byteStart[i + 1] : end;
    return { nFrames: n, byteStart, byteEnd, firstLine: this.line.slice(0, n) };
  }
}

export interface FrameIndex {
  nFrames: number;
  /** Absolute byte offset where frame i starts / ends (exclusive). */
  byteStart: Float64Array;
  byteEnd: Float64Array;
  /** 1-based line number of the first line of frame i (text formats). */
  firstLine: Float64Array;
}
