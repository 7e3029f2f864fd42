/**
 * Pipeline jobs for the compute worker (compute.worker.ts spreads createPipelineJobs(deps) into its
 * API); the runner that drives them is pipeline-runner.ts (runRecipe).
 *
 * A job works on a contiguous range of analysed frames. It reads the frames itself (from the
 * dropped files, opened once per worker and kept) or takes them inline, computes the filled,
 * normalised SOAP rows of the analysed atoms, appends the smoothed LENS column (pipeline.md §5)
 * and the LODE block (issue 8, from the same frame), each block times its weight, maps each row
 * through the compact-SOAP embedding when one applies (pipeline.md §6 "exact shortcut": 325
 * instead of 577 columns for Cu; LENS and LODE are trailing identity columns of it) and then either
 *  - pass A: accumulates mean and scatter into a fresh PcaAccumulator (returned; the runner merges
 *    the chunks in chunk order, so the result does not depend on the number of workers), or
 *  - pass B: projects the rows on the fitted (short) PCA model and returns only the k scores.
 * The analysis job (clustering, transitions, macro-clusters) runs analyseScores on one worker.
 * Results are transferred; failures come back as data (comlink drops error fields).
 */
import { transfer } from 'comlink';
import { computeLensChunk, type FrameSource, type LensChunk, type LensSelection } from '../src/core/descriptors/lens/compute-lens.ts';
import type { LensParams } from '../src/core/descriptors/lens/lens.ts';
import { createLodeScratch, lodeFrame, planLode, speciesChannels, type LodeParams, type LodePlan, type LodeScratch } from '../src/core/descriptors/lode/lode.ts';
import { createSoapScratch, fillSoapRow, planSoap, soapFrame, speciesCodes, type SoapParams, type SoapPlan, type SoapScratch } from '../src/core/descriptors/soap/soap.ts';
import { CancelledError } from '../src/core/errors.ts';
import { buildNeighbourList, createNeighbourList } from '../src/core/geometry/neighbours.ts';
import type { OpenOptions } from '../src/core/io/reader.ts';
import { compressRows, embeddingFromFill, withExtraColumns, type ColumnEmbedding } from '../src/core/learn/embedding.ts';
import { createPcaAccumulator, pcaAccumulate, pcaProject, type PcaAccumulator, type PcaModel } from '../src/core/learn/pca.ts';
import { analyseScores, type Analysis, type AnalysisParams } from '../src/core/pipeline/analysis.ts';
import { clustererFor } from '../src/core/pipeline/clusterers.ts';
import type { ClusterRecipe } from '../src/core/pipeline/recipe.ts';
import { transferablesOf } from '../src/core/pipeline/results.ts';
import type { RunOptions } from '../src/core/progress.ts';
import { toWorkerErrorData, type WorkerErrorData } from './parse-protocol.ts';
import { createSharedOpener, sourcesKey } from './source-key.ts';

/** One frame as plain data (for trajectories the workers cannot open themselves). */
export interface InlineFrame {
  positions: Float64Array;
  cell: Float64Array | null;
}

/** Where a job's frames come from: the files (opened by the worker) or the frames themselves. */
export interface FrameFeed {
  /** Blobs (browser) or paths (Node), opened with `open` options; frames read by index. */
  sources?: (Blob | string)[];
  /** Reader options (e.g. typeElements); species are taken from `species` anyway. */
  open?: Pick<OpenOptions, 'typeElements' | 'format' | 'lammpsCoordinates' | 'box'>;
  /** Frames given inline, one per entry of `frames` (used when `sources` is absent). */
  inline?: InlineFrame[];
  /** Periodicity flags of the trajectory (header). */
  pbc: [boolean, boolean, boolean];
}

/** The rows of a range of analysed frames (pipeline.md §4-§5). */
export interface PipelineRowsRequest {
  feed: FrameFeed;
  /** Trajectory frame index of each analysed frame of the range (t_j). */
  frames: Int32Array;
  /** Analysed atoms (SOAP centres), trajectory indices, ascending. */
  centres: Int32Array;
  /** Per-atom species of the whole trajectory (SOAP neighbours are all atoms). */
  species: string[];
  /** The SOAP block (filled or compact per soap.layout, L2-normalised by the engine), or null for rows without SOAP. */
  soap: SoapParams | null;
  /** Weight of the SOAP block (default 1). */
  soapWeight?: number;
  /**
   * Smoothed LENS of the range, atom-major (centres.length x frames.length), appended with weight
   * `lensWeight` (pipeline.md §5); null for rows without LENS.
   */
  lens: Float64Array | null;
  lensWeight: number;
  /**
   * The LODE block appended last (issue 8): params.species are atomic numbers, `atomicNumbers` the
   * atomic number of every trajectory atom; rows scaled by `weight`, after an L2 normalisation
   * per row when `normalise`. Null for rows without LODE.
   */
  lode?: { params: LodeParams; weight: number; normalise: boolean; atomicNumbers: Int32Array } | null;
  /** Map rows through the compact-SOAP embedding (only valid for the filled layout, see soapEmbedding). */
  compact: boolean;
}

