import { gunzipSync, gzipSync } from 'node:zlib';
import { readShared } from '../helpers/shared.ts';

/**
 * Real trajectories for the end-to-end tests, cut in memory from ../shared/data/generated (our own
 * MD output) so nothing is copied into the repository.
 */

/** The first `nFrames` frames of a text trajectory whose frames each have `linesPerFrame` lines. */
function firstLines(text: string, nLines: number): string {
  let pos = 0;
  for (let i = 0; i < nLines; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) throw new Error(`file has fewer than ${nLines} lines`);
    pos = nl + 1;
  }
  return text.slice(0, pos);
}

let au: string | null = null;
let cu: string | null = null;

/** Au309 icosahedron at 200 K, plain XYZ (309 atoms, "Au x y z"): the first nFrames frames. */
export function au309Xyz(nFrames: number): string {
  au ??= gunzipSync(readShared('data', 'generated', 'au309_ico_200K_gupta.xyz.gz')).toString('latin1');
  return firstLines(au, nFrames * (309 + 2));
}

/** Cu(211) slab at 600 K, LAMMPS dump (2400 atoms, 9 header lines per frame): the first nFrames. */
export function cu211Dump(nFrames: number): string {
  cu ??= gunzipSync(readShared('data', 'generated', 'cu211_600K_eam.lammpstrj.gz')).toString('latin1');
  return firstLines(cu, nFrames * (2400 + 9));
}

export function gzip(text: string): Buffer {
  return gzipSync(Buffer.from(text, 'latin1'));
}
