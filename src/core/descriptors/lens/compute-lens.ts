/**
 * Whole-trajectory LENS on top of the streaming kernel (lens.ts): one set search per frame
 * (lens-sets.ts: the cell list straight to neighbour sets, no NeighbourList),
 * history limited to `delay` frames of neighbour sets, results written atom-major.
 */
import { checkpoint, createReporter, throwIfCancelled, type RunOptions } from '../../progress.ts';
import type { FrameData, Trajectory } from '../../trajectory.ts';
import { createLensFrameOut, createLensState, lensColumns, planLens, type LensParams } from './lens.ts';
import { createLensSetsWork, lensFrameFromPositions } from './lens-sets.ts';

export interface LensSelection {
  /** Analysed atoms (rows of the output), atom indices; null/absent = all atoms in order. */
  centres?: Int32Array | null;
  /**
   * Atoms that may count as neighbours ("LENS universe", pipeline.md §1); null/absent = all atoms.
   * The notebook's Cu(211) parity mode uses universe = centres = the 900 masked atoms.
   */
  universe?: Int32Array | null;
  /**
   * "float64" (default; fixtures' *_exact arrays). "mdanalysis-float32" reproduces the SOAPify
   * reference bit for bit (fixtures/lens/README.md "Precision"): positions rounded to float32 and
   * shifted by the box origin in float32, cell rounded to float32, as MDAnalysis 2.4 reads them;
   * it flips pairs within ~1e-6 Å of the cutoff.
   */
  precision?: 'float64' | 'mdanalysis-float32';
}

/** The MDAnalysis-like float32 view of a frame (see LensSelection.precision); writes into `out`. */
export function mdanalysisFloat32Frame(f: FrameData, out: Float64Array, cellOut: Float64Array): { positions: Float64Array; cell: Float64Array | null } {
  const p = f.positions, o = f.origin;
  const ox = o ? Math.fround(o[0]) : 0, oy = o ? Math.fround(o[1]) : 0, oz = o ? Math.fround(o[2]) : 0;
  for (let k = 0; k < p.length; k += 3) {
    out[k] = Math.fround(Math.fround(p[k]) - ox);
    out[k + 1] = Math.fround(Math.fround(p[k + 1]) - oy);
    out[k + 2] = Math.fround(Math.fround(p[k + 2]) - oz);
  }
  if (!f.cell) return { positions: out, cell: null };
  for (let k = 0; k < 9; k++) cellOut[k] = Math.fround(f.cell[k]);
  return { positions: out, cell: cellOut };
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
  /** Differences from the reference implementation worth showing the user (lens-tsoap-smoothing.md §3). */
  notes?: string[];
}

