/** Test helper: reference_toy_dynsight/balls_7_nvt.gro + .xtc through openTrajectory. */
import { bytesSource, openTrajectory } from '../../../../src/core/io/index.ts';
import type { FrameData } from '../../../../src/core/trajectory.ts';
import { readShared } from '../../../helpers/shared.ts';

export async function readToyFrames(): Promise<{ nAtoms: number; pbc: [boolean, boolean, boolean]; frames: FrameData[] }> {
  const dir = 'reference_toy_dynsight';
  const traj = await openTrajectory([
    bytesSource('balls_7_nvt.gro', readShared('data', dir, 'balls_7_nvt.gro')),
    bytesSource('balls_7_nvt.xtc', readShared('data', dir, 'balls_7_nvt.xtc')),
  ]);
  const frames: FrameData[] = [];
  for (let t = 0; t < traj.nFrames; t++) {
    const f = await traj.readFrame(t);
    frames.push({ positions: f.positions.slice(), cell: f.cell ? f.cell.slice() : null });
  }
  return { nAtoms: traj.nAtoms, pbc: traj.pbc, frames };
}
