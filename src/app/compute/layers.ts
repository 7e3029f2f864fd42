/**
 * Colour layers built from computed values (pure functions on typed arrays, tested in Node):
 * LENS of the whole trajectory, the SOAP summaries, and the cluster / macro-cluster labels of a
 * pipeline run. Layers are frame-major float32 (values[row * nAtoms + atom], row r = trajectory
 * frame frames[r]); atoms without a value are NaN (continuous) or -1 (categorical): grey.
 */
import { lensAtFrame, type LensResult } from '../../core/descriptors/lens/compute-lens.ts';
import type { Results } from '../../core/pipeline/results.ts';
import type { AtomLayer } from '../store.ts';

/** Trajectory frames that have a LENS value (soapify: frames >= delay; dynsight: columns). */
export function lensFrames(res: LensResult): Int32Array {
  if (res.convention === 'dynsight') return Int32Array.from({ length: res.columns }, (_, k) => k);
  const first = Math.min(res.delay, res.nFrames);
  return Int32Array.from({ length: res.nFrames - first }, (_, k) => first + k);
}

/**
 * The 'lens' continuous layer: one row per frame with a LENS value (soapify: the change from
 * frame t - delay to t; frame 0 has none and shows grey). `centres` maps result rows to atoms.
 */
export function lensLayer(res: LensResult, nAtoms: number, centres: Int32Array | null): AtomLayer {
  const frames = lensFrames(res);
  const values = new Float32Array(frames.length * nAtoms);
  const row = new Float64Array(nAtoms);
  for (let r = 0; r < frames.length; r++) {
    lensAtFrame(res, frames[r], nAtoms, centres, row);
    values.set(row, r * nAtoms);
  }
  return { id: 'lens', label: 'LENS', kind: 'continuous', nAtoms, frames, values };
}

/**
 * Per-frame SOAP summaries streamed frame by frame (the spectra themselves are never kept):
 *  - timeSOAP: distance between an atom's normalised spectra at frames t - 1 and t (how much its
 *    environment changed), soapify convention (filled, normalised rows: ||x(t) - x(t-1)||);
 *  - spread: distance of an atom's spectrum to the mean spectrum of that frame (how unusual its
 *    environment is among the atoms of the frame).
 */
export interface SoapSummary {
  nAtoms: number;
  nFrames: number;
  tsoap: Float32Array;
  spread: Float32Array;
  /** Atom of each row of the spectra (the SOAP centres), or null for all atoms. */
  centres: Int32Array | null;
}

export interface SoapSummaryBuilder {
  /** Frame k's rows (nCentres x width, row-major); frames must come in order 0, 1, 2... */
  push(k: number, rows: ArrayLike<number>, width: number): void;
  result(): SoapSummary;
}

export function createSoapSummary(nAtoms: number, nFrames: number, centres: Int32Array | null): SoapSummaryBuilder {
  const nC = centres ? centres.length : nAtoms;
  const tsoap = new Float32Array(nFrames * nAtoms).fill(Number.NaN);
  const spread = new Float32Array(nFrames * nAtoms).fill(Number.NaN);
  let prev: Float64Array | null = null;
  let mean: Float64Array | null = null;
  let expected = 0;
  return {
    push(k, rows, width) {
      if (k !== expected) throw new RangeError(`SOAP summary: frame ${k} arrived, expected ${expected}`);
      if (rows.length !== nC * width) throw new RangeError(`SOAP summary: ${rows.length} values for ${nC} centres x ${width}`);
      expected++;
      if (!mean || mean.length !== width) mean = new Float64Array(width);
      mean.fill(0);
      for (let c = 0; c < nC; c++) for (let j = 0; j < width; j++) mean[j] += rows[c * width + j];
      for (let j = 0; j < width; j++) mean[j] /= nC;
      const base = k * nAtoms;
      for (let c = 0; c < nC; c++) {
        const a = centres ? centres[c] : c;
        let s = 0, d = 0;
        for (let j = 0; j < width; j++) {
          const x = rows[c * width + j];
          const m = x - mean[j];
          s += m * m;
          if (prev) { const q = x - prev[c * width + j]; d += q * q; }
        }
        spread[base + a] = Math.sqrt(s);
        if (prev) tsoap[base + a] = Math.sqrt(d);
      }
      if (!prev || prev.length !== rows.length) prev = new Float64Array(rows.length);
      prev.set(rows);
    },
    result: () => ({ nAtoms, nFrames: expected, tsoap: tsoap.subarray(0, expected * nAtoms), spread: spread.subarray(0, expected * nAtoms), centres }),
  };
}

/** The two SOAP layers ('timesoap' from frame 1 on, 'soap-spread' for every frame). */
export function soapLayers(s: SoapSummary): AtomLayer[] {
  const all = Int32Array.from({ length: s.nFrames }, (_, k) => k);
  const later = all.subarray(Math.min(1, s.nFrames));
  return [
    { id: 'timesoap', label: 'timeSOAP', kind: 'continuous', nAtoms: s.nAtoms, frames: Int32Array.from(later), values: s.tsoap.slice(s.nFrames > 0 ? s.nAtoms : 0) },
    { id: 'soap-spread', label: 'SOAP distance to frame mean', kind: 'continuous', nAtoms: s.nAtoms, frames: all, values: s.spread.slice() },
  ];
}

/**
 * The 'cluster' and 'macro' categorical layers of a run: one row per analysed (kept) frame, the
 * label of each analysed atom; atoms not analysed are -1 (grey). HDBSCAN* noise (-1) becomes its
 * own last category "noise".
 */
export function clusterLayers(r: Results, nAtoms: number): AtomLayer[] {
  const a = r.analysis;
  const build = (id: string, label: string, labels: Int32Array, k: number, name: (j: number) => string): AtomLayer => {
    const values = new Float32Array(r.nFrames * nAtoms).fill(-1);
    let noise = false;
    for (let j = 0; j < r.nFrames; j++) {
      for (let i = 0; i < r.nAtoms; i++) {
        const l = labels[j * r.nAtoms + i];
        if (l < 0) noise = true;
        values[j * nAtoms + r.atoms[i]] = l < 0 ? k : l;
      }
    }
    const categories = Array.from({ length: k }, (_, j) => name(j));
    if (noise) categories.push('noise');
    return { id, label, kind: 'categorical', nAtoms, frames: Int32Array.from(r.frames), values, categories };
  };
  return [
    build('cluster', 'Cluster', a.cluster.labels, a.cluster.nClusters, (j) => `cluster ${j}`),
    build('macro', 'Macro-cluster', a.macro.labels, a.macro.nMacro, (j) => `macro ${j}`),
  ];
}
