/** Small text formatters shared by the panels. */

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtNum(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(digits - 1);
  return x.toFixed(digits);
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** "frame 3 / 20" (1-based for people). */
export function frameCounterText(index: number, nFrames: number): string {
  return nFrames > 0 ? `frame ${index + 1} / ${nFrames}` : 'no frames';
}

/** Time of a frame in ps: the frame's own time, else index x timestep, else null. */
export function frameTimePs(index: number, frameTime: number | undefined, timestep: number | undefined): number | null {
  if (frameTime !== undefined && Number.isFinite(frameTime)) return frameTime;
  if (timestep !== undefined && Number.isFinite(timestep)) return index * timestep;
  return null;
}
