/**
 * Test-only minimal reader for the generated Cu(211) LAMMPS text dump (`id type x y z`, sorted
 * ids, orthogonal `pp pp pp` box). Used until src/core/io's openTrajectory reads this format;
 * it checks the layout it assumes and fails loudly otherwise.
 */
import { gunzipSync } from 'node:zlib';
import type { FrameData } from '../../../../src/core/trajectory.ts';
import { readShared } from '../../../helpers/shared.ts';

export interface DumpFrames { nAtoms: number; frames: FrameData[] }

/** The first `nFrames` frames of data/generated/cu211_600K_eam.lammpstrj.gz. */
export function readCu211Frames(nFrames: number): DumpFrames {
  const text = new TextDecoder().decode(gunzipSync(readShared('data', 'generated', 'cu211_600K_eam.lammpstrj.gz')));
  let pos = 0;
  const line = (): string => {
    const e = text.indexOf('\n', pos);
    if (e < 0) throw new Error(`cu211 dump: unexpected end at byte ${pos}`);
    const s = text.slice(pos, e); pos = e + 1; return s;
  };
  const frames: FrameData[] = [];
  let nAtoms = 0;
  for (let f = 0; f < nFrames; f++) {
    if (line() !== 'ITEM: TIMESTEP') throw new Error(`cu211 dump: frame ${f} header`);
    line();
    if (line() !== 'ITEM: NUMBER OF ATOMS') throw new Error('cu211 dump: atoms header');
    nAtoms = Number(line());
    if (line() !== 'ITEM: BOX BOUNDS pp pp pp') throw new Error('cu211 dump: expected an orthogonal periodic box');
    const b = [line(), line(), line()].map((s) => s.trim().split(/\s+/).map(Number));
    if (line() !== 'ITEM: ATOMS id type x y z') throw new Error('cu211 dump: expected columns id type x y z');
    const p = new Float64Array(3 * nAtoms);
    for (let i = 0; i < nAtoms; i++) {
      const t = line().split(' ');
      if (Number(t[0]) !== i + 1) throw new Error(`cu211 dump: ids not sorted at frame ${f}`);
      p[3 * i] = Number(t[2]); p[3 * i + 1] = Number(t[3]); p[3 * i + 2] = Number(t[4]);
    }
    const cell = new Float64Array([b[0][1] - b[0][0], 0, 0, 0, b[1][1] - b[1][0], 0, 0, 0, b[2][1] - b[2][0]]);
    const origin = new Float64Array([b[0][0], b[1][0], b[2][0]]);
    frames.push({ positions: p, cell, origin });
  }
  return { nAtoms, frames };
}
