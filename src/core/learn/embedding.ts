/**
 * PCA through an isometric "copy" embedding (pipeline.md §6, "Exact shortcut for SOAP"): the
 * SOAPify filled layout repeats every same-species off-diagonal (n, n') entry as (n', n), so a
 * filled row f is E z for a shorter z (compact values, duplicated ones scaled by sqrt 2) and an
 * E with orthonormal columns. PCA of the f rows then equals PCA of the z rows: same eigenvalues
 * and ratios, same scores, components v_f = E v_z. Accumulating z (324 + 1 columns instead of
 * 576 + 1 for Cu) costs about a third of the work.
 */
import type { PcaModel } from './pca.ts';

/**
 * out[j] = scale[j] * in[index[j]] for j < nOut, with sum over {j : index[j] = i} of scale[j]^2 = 1
 * for every input i, so the map is an isometry (E^T E = I).
 */
export interface ColumnEmbedding {
  nIn: number;
  nOut: number;
  index: Int32Array;
  scale: Float64Array;
}

/**
 * Builds the embedding of a "fill" that copies each input value to one or more outputs (e.g. the
 * SOAP engine's compact -> filled fill), by filling unit vectors. Throws if the fill is not such a
 * copy (an output mixing inputs, a scaled copy, or an output never written).
 */
export function embeddingFromFill(fill: (src: Float64Array, dst: Float64Array) => void, nIn: number, nOut: number): ColumnEmbedding {
  const index = new Int32Array(nOut).fill(-1);
  const scale = new Float64Array(nOut);
  const src = new Float64Array(nIn), dst = new Float64Array(nOut);
  const copies = new Int32Array(nIn);
  for (let i = 0; i < nIn; i++) {
    src.fill(0); dst.fill(0);
    src[i] = 1;
    fill(src, dst);
    for (let j = 0; j < nOut; j++) {
      if (dst[j] === 0) continue;
      if (dst[j] !== 1 || index[j] !== -1) throw new RangeError(`embedding: output ${j} is not a plain copy of one input`);
      index[j] = i;
      copies[i]++;
    }
    if (copies[i] === 0) throw new RangeError(`embedding: input ${i} is never copied`);
  }
  for (let j = 0; j < nOut; j++) {
    if (index[j] < 0) throw new RangeError(`embedding: output ${j} is never written`);
    scale[j] = 1 / Math.sqrt(copies[index[j]]);
  }
  return { nIn, nOut, index, scale };
}

/** The embedding followed by `extra` identity columns on both sides (e.g. the LENS column). */
export function withExtraColumns(e: ColumnEmbedding, extra: number): ColumnEmbedding {
  const index = new Int32Array(e.nOut + extra), scale = new Float64Array(e.nOut + extra);
  index.set(e.index); scale.set(e.scale);
  for (let q = 0; q < extra; q++) { index[e.nOut + q] = e.nIn + q; scale[e.nOut + q] = 1; }
  return { nIn: e.nIn + extra, nOut: e.nOut + extra, index, scale };
}

/** z = E^T f for nRows rows (row-major): the short rows whose PCA equals the long rows'. */
export function compressRows(e: ColumnEmbedding, rows: ArrayLike<number>, nRows: number, out = new Float64Array(nRows * e.nIn)): Float64Array {
  if (rows.length < nRows * e.nOut) throw new RangeError(`compressRows: ${nRows} rows of ${e.nOut} need ${nRows * e.nOut} values`);
  out.fill(0, 0, nRows * e.nIn);
  for (let r = 0; r < nRows; r++) {
    const fo = r * e.nOut, zo = r * e.nIn;
    for (let j = 0; j < e.nOut; j++) out[zo + e.index[j]] += e.scale[j] * rows[fo + j];
  }
  return out;
}

/**
 * The PCA model of the long rows from the model fitted on compressed rows: mean and components
 * mapped through E (components stay unit vectors; the sign convention is re-applied in the long
 * coordinates), spectra padded with the nOut - nIn zero eigenvalues.
 */
export function expandPcaModel(m: PcaModel, e: ColumnEmbedding): PcaModel {
  if (m.dim !== e.nIn) throw new RangeError(`expandPcaModel: model has ${m.dim} columns, the embedding takes ${e.nIn}`);
  const D = e.nOut, k = m.k;
  const mean = new Float64Array(D), components = new Float64Array(k * D);
  for (let j = 0; j < D; j++) mean[j] = e.scale[j] * m.mean[e.index[j]];
  for (let c = 0; c < k; c++) {
    let best = 0, arg = 0;
    for (let j = 0; j < D; j++) {
      const v = e.scale[j] * m.components[c * m.dim + e.index[j]];
      components[c * D + j] = v;
      if (Math.abs(v) > best) { best = Math.abs(v); arg = j; }
    }
    if (components[c * D + arg] < 0) for (let j = 0; j < D; j++) components[c * D + j] = -components[c * D + j];
  }
  const pad = (a: Float64Array, fill: number) => { const o = new Float64Array(D).fill(fill); o.set(a.subarray(0, Math.min(a.length, D))); return o; };
  return { dim: D, nSamples: m.nSamples, k, mean, components, explainedVariance: pad(m.explainedVariance, 0),
    explainedVarianceRatio: pad(m.explainedVarianceRatio, 0), cumulativeRatio: pad(m.cumulativeRatio, m.cumulativeRatio[m.dim - 1]) };
}
