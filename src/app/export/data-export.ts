/**
 * Data exports of a run, pure (bytes or strings): the labelled extended XYZ of pipeline.md §12,
 * CSV tables of the per-row data and of the matrices, and the recipe as JSON. The .npy files come
 * from core `resultsFiles`.
 */
import type { Results } from '../../core/pipeline/results.ts';
import type { MacroStep } from '../../core/pipeline/analysis.ts';
import type { Trajectory } from '../../core/trajectory.ts';
import { exportExtxyz, type ExtxyzColumn } from '../../core/io/extxyz-write.ts';
import type { RunOptions } from '../../core/progress.ts';

/**
 * Per-atom label columns of trajectory frame `frame` over all `nTrajAtoms` atoms (pipeline.md
 * §12): cluster, macro (integers; unanalysed atoms -1), lens and pc1..pck (reals; unanalysed NaN).
 * `macro` defaults to the run's macro step.
 */
export function labelColumns(r: Results, frame: number, nTrajAtoms: number, macro: MacroStep = r.analysis.macro): ExtxyzColumn[] {
  const j = r.frames.indexOf(frame);
  if (j < 0) throw new RangeError(`frame ${frame} was not analysed`);
  const cluster = new Int32Array(nTrajAtoms).fill(-1), mac = new Int32Array(nTrajAtoms).fill(-1);
  const lens = r.lens ? new Float64Array(nTrajAtoms).fill(NaN) : null;
  const k = r.pca ? Math.min(r.pca.k, r.scoreDim) : 0;
  const pcs = Array.from({ length: k }, () => new Float64Array(nTrajAtoms).fill(NaN));
  for (let a = 0; a < r.nAtoms; a++) {
    const row = j * r.nAtoms + a, atom = r.atoms[a];
    cluster[atom] = r.analysis.cluster.labels[row];
    mac[atom] = macro.labels[row];
    if (lens && r.lens) lens[atom] = r.lens[row];
    for (let c = 0; c < k; c++) pcs[c][atom] = r.scores[row * r.scoreDim + c];
  }
  const cols: ExtxyzColumn[] = [{ name: 'cluster', type: 'I', values: cluster }, { name: 'macro', type: 'I', values: mac }];
  if (lens) cols.push({ name: 'lens', type: 'R', values: lens });
  pcs.forEach((v, c) => cols.push({ name: `pc${c + 1}`, type: 'R', values: v }));
  return cols;
}

export interface LabelledXyzOptions extends RunOptions {
  /** Write every trajectory atom (unanalysed ones get -1 / NaN); default: the analysed atoms. */
  allAtoms?: boolean;
  macro?: MacroStep;
  decimals?: number;
}

/** The labelled extended XYZ of pipeline.md §12, one string per analysed frame. */
export function labelledExtxyz(t: Trajectory, r: Results, o: LabelledXyzOptions = {}): AsyncGenerator<string> {
  return exportExtxyz(t, {
    frames: r.frames,
    atoms: o.allAtoms ? undefined : r.atoms,
    columns: (f) => labelColumns(r, f, t.nAtoms, o.macro),
    info: (f) => ({ frame: f }),
    decimals: o.decimals,
    signal: o.signal, onProgress: o.onProgress,
  });
}

function csvNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

/**
 * One CSV line per row: frame, atom (trajectory indices), micro, macro, lens (if any), then the
 * score columns (pc1..pcd, or the LENS values of a LENS-only run).
 */
export function rowsCsv(r: Results, macro: MacroStep = r.analysis.macro): string {
  const head = ['frame', 'atom', 'cluster', 'macro', ...(r.lens ? ['lens'] : []), ...Array.from({ length: r.scoreDim }, (_, c) => `pc${c + 1}`)];
  const lines = [head.join(',')];
  for (let j = 0; j < r.nFrames; j++) {
    for (let a = 0; a < r.nAtoms; a++) {
      const row = j * r.nAtoms + a;
      const f = [String(r.frames[j]), String(r.atoms[a]), String(r.analysis.cluster.labels[row]), String(macro.labels[row])];
      if (r.lens) f.push(csvNumber(r.lens[row]));
      for (let c = 0; c < r.scoreDim; c++) f.push(csvNumber(r.scores[row * r.scoreDim + c]));
      lines.push(f.join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** A k x k matrix as CSV with row/column headers. */
export function matrixCsv(m: ArrayLike<number>, k: number, names: string[] = Array.from({ length: k }, (_, i) => String(i))): string {
  if (m.length !== k * k) throw new RangeError(`matrix: ${m.length} values for ${k} x ${k}`);
  const lines = [['from\\to', ...names].join(',')];
  for (let a = 0; a < k; a++) lines.push([names[a], ...Array.from({ length: k }, (_, b) => csvNumber(m[a * k + b]))].join(','));
  return lines.join('\n') + '\n';
}

export function recipeJson(r: Results): string {
  return JSON.stringify(r.recipe, null, 2) + '\n';
}