export type PipelineAccumulateReply =
  | { ok: true; acc: PcaAccumulator; rows: Float32Array | null }
  | { ok: false; error: WorkerErrorData };

export type PipelineProjectReply =
  | { ok: true; scores: Float64Array; k: number }
  | { ok: false; error: WorkerErrorData };

export interface PipelineLensRequest {
  feed: FrameFeed;
  first: number;
  count: number;
  params: LensParams & LensSelection;
}

export type PipelineLensReply = { ok: true; chunk: LensChunk } | { ok: false; error: WorkerErrorData };

export interface PipelineAnalyseRequest {
  scores: Float64Array;
  dim: number;
  nAtoms: number;
  nFrames: number;
  cluster: ClusterRecipe;
  seed: number;
  params: AnalysisParams;
}

export type PipelineAnalyseReply = { ok: true; analysis: Analysis } | { ok: false; error: WorkerErrorData };

export interface PipelineJobs {
  /** LENS of trajectory frames [first, first + count) (computeLensChunk; reads `delay` frames before). */
  pipelineLens(job: number, req: PipelineLensRequest): Promise<PipelineLensReply>;
  /** Pass A: PCA accumulator of the range's rows; with `keepRows`, also the (embedded) rows as float32. */
  pipelineAccumulate(job: number, req: PipelineRowsRequest & { keepRows?: boolean }): Promise<PipelineAccumulateReply>;
  /** Pass B: scores (rows x model.k) of the range's rows; `model` is in the embedded coordinates when `compact`. */
  pipelineProject(job: number, req: PipelineRowsRequest & { model: PcaModel }): Promise<PipelineProjectReply>;
  /** Clustering, transitions and macro-clusters (analyseScores) of the scores. */
  pipelineAnalyse(job: number, req: PipelineAnalyseRequest): Promise<PipelineAnalyseReply>;
  /** Aborts the job with this id if it is running in this worker. */
  cancelPipeline(job: number): void;
}

/** How a worker opens files (blobSource/openTrajectory in the browser, nodeFileSource in Node). */
export interface PipelineJobDeps {
  open(sources: (Blob | string)[], o?: RunOptions): Promise<FrameSource>;
}

/**
 * The embedding of filled SOAP rows (plus `extra` trailing columns, e.g. LENS) into the compact
 * coordinates with the same PCA (pipeline.md §6), or null when the layout is not the filled one
 * (compact rows are already short; crossover compression is not a plain copy fill).
 */
export function soapEmbedding(plan: SoapPlan, extra: number): ColumnEmbedding | null {
  if (plan.layout !== 'filled' || plan.compression !== 'off') return null;
  const e = embeddingFromFill((s, d) => fillSoapRow(plan, s, 0, d, 0), plan.compactWidth, plan.filledWidth);
  return extra > 0 ? withExtraColumns(e, extra) : e;
}

/** Centres per neighbour-list slice between cancellation checks (as the SOAP jobs). */
const CENTRES_PER_SLICE = 256;

/** Centres per LODE slice between cancellation checks (as the LODE jobs). */
const LODE_CENTRES_PER_SLICE = 128;

interface RowsContext {
  plan: SoapPlan | null;
  scratch: SoapScratch | null;
  lode: { plan: LodePlan; scratch: LodeScratch } | null;
  embedding: ColumnEmbedding | null;
  /** Values per (embedded) row. */
  dim: number;
}

