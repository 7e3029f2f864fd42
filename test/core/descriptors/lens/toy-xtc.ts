/**
 * Test-only reader for reference_toy_dynsight/balls_7_nvt.xtc. XTC stores systems of at most
 * 9 atoms uncompressed (xdr3dfcoord writes the 3N floats as plain XDR floats), so each frame is
 * magic 1995, natoms, step, time, box (9 floats, nm), natoms again, then 3N big-endian floats (nm).
 * The project's XTC reader (issue 7) replaces this when it lands; this helper refuses anything else.
 */
import type { FrameData } from '../../../../src/core/trajectory.ts';
import { readShared } from '../../../helpers/shared.ts';

const NM = 10; // Å per nm

/** Frames with positions and cell in Å (float32 nm values widened, then x10 in float64). */
export function readToyXtc(): { nAtoms: number; frames: FrameData[]; positionsNmF32: Float32Array[] } {
  const b = readShared('data', 'reference_toy_dynsight', 'balls_7_nvt.xtc');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const frames: FrameData[] = [];
  const raw: Float32Array[] = [];
  let off = 0, nAtoms = -1;
  while (off < b.byteLength) {
    if (dv.getInt32(off) !== 1995) throw new Error(`toy xtc: bad magic at byte ${off}`);
    const n = dv.getInt32(off + 4);
    if (n > 9 || (nAtoms >= 0 && n !== nAtoms)) throw new Error(`toy xtc: ${n} atoms; only uncompressed frames (<= 9 atoms) are supported here`);
    nAtoms = n;
    const cell = new Float64Array(9);
    for (let k = 0; k < 9; k++) cell[k] = dv.getFloat32(off + 16 + 4 * k) * NM;
    if (dv.getInt32(off + 52) !== n) throw new Error(`toy xtc: atom count mismatch at byte ${off + 52}`);
    const p = new Float64Array(3 * n);
    const r = new Float32Array(3 * n);
    for (let k = 0; k < 3 * n; k++) { r[k] = dv.getFloat32(off + 56 + 4 * k); p[k] = r[k] * NM; }
    frames.push({ positions: p, cell, time: dv.getFloat32(off + 12) });
    raw.push(r);
    off += 56 + 12 * n;
  }
  return { nAtoms, frames, positionsNmF32: raw };
}