/** Tilt entries of a cell (off-diagonal) are all zero: the only boxes dynsight handles as such. */
function isOrthorhombic(h: ArrayLike<number>): boolean {
  return h[1] === 0 && h[2] === 0 && h[3] === 0 && h[5] === 0 && h[6] === 0 && h[7] === 0;
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
  const precision = params.precision ?? 'float64';
  if (precision !== 'float64' && precision !== 'mdanalysis-float32') throw new RangeError(`LENS: unknown precision "${String(precision)}"`);
  const f32 = precision === 'mdanalysis-float32' ? { pos: new Float64Array(3 * nAtoms), cell: new Float64Array(9) } : null;
  const cols = lensColumns(plan, nFrames);
  const res: LensResult = {
    convention: plan.convention, delay: plan.delay, nCentres: nC, nFrames, columns: cols,
    lens: new Float64Array(nC * cols), numerator: new Int32Array(nC * cols), denominator: new Int32Array(nC * cols),
    counts: new Int32Array(nC * nFrames),
  };
  const state = createLensState(plan, nAtoms);
  const work = createLensSetsWork(nAtoms);
  const fo = createLensFrameOut(nC);
  const report = createReporter(o, 'lens', nFrames);
  let t = 0, noCell = 0, triclinic = 0;
  for await (const f of frames) {
    throwIfCancelled(o);
    if (!f.cell) noCell++;
    else if (!isOrthorhombic(f.cell)) triclinic++;
    if (t >= nFrames) break;
    if (f.positions.length !== 3 * nAtoms) throw new RangeError(`LENS: frame ${t} has ${f.positions.length / 3} atoms, expected ${nAtoms}`);
    const g = f32 ? mdanalysisFloat32Frame(f, f32.pos, f32.cell) : f;
    const have = lensFrameFromPositions(state, g.positions, g.cell, pbc, centres, fo, work, mask);
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
  if (plan.convention === 'dynsight') {
    const notes: string[] = [];
    if (noCell > 0) {
      notes.push(`${noCell} frame(s) have no cell: soaplens uses no periodic images there, dynsight would use the atoms' ` +
        'bounding box x 1.01 as a periodic box (values can differ)');
    }
    if (triclinic > 0) {
      notes.push(`${triclinic} frame(s) have a triclinic cell: soaplens uses the true triclinic minimum image, dynsight ` +
        'uses the box lengths only (angles ignored; values can differ)');
    }
    if (notes.length) res.notes = notes;
  }
  return res;
}

/** Frames [first, first + count) of a trajectory as an async iterable (decoded one at a time). */
export async function* trajectoryFrames(traj: Trajectory, first = 0, count = traj.nFrames - first): AsyncGenerator<FrameData> {
  for (let i = first; i < first + count; i++) yield await traj.readFrame(i);
}

/** Anything with random-access frames (a Trajectory, or a test double). */
export interface FrameSource {
  nAtoms: number;
  nFrames: number;
  pbc: readonly boolean[];
  readFrame(i: number): Promise<FrameData>;
}

/**
 * LENS over a frame range, for splitting a trajectory across workers. Column k describes frame
 * t = first + k: counts = |C(t)|, and lens/numerator/denominator = the change (t - delay -> t),
 * zeros when t < delay ("end" alignment, the SOAPify layout's columns). The range is exact on its
 * own: the `delay` frames before `first` are read for history. Merge with mergeLensChunks.
 */
export interface LensChunk {
  first: number;
  count: number;
  nCentres: number;
  lens: Float64Array;
  numerator: Int32Array;
  denominator: Int32Array;
  counts: Int32Array;
  /** LensResult.notes of this range (counts of frames are per chunk). */
  notes?: string[];
}

export async function computeLensChunk(src: FrameSource, first: number, count: number,
  params: LensParams & LensSelection, o?: RunOptions): Promise<LensChunk> {
  const plan = planLens(params);
  if (!(Number.isInteger(first) && Number.isInteger(count) && first >= 0 && count >= 0 && first + count <= src.nFrames)) {
    throw new RangeError(`LENS: frames ${first}..${first + count - 1} outside 0..${src.nFrames - 1}`);
  }
  const start = Math.max(0, first - plan.delay);
  const whole = await computeLens(
    (async function* () { for (let t = start; t < first + count; t++) yield await src.readFrame(t); })(),
    src.nAtoms, first + count - start, src.pbc, params, o);
  // The soapify layout already is "end" aligned; dynsight's columns (k -> k + delay) shift by delay.
  const nC = whole.nCentres, local = first + count - start, skip = first - start;
  const chunk: LensChunk = {
    first, count, nCentres: nC, lens: new Float64Array(nC * count), numerator: new Int32Array(nC * count),
    denominator: new Int32Array(nC * count), counts: new Int32Array(nC * count),
  };
  if (whole.notes) chunk.notes = whole.notes;
  for (let c = 0; c < nC; c++) {
    for (let k = 0; k < count; k++) {
      const lt = skip + k; // local frame index
      chunk.counts[c * count + k] = whole.counts[c * local + lt];
      const col = whole.convention === 'soapify' ? lt : lt - plan.delay;
      if (col < 0 || col >= whole.columns) continue;
      const o2 = c * whole.columns + col;
      chunk.lens[c * count + k] = whole.lens[o2];
      chunk.numerator[c * count + k] = whole.numerator[o2];
      chunk.denominator[c * count + k] = whole.denominator[o2];
    }
  }
  return chunk;
}

/** Splits F frames into at most `parts` contiguous [first, count) ranges of near-equal size. */
export function splitFrames(nFrames: number, parts: number): { first: number; count: number }[] {
  const p = Math.max(1, Math.min(Math.floor(parts), nFrames));
  const out: { first: number; count: number }[] = [];
  for (let i = 0; i < p; i++) {
    const a = Math.floor((i * nFrames) / p), b = Math.floor(((i + 1) * nFrames) / p);
    if (b > a) out.push({ first: a, count: b - a });
  }
  return out;
}

/** Assembles chunks covering frames 0..nFrames-1 into the convention's LensResult layout. */
export function mergeLensChunks(chunks: readonly LensChunk[], nFrames: number, params: LensParams): LensResult {
  const plan = planLens(params);
  const nC = chunks.length ? chunks[0].nCentres : 0;
  const cols = lensColumns(plan, nFrames);
  const res: LensResult = {
    convention: plan.convention, delay: plan.delay, nCentres: nC, nFrames, columns: cols,
    lens: new Float64Array(nC * cols), numerator: new Int32Array(nC * cols), denominator: new Int32Array(nC * cols),
    counts: new Int32Array(nC * nFrames),
  };
  const covered = new Uint8Array(nFrames);
  for (const ch of chunks) {
    if (ch.nCentres !== nC) throw new RangeError('LENS: chunks with different centre counts');
    for (let k = 0; k < ch.count; k++) {
      const t = ch.first + k;
      if (t < 0 || t >= nFrames || covered[t]) throw new RangeError(`LENS: frame ${t} outside 0..${nFrames - 1} or covered twice`);
      covered[t] = 1;
      const col = plan.convention === 'soapify' ? t : t - plan.delay;
      for (let c = 0; c < nC; c++) {
        res.counts[c * nFrames + t] = ch.counts[c * ch.count + k];
        if (col < 0) continue;
        const o = c * cols + col, i = c * ch.count + k;
        res.lens[o] = ch.lens[i]; res.numerator[o] = ch.numerator[i]; res.denominator[o] = ch.denominator[i];
      }
    }
  }
  const missing = covered.indexOf(0);
  if (missing >= 0) throw new RangeError(`LENS: no chunk covers frame ${missing}`);
  const notes = chunks.flatMap((c) => c.notes ?? []);
  if (notes.length) res.notes = notes;
  return res;
}

/**
 * Per-atom LENS at trajectory frame t for colouring (length nAtoms; atoms that are not centres get
 * `fill`, default NaN = "no value"). soapify: the change (t - delay -> t), 0 for t < delay;
 * dynsight: the change (t -> t + delay), NaN for the last delay frames. `centres` as given to computeLens.
 */
export function lensAtFrame(res: LensResult, t: number, nAtoms: number, centres: Int32Array | null = null,
  out: Float64Array = new Float64Array(nAtoms), fill = Number.NaN): Float64Array {
  if (!(Number.isInteger(t) && t >= 0 && t < res.nFrames)) throw new RangeError(`frame ${t} outside 0..${res.nFrames - 1}`);
  if (centres && centres.length !== res.nCentres) throw new RangeError(`${centres.length} centres for a result of ${res.nCentres}`);
  out.fill(fill, 0, nAtoms);
  const col = t; // soapify: column t = change (t - delay -> t); dynsight: column t = change (t -> t + delay)
  const valid = col < res.columns;
  for (let c = 0; c < res.nCentres; c++) {
    const a = centres ? centres[c] : c;
    out[a] = valid ? res.lens[c * res.columns + col] : Number.NaN;
  }
  return out;
}
