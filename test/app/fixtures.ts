import type { FrameData, TrajectoryHeader } from '../../src/core/trajectory.ts';
import { loadedTrajectory, type LoadedTrajectory } from '../../src/app/store.ts';

/** A small hand-made header (the app tests exercise UI state, not readers). */
export function header(over: Partial<TrajectoryHeader> = {}): TrajectoryHeader {
  return {
    name: 'toy.xyz', format: 'xyz', nAtoms: 3, nFrames: 4, species: ['O', 'H', 'H'], ids: Int32Array.from([1, 2, 3]),
    pbc: [false, false, false], propertyNames: [], ...over,
  };
}

export function traj(handle = 1, over: Partial<TrajectoryHeader> = {}): LoadedTrajectory {
  return loadedTrajectory(header(over), handle, []);
}

/** Frame i of the toy: atom a at (i + a, 0, 0); optional per-atom property `q`. */
export function frame(i: number, n = 3, q?: number[]): FrameData {
  const positions = new Float64Array(3 * n);
  for (let a = 0; a < n; a++) positions[3 * a] = i + a;
  const f: FrameData = { positions, cell: null, time: i * 0.5 };
  if (q) f.properties = { q: Float64Array.from(q) };
  return f;
}
