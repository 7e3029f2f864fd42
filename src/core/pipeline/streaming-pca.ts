/**
 * The two streaming passes of pipeline.md §6 over any source of row chunks (typically one analysed
 * frame of joint vectors per chunk, recomputed or read back from a cache): pass 1 accumulates mean
 * and scatter (optionally through the compact-SOAP embedding), pass 2 projects. The whole data
 * matrix is never held. Workers can run pass 1 on disjoint chunk ranges and merge with pcaMerge.
 */
import { compressRows, expandPcaModel, type ColumnEmbedding } from '../learn/embedding.ts';
import { createPcaAccumulator, pcaAccumulate, pcaFinish, pcaProject, type PcaAccumulator, type PcaKeep, type PcaModel } from '../learn/pca.ts';
import { checkpoint, createReporter, type RunOptions } from '../progress.ts';

/** Chunks of rows, readable in any order and more than once. */
export interface RowSource {
  /** Values per row (the long layout, e.g. 577 for SOAP&LENS). */
  dim: number;
  nChunks: number;
  /** Rows of chunk i (row-major, dim values each) and how many there are. */
  read(i: number, o?: RunOptions): Promise<{ rows: Float64Array | Float32Array; nRows: number }>;
}

/**
 * Pass 1 over chunks [from, to): returns the accumulator (in the embedding's short coordinates when
 * one is given). Reports progress as chunks under `stage` and checks for cancellation per chunk.
 */
export async function accumulateChunks(src: RowSource, from: number, to: number, embedding?: ColumnEmbedding,
  o?: RunOptions, stage = 'pca'): Promise<PcaAccumulator> {
  if (embedding && embedding.nOut !== src.dim) throw new RangeError(`PCA: embedding takes ${embedding.nOut} columns, rows have ${src.dim}`);
  const acc = createPcaAccumulator(embedding ? embedding.nIn : src.dim);
  const report = createReporter(o, stage, to - from);
  for (let i = from; i < to; i++) {
    if (o) await checkpoint(o);
    const { rows, nRows } = await src.read(i, o);
    if (embedding) pcaAccumulate(acc, compressRows(embedding, rows, nRows), nRows);
    else pcaAccumulate(acc, rows, nRows);
    report(i - from + 1);
  }
  return acc;
}

/** Eigen-decomposition of a (merged) pass-1 accumulator, mapped back to the long layout. */
export function finishStreamingPca(acc: PcaAccumulator, keep: PcaKeep, embedding?: ColumnEmbedding): PcaModel {
  if (!embedding) return pcaFinish(acc, keep);
  // Choose k on the short spectrum (identical ratios), then expand.
  return expandPcaModel(pcaFinish(acc, keep), embedding);
}

/** Both passes in one thread: fit, then the scores of every chunk in order (rows x model.k). */
export async function streamingPca(src: RowSource, keep: PcaKeep, embedding?: ColumnEmbedding, o?: RunOptions):
  Promise<{ model: PcaModel; scores: Float64Array }> {
  const acc = await accumulateChunks(src, 0, src.nChunks, embedding, o, 'pca');
  const model = finishStreamingPca(acc, keep, embedding);
  const scores = new Float64Array(acc.n * model.k);
  const report = createReporter(o, 'projection', src.nChunks);
  let row = 0;
  for (let i = 0; i < src.nChunks; i++) {
    if (o) await checkpoint(o);
    const { rows, nRows } = await src.read(i, o);
    if ((row + nRows) * model.k > scores.length) throw new RangeError('PCA: the source returned more rows on the second pass');
    pcaProject(model, rows, nRows, scores.subarray(row * model.k, (row + nRows) * model.k));
    row += nRows;
    report(i + 1);
  }
  if (row !== acc.n) throw new RangeError(`PCA: the source returned ${row} rows on the second pass, ${acc.n} on the first`);
  return { model, scores };
}
