/**
 * A least-recently-used cache of decoded frames with a byte budget (style.md smells: never an
 * unbounded frame cache). Frames handed out are copies, so callers may mutate them freely.
 */
import type { FrameData } from '../trajectory.ts';
import { cloneFrame } from './formats/common.ts';

/** Default budget: enough for a few hundred frames of a few thousand atoms. */
export const DEFAULT_CACHE_BYTES = 64 << 20;

function frameBytes(f: FrameData): number {
  let b = f.positions.byteLength + (f.cell?.byteLength ?? 0) + 64;
  if (f.properties) for (const k of Object.keys(f.properties)) b += f.properties[k].byteLength;
  return b;
}

export class FrameCache {
  private readonly map = new Map<number, { f: FrameData; bytes: number }>();
  private used = 0;
  constructor(private readonly budget: number) {}

  get(i: number): FrameData | undefined {
    const e = this.map.get(i);
    if (!e) return undefined;
    this.map.delete(i);
    this.map.set(i, e);
    return cloneFrame(e.f);
  }

  set(i: number, f: FrameData): void {
    const bytes = frameBytes(f);
    if (bytes > this.budget) return;
    const old = this.map.get(i);
    if (old) { this.used -= old.bytes; this.map.delete(i); }
    this.map.set(i, { f: cloneFrame(f), bytes });
    this.used += bytes;
    for (const [k, e] of this.map) {
      if (this.used <= this.budget) break;
      this.map.delete(k);
      this.used -= e.bytes;
    }
  }
}
