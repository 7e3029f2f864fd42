/**
 * The result of a pipeline run, shared by the UI and the CLI: plain data (typed arrays, numbers,
 * strings), so it can cross a worker boundary with structured clone / transfer and be saved.
 * Rows are frame-major everywhere: row = j * nAtoms + a for analysed frame j and analysed atom a.
 */
import type { PcaModel } from '../learn/pca.ts';
import type { Analysis } from './analysis.ts';
import type { Recipe } from './recipe.ts';

export interface StageTiming {
  stage: string;
  ms: number;
}

export interface Results {
  version: 1;
  recipe: Recipe;
  /** Trajectory indices of the analysed atoms, ascending (the selection, pipeline.md §1). */
  atoms: Int32Array;
  /** Trajectory frame of each analysed frame j (t_j = j + floor(W/2) with trimming, pipeline.md §4). */
  frames: Int32Array;
  nAtoms: number;
  nFrames: number;
  /** Smoothed, clipped LENS per row (nFrames * nAtoms), or null when LENS was not computed. */
  lens: Float64Array | null;
  /** PCA model (components, explained-variance curve), or null for the LENS-only analysis. */
  pca: PcaModel | null;
  /** Rows x scoreDim (PCA scores, or the LENS values for a LENS-only analysis). */
  scores: Float64Array;
  scoreDim: number;
  analysis: Analysis;
  /** Wall time per stage, measured by the runner with an injected clock. */
  timings: StageTiming[];
  /** Peak memory the runner observed (bytes), when it can measure it. */
  peakMemoryBytes?: number;
  warnings: string[];
}

/** Row index of (analysed frame j, analysed atom a). */
export function rowIndex(r: Pick<Results, 'nAtoms' | 'nFrames'>, j: number, a: number): number {
  if (!(j >= 0 && j < r.nFrames && a >= 0 && a < r.nAtoms)) throw new RangeError(`row (${j}, ${a}) outside ${r.nFrames} x ${r.nAtoms}`);
  return j * r.nAtoms + a;
}

/** (analysed frame, analysed atom, trajectory frame, trajectory atom) of a row. */
export function rowLocation(r: Pick<Results, 'nAtoms' | 'nFrames' | 'atoms' | 'frames'>, row: number):
  { j: number; a: number; frame: number; atom: number } {
  if (!(row >= 0 && row < r.nAtoms * r.nFrames)) throw new RangeError(`row ${row} outside 0..${r.nAtoms * r.nFrames - 1}`);
  const j = Math.floor(row / r.nAtoms), a = row - j * r.nAtoms;
  return { j, a, frame: r.frames[j], atom: r.atoms[a] };
}

/** A short plain-text summary of a run (CLI output, the parameters panel). */
export function summarise(r: Results): string {
  const a = r.analysis;
  const lines = [
    `recipe: ${r.recipe.name}`,
    `rows: ${r.nFrames} frames x ${r.nAtoms} atoms = ${r.nFrames * r.nAtoms}`,
  ];
  if (r.pca) {
    const cum = Array.from(r.pca.cumulativeRatio.subarray(0, Math.min(r.pca.k + 1, r.pca.dim)), (v) => v.toFixed(5));
    lines.push(`PCA: ${r.pca.k} components of ${r.pca.dim} (cumulative variance ${cum.join(', ')})`);
  }
  lines.push(`clustering: ${a.cluster.description}: ${a.cluster.nClusters} clusters`);
  lines.push(`populations: ${Array.from(a.populations).join(', ')}`);
  lines.push(`macro-clusters: ${a.macro.nMacro} (cut ${a.macro.tree.cut}, micro -> macro ${Array.from(a.macro.microToMacro).join(' ')})`);
  for (const t of r.timings) lines.push(`time ${t.stage}: ${(t.ms / 1000).toFixed(2)} s`);
  if (r.peakMemoryBytes !== undefined) lines.push(`peak memory: ${(r.peakMemoryBytes / 2 ** 20).toFixed(0)} MiB`);
  for (const w of [...r.warnings, ...a.warnings]) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/**
 * The distinct ArrayBuffers under a plain-data value (Results, a PcaModel, an accumulator...), for
 * comlink's transfer(value, buffers) so results leave a worker without a copy. Shared buffers
 * (SharedArrayBuffer) are skipped: they cannot be transferred.
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
    } else if (v instanceof ArrayBuffer) {
      out.add(v);
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else {
      stack.push(...Object.values(v));
    }
  }
  return [...out];
}