export function createPipelineJobs(deps: PipelineJobDeps): PipelineJobs {
  const running = new Map<number, AbortController>();
  const openShared = createSharedOpener<FrameSource>();
  let ctx: { key: string; c: RowsContext } | null = null;
  const nl = createNeighbourList();
  const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

  const start = (job: number) => { const ac = new AbortController(); running.set(job, ac); return ac; };

  const trajectoryOf = (feed: FrameFeed, signal: AbortSignal): Promise<FrameSource> => {
    const sources = feed.sources!;
    // Blobs arrive as new objects with every message: keyed by sourcesKey (name, size, mtime, type), not identity,
    // so a browser worker opens (decompresses, indexes) the files once per run, not once per job.
    const key = JSON.stringify([feed.open ?? {}, sourcesKey(sources)]);
    return openShared(key, signal, (sig) => deps.open(sources, { ...(feed.open ?? {}), signal: sig }));
  };

  /** Frame k of a request: read from the files or taken inline. */
  const frameAt = async (feed: FrameFeed, frames: Int32Array, k: number, signal: AbortSignal): Promise<InlineFrame> => {
    if (feed.sources) return (await trajectoryOf(feed, signal)).readFrame(frames[k]);
    if (!feed.inline || feed.inline.length !== frames.length) throw new RangeError('pipeline job: neither sources nor one inline frame per frame');
    return feed.inline[k];
  };

  const contextFor = (req: PipelineRowsRequest): RowsContext => {
    const key = JSON.stringify([req.soap, req.compact, req.lens !== null, req.lode?.params ?? null]);
    if (ctx && ctx.key === key) return ctx.c;
    const plan = req.soap ? planSoap(req.soap) : null;
    const lodePlan = req.lode ? planLode(req.lode.params) : null;
    const extra = (req.lens ? 1 : 0) + (lodePlan ? lodePlan.width : 0);
    const embedding = req.compact && plan ? soapEmbedding(plan, extra) : null;
    if (req.compact && !embedding) throw new RangeError('pipeline job: the compact shortcut needs a SOAP block in the filled layout without compression');
    const c: RowsContext = { plan, scratch: plan ? createSoapScratch(plan) : null,
      lode: lodePlan ? { plan: lodePlan, scratch: createLodeScratch(lodePlan) } : null,
      embedding, dim: embedding ? embedding.nIn : (plan ? plan.width : 0) + extra };
    if (c.dim === 0) throw new RangeError('pipeline job: rows without any block');
    ctx = { key, c };
    return c;
  };

  /**
   * Calls `each(k, rows)` with the (embedded) rows of analysed frame k of the request, in order.
   * Row layout before the embedding: [soapWeight * SOAP (W) | lensWeight * LENS (1) | lodeWeight * LODE (WL)],
   * blocks absent from the request left out.
   */
  const forEachFrame = async (req: PipelineRowsRequest, signal: AbortSignal, each: (k: number, rows: Float64Array) => void): Promise<RowsContext> => {
    const c = contextFor(req);
    const { plan, scratch, embedding, lode } = c;
    const nA = req.centres.length, nF = req.frames.length, n = req.species.length;
    const W = plan ? plan.width : 0, WL = lode ? lode.plan.width : 0, hasLens = req.lens !== null;
    const D = W + (hasLens ? 1 : 0) + WL;
    if (req.lens && req.lens.length !== nA * nF) throw new RangeError(`pipeline job: LENS holds ${req.lens.length} values, need ${nA} x ${nF}`);
    const codes = plan ? speciesCodes(plan, req.species, true) : null;
    const periodic = plan ? (plan.params.periodic ?? true) : false;
    const soapW = req.soapWeight ?? 1;
    const lodeIndex = lode ? speciesChannels(lode.plan, req.lode!.atomicNumbers, false) : null;
    if (lodeIndex && lodeIndex.length !== n) throw new RangeError(`pipeline job: ${lodeIndex.length} atomic numbers, species list ${n}`);
    const soap = plan ? new Float64Array(nA * W) : null;
    const lodeRows = lode ? new Float64Array(nA * WL) : null;
    const full = new Float64Array(nA * D);
    const short = embedding ? new Float64Array(nA * embedding.nIn) : null;
    for (let k = 0; k < nF; k++) {
      const f = await frameAt(req.feed, req.frames, k, signal);
      if (f.positions.length !== 3 * n) throw new RangeError(`frame ${req.frames[k]} has ${f.positions.length / 3} atoms, species list ${n}`);
      if (plan) {
        const usePbc = periodic && f.cell !== null;
        if (plan.params.periodic && !f.cell) throw new RangeError(`periodic SOAP needs a cell (frame ${req.frames[k]} has none)`);
        for (let s0 = 0; s0 < nA; s0 += CENTRES_PER_SLICE) {
          await yieldToEvents();
          if (signal.aborted) throw new CancelledError();
          const slice = req.centres.subarray(s0, Math.min(nA, s0 + CENTRES_PER_SLICE));
          buildNeighbourList(nl, f.positions, n, usePbc ? f.cell : null, req.feed.pbc, plan.neighbourRadius, slice, true);
          soapFrame(plan, nl, codes!, soap!, s0 * W, scratch!);
        }
      }
      if (lode) {
        const frame = { positions: f.positions, cell: f.cell, pbc: req.feed.pbc, speciesIndex: lodeIndex! };
        for (let s0 = 0; s0 < nA; s0 += LODE_CENTRES_PER_SLICE) {
          await yieldToEvents();
          if (signal.aborted) throw new CancelledError();
          lodeFrame(lode.plan, frame, req.centres.subarray(s0, Math.min(nA, s0 + LODE_CENTRES_PER_SLICE)), lodeRows!, s0 * WL, lode.scratch);
        }
      }
      // pipeline.md §5 (and issue 8): chi = (w_soap * xhat, w_lens * lens~, w_lode * lode), LENS atom-major, column k.
      const lw = req.lode?.weight ?? 0;
      for (let a = 0; a < nA; a++) {
        let o = a * D;
        for (let q = 0; q < W; q++) full[o + q] = soapW * soap![a * W + q];
        o += W;
        if (hasLens) full[o++] = req.lensWeight * req.lens![a * nF + k];
        if (lode) {
          let scale = lw;
          if (req.lode!.normalise) {
            let n2 = 0;
            for (let q = 0; q < WL; q++) n2 += lodeRows![a * WL + q] ** 2;
            scale = n2 > 0 ? lw / Math.sqrt(n2) : 0;
          }
          for (let q = 0; q < WL; q++) full[o + q] = scale * lodeRows![a * WL + q];
        }
      }
      each(k, embedding ? compressRows(embedding, full, nA, short!) : full);
    }
    return c;
  };

  return {
    async pipelineLens(job, req) {
      const ac = start(job);
      try {
        let src: FrameSource;
        if (req.feed.sources) src = await trajectoryOf(req.feed, ac.signal);
        else {
          // Inline frames cover [first - delay, first + count) or [first, ...) at the start.
          const inline = req.feed.inline ?? [];
          const base = req.first + req.count - inline.length;
          const nAtoms = inline.length ? inline[0].positions.length / 3 : 0;
          src = { nAtoms, nFrames: req.first + req.count, pbc: req.feed.pbc,
            readFrame: async (i) => {
              const f = inline[i - base];
              if (!f) throw new RangeError(`pipeline job: frame ${i} was not sent`);
              return f;
            } };
        }
        const chunk = await computeLensChunk(src, req.first, req.count, req.params, { signal: ac.signal });
        return transfer({ ok: true as const, chunk },
          [chunk.lens.buffer, chunk.numerator.buffer, chunk.denominator.buffer, chunk.counts.buffer] as ArrayBuffer[]);
      } catch (e) {
        return { ok: false as const, error: toWorkerErrorData(e) };
      } finally {
        running.delete(job);
      }
    },
    async pipelineAccumulate(job, req) {
      const ac = start(job);
      try {
        let acc: PcaAccumulator | null = null;
        let kept: Float32Array | null = null;
        const nA = req.centres.length;
        await forEachFrame(req, ac.signal, (k, rows) => {
          if (!acc) {
            acc = createPcaAccumulator(rows.length / nA);
            if (req.keepRows) kept = new Float32Array(req.frames.length * rows.length);
          }
          pcaAccumulate(acc, rows, nA);
          if (kept) kept.set(rows, k * rows.length);
        });
        if (!acc) throw new RangeError('pipeline job: no frame in the range');
        const a: PcaAccumulator = acc;
        const bufs: ArrayBuffer[] = [a.mean.buffer as ArrayBuffer, a.m2.buffer as ArrayBuffer];
        const keptRows = kept as Float32Array | null;
        if (keptRows) bufs.push(keptRows.buffer as ArrayBuffer);
        return transfer({ ok: true as const, acc: a, rows: keptRows }, bufs);
      } catch (e) {
        return { ok: false as const, error: toWorkerErrorData(e) };
      } finally {
        running.delete(job);
      }
    },
    async pipelineProject(job, req) {
      const ac = start(job);
      try {
        const nA = req.centres.length, k = req.model.k;
        const scores = new Float64Array(req.frames.length * nA * k);
        await forEachFrame(req, ac.signal, (j, rows) => {
          if (rows.length !== nA * req.model.dim) throw new RangeError(`pipeline job: rows have ${rows.length / nA} columns, the model ${req.model.dim}`);
          pcaProject(req.model, rows, nA, scores.subarray(j * nA * k, (j + 1) * nA * k));
        });
        return transfer({ ok: true as const, scores, k }, [scores.buffer]);
      } catch (e) {
        return { ok: false as const, error: toWorkerErrorData(e) };
      } finally {
        running.delete(job);
      }
    },
    async pipelineAnalyse(job, req) {
      const ac = start(job);
      try {
        const analysis = await analyseScores({ scores: req.scores, dim: req.dim, nAtoms: req.nAtoms, nFrames: req.nFrames },
          req.params, clustererFor(req.cluster, req.seed), { signal: ac.signal });
        return transfer({ ok: true as const, analysis }, transferablesOf(analysis));
      } catch (e) {
        return { ok: false as const, error: toWorkerErrorData(e) };
      } finally {
        running.delete(job);
      }
    },
    cancelPipeline(job) {
      running.get(job)?.abort();
    },
  };
}
