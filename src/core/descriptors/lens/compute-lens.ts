/**
 * Whole-trajectory LENS on top of the streaming kernel (lens.ts): one neighbour search per frame,
 * history limited to `delay` frames of neighbour sets, results written atom-major.
 */
import { buildNeighbourList, createNeighbourList } from '../../geometry/neighbours.ts';
import { checkpoint, createReporter, type RunOptions } from '../../progress.ts';
import type { FrameData, Trajectory } from '../../trajectory.ts';
import { createLensFrameOut, createLensState, lensColumns, lensFrame, planLens, type LensParams } from './lens.ts';

export interface LensSelection {
  /** Analysed atoms (rows of the output), atom indices; null/absent = all atoms in order. */
  centres?: Int32Array | null;
  /**
   * Atoms that may count as neighbours ("LENS universe", pipeline.md §1); null/absent = all atoms.
   * The notebook's Cu(211) parity mode uses universe = centres = the 900 masked atoms.
   */
  universe?: Int32Array | null;
}

export interface LensResult {
  convention: LensParams['convention'];
  delay: number;
  nCentres: number;
  nFrames: number;
  /** Columns of lens/numerator/denominator: nFrames (soapify) or nFrames - delay (dynsight). */
  columns: number;
  /** (nCentres x columns) row-major. soapify: column t = change (t - delay -> t), 0 for t < delay. dynsight: column k = change (k -> k + delay). */
  lens: Float64Array;
  numerator: Int32Array;
  denominator: Int32Array;
  /** (nCentres x nFrames) coordination numbers, self excluded. */
  counts: Int32Array;
}

/** Universe mask over nAtoms from a list of atom indices (null = everybody). */
export function universeMask(universe: Int32Array | null | undefined, nAtoms: number): Uint8Array | null {
  if (!universe) return null;
  const m = new Uint8Array(nAtoms);
  for (const j of universe) {
    if (!(j >= 0 && j < nAtoms)) throw new RangeError(`LENS: universe atom ${j} is not an atom index (0..${nAtoms - 1})`);
    m[j] = 1;
  }
  return m;
}

/**
 * LENS of every centre over `nFrames` frames from an (async) iterable of frames.
 * pbc: periodicity flags (trajectory header); a frame without a cell gets no images.
 * Progress stage "lens", in frames; cancellable between frames.
 */
export async function computeLens(frames: Iterable<FrameData> | AsyncIterable<FrameData>, nAtoms: number, nFrames: number,
  pbc: readonly boolean[], params: LensParams & LensSelection, o?: RunOptions): Promise<LensResult> {
  const plan = planLens(params);
  const centres = params.centres ?? null;
  const nC = centres ? centres.length : nAtoms;
  if (centres) for (const c of centres) if (!(c >= 0 && c < nAtoms)) throw new RangeError(`LENS: centre ${c} is not an atom index (0..${nAtoms - 1})`);
  const mask = universeMask(params.universe, nAtoms);
  const cols = lensColumns(plan, nFrames);
  const res: LensResult = {
    convention: plan.convention, delay: plan.delay, nCentres: nC, nFrames, columns: cols,
    lens: new Float64Array(nC * cols), numerator: new Int32Array(nC * cols), denominator: new Int32Array(nC * cols),
    counts: new Int32Array(nC * nFrames),
  };
  const state = createLensState(plan, nAtoms);
  const nl = createNeighbourList(nC * 64);
  const fo = createLensFrameOut(nC);
  const report = createReporter(o, 'lens', nFrames);
  let t = 0;
  for await (const f of frames) {
    if (t >= nFrames) break;
    if (f.positions.length !== 3 * nAtoms) throw new RangeError(`LENS: frame ${t} has ${f.positions.length / 3} atoms, expected ${nAtoms}`);
    buildNeighbourList(nl, f.positions, nAtoms, f.cell, pbc, plan.cutoff, centres, false);
    const have = lensFrame(state, nl, centres, fo, mask);
    for (let c = 0; c < nC; c++) res.counts[c * nFrames + t] = fo.counts[c];
    const col = plan.convention === 'soapify' ? t : have ? t - plan.delay : -1;
    if (col >= 0) {
      for (let c = 0; c < nC; c++) {
        const o2 = c * cols + col;
        res.lens[o2] = fo.lens[c]; res.numerator[o2] = fo.numerator[c]; res.denominator[o2] = fo.denominator[c];
      }
    }
    t++;
    report(t);
    if (t % 16 === 0) await checkpoint(o);
  }
  if (t !== nFrames) throw new RangeError(`LENS: got ${t} frames, expected ${nFrames}`);
  return res;
}

/** Frames [first, first + count) of a trajectory as an async iterable (decoded one at a time). */
export async function* trajectoryFrames(traj: Trajectory, first = 0, count = traj.nFrames - first): AsyncGenerator<FrameData> {
  for (let i = first; i < first + count; i++) yield await traj.readFrame(i);
}
