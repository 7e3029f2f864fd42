/**
 * Argument helpers shared by the CLI commands: atom index lists, frame slices, and the frames of a
 * trajectory as the plain data the worker jobs take.
 */
import type { Trajectory } from '../core/trajectory.ts';
import type { SoapFrameInput } from '../../workers/soap-jobs.ts';

/** "0-899", "0,5,10-20" -> atom indices (0-based, in the order given); `flag` names the option in errors. */
export function parseIndexList(text: string, nAtoms: number, flag: string): Int32Array {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new RangeError(`${flag}: cannot read "${part.trim()}" (expected N or N-M, comma-separated)`);
    const lo = Number(m[1]), hi = m[2] !== undefined ? Number(m[2]) : lo;
    if (hi < lo) throw new RangeError(`${flag}: empty range "${part.trim()}"`);
    if (hi >= nAtoms) throw new RangeError(`${flag}: atom ${hi} out of range (the trajectory has ${nAtoms} atoms, 0-based)`);
    for (let i = lo; i <= hi; i++) out.push(i);
  }
  return Int32Array.from(out);
}

/** Python-style slice "a:b:step" (any part may be empty, negatives count from the end) -> frame indices. */
export function parseFrameSlice(text: string, nFrames: number): number[] {
  const parts = text.split(':');
  if (parts.length > 3) throw new RangeError(`--frames: expected A:B:STEP, got "${text}"`);
  const int = (s: string | undefined, dflt: number): number => {
    if (s === undefined || s.trim() === '') return dflt;
    const x = Number(s);
    if (!Number.isInteger(x)) throw new RangeError(`--frames: "${s}" is not a whole number`);
    return x;
  };
  const step = int(parts[2], 1);
  if (step <= 0) throw new RangeError('--frames: the step must be positive');
  const norm = (x: number) => Math.min(nFrames, Math.max(0, x < 0 ? x + nFrames : x));
  if (parts.length === 1) {
    const k = int(parts[0], 0);
    const i = k < 0 ? k + nFrames : k;
    if (i < 0 || i >= nFrames) throw new RangeError(`--frames: frame ${k} out of range (${nFrames} frames)`);
    return [i];
  }
  const start = norm(int(parts[0], 0)), stop = norm(int(parts[1], nFrames));
  const out: number[] = [];
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

/** The chosen frames of a trajectory, read one at a time, as the frame input of the SOAP/LODE jobs. */
export async function* trajectoryFrameInputs(traj: Trajectory, frames: readonly number[]): AsyncGenerator<SoapFrameInput> {
  for (const i of frames) {
    const f = await traj.readFrame(i);
    yield { positions: f.positions, cell: f.cell, pbc: traj.pbc };
  }
}
