/** Test helper: the first frames of data/generated/cu211_600K_eam.lammpstrj.gz through openTrajectory. */
import { bytesSource, openTrajectory } from '../../../../src/core/io/index.ts';
import type { FrameData } from '../../../../src/core/trajectory.ts';
import { readShared } from '../../../helpers/shared.ts';

export async function readCu211Frames(nFrames: number): Promise<{ nAtoms: number; pbc: [boolean, boolean, boolean]; frames: FrameData[] }> {
  const name = 'cu211_600K_eam.lammpstrj.gz';
  const traj = await openTrajectory([bytesSource(name, readShared('data', 'generated', name))]);
  const frames: FrameData[] = [];
  for (let t = 0; t < nFrames; t++) {
    const f = await traj.readFrame(t);
    // Copies: the reader's frame cache may hand out shared buffers.
    frames.push({ positions: f.positions.slice(), cell: f.cell ? f.cell.slice() : null, origin: f.origin ? f.origin.slice() : null });
  }
  return { nAtoms: traj.nAtoms, pbc: traj.pbc, frames };
}
