/**
 * The end-to-end analysis runner (pipeline.md §1-§9, issue 5): one function, runRecipe, serves the
 * explorer (browser Workers) and the CLI (Node worker_threads). It streams: the frames x atoms x
 * 577 matrix is never held, only per-chunk rows inside the workers, the PCA scatter (D x D) and the
 * k scores per row.
 *
 *  1. selection (frame `selection.frame`, pipeline.md §1);
 *  2. LENS over all frames on the pool (chunks of frames, mergeLensChunks), forward alignment,
 *     Savitzky-Golay, clip, trim (§3-§4);
 *  3. pass A on the pool: per chunk of kept frames, the rows (§5): the blocks of recipe.descriptor
 *     in the order SOAP | LENS | LODE, each times its weight (soapWeight, lensWeight, lode.weight).
 *     SOAP rows are L2-normalised by the engine (filled layout), LENS is the smoothed value in
 *     [0, 1] (not normalised), LODE rows are raw unless lode.normalise (then L2 per row). Rows go
 *     through the compact-SOAP embedding (§6) whenever a filled SOAP block is present (LENS and
 *     LODE are trailing identity columns, so the PCA stays exact), are accumulated per chunk and
 *     merged in chunk order (Chan update), then the eigen-decomposition and k for the variance target;
 *  4. pass B: the rows are recomputed on the pool and projected (or, within `rowCacheBytes`, the
 *     float32 rows kept from pass A are projected here), keeping the k scores only;
 *  5.-6. clustering (HDBSCAN* exact or subsample-then-predict with soft argmax, GMM, KMeans, LENS
 *     thresholds), transitions and macro-clusters (analyseScores) in one pool job.
 *
 * Determinism: chunk boundaries depend only on `chunkFrames`, never on the pool size or timing,
 * and partial results are combined in chunk order, so a seed gives bit-identical results with any
 * number of workers.
 */
import { transfer } from 'comlink';
import {
  mergeLensChunks, splitFrames, type LensChunk, type LensResult, type LensSelection,
} from '../src/core/descriptors/lens/compute-lens.ts';
import type { LensParams } from '../src/core/descriptors/lens/lens.ts';
import { lensForward, selectAlignedFrames, smoothLens } from '../src/core/descriptors/smoothing/postprocess.ts';
import { atomicNumber } from '../src/core/descriptors/common/elements.ts';
import { planLode, type LodeParams } from '../src/core/descriptors/lode/lode.ts';
import { planSoap } from '../src/core/descriptors/soap/soap.ts';
import { CancelledError } from '../src/core/errors.ts';
import { expandPcaModel, type ColumnEmbedding } from '../src/core/learn/embedding.ts';
import { pcaFinish, pcaMerge, pcaProject, type PcaAccumulator, type PcaModel } from '../src/core/learn/pca.ts';
import { descriptorBlocks, validateRecipe, type Recipe } from '../src/core/pipeline/recipe.ts';
import type { Results, StageTiming } from '../src/core/pipeline/results.ts';
import { selectAtoms } from '../src/core/pipeline/selection.ts';
import { checkpoint, createReporter, type RunOptions } from '../src/core/progress.ts';
import type { Trajectory } from '../src/core/trajectory.ts';
import {
  soapEmbedding, type FrameFeed, type InlineFrame, type PipelineAccumulateReply, type PipelineAnalyseReply, type PipelineJobs, type PipelineLensReply,
  type PipelineProjectReply, type PipelineRowsRequest,
} from './pipeline-jobs.ts';
import { rebuildError, type Pool } from './pool.ts';

/** What to analyse: an opened trajectory, and (preferably) the files the workers open themselves. */
export interface PipelineInput {
  /** Header (species, frame count) and frame `selection.frame`; also the frames when `sources` is absent. */
  trajectory: Trajectory;
  /** The files the trajectory was opened from: Blobs (browser) or paths (Node). Without them frames are sent to the workers. */
  sources?: (Blob | string)[];
  /** Reader options the workers open `sources` with (typeElements defaults to the recipe's). */
  open?: FrameFeed['open'];
}

/** A stage starting or ending (timings in the clock's unit, milliseconds by default). */
export interface StageEvent {
  stage: string;
  state: 'start' | 'done';
  /** Duration, on 'done'. */
  ms?: number;
}

export interface RunRecipeOptions extends RunOptions {
  /** Called when each stage starts and ends (the UI's stage list). */
  onStage?: (e: StageEvent) => void;
  /** Milliseconds clock for the stage timings (default performance.now). */
  clock?: () => number;
  /** Current memory use in bytes (e.g. process.memoryUsage().rss); sampled per job, peak reported. */
  memory?: () => number;
  /** Analyse only the first N trajectory frames (default all). */
  maxFrames?: number;
  /** Kept frames per pool job (default 4). The results depend on it (rounding only), not on the pool size. */
  chunkFrames?: number;
  /**
   * Bytes the pass-A rows may occupy as float32 to be projected without recomputing them (default 0:
   * always recompute; pipeline.md §6). Scores from float32 rows differ from recomputed ones by ~1e-7.
   */
  rowCacheBytes?: number;
  /** Jobs in flight at once (default 2 x pool size). */
  maxInFlight?: number;
}

/** The stages reported in Results.timings, in order. */
export const PIPELINE_STAGES = ['selection', 'lens', 'smoothing', 'pca', 'projection', 'clustering'] as const;

const DEFAULT_CHUNK_FRAMES = 4;

/**
 * Runs jobs 0..n-1 with at most maxInFlight pending, consuming results strictly in index order
 * (so merges are deterministic and memory bounded). Stops issuing and rethrows on the first error.
 */
async function runOrdered<R>(n: number, maxInFlight: number, startJob: (i: number) => Promise<R>,
  consume: (i: number, r: R) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
  const pending = new Map<number, Promise<R>>();
  let next = 0;
  try {
    for (let i = 0; i < n; i++) {
      signal?.throwIfAborted();
      const p = startJob(i);
      p.catch(() => undefined); // observed below, in order
      pending.set(i, p);
      while (pending.size >= maxInFlight) { const r = await pending.get(next)!; pending.delete(next); await consume(next++, r); }
    }
    while (pending.size > 0) { const r = await pending.get(next)!; pending.delete(next); await consume(next++, r); }
  } catch (e) {
    if (signal?.aborted) throw new CancelledError();
    throw e;
  }
}

/** Column c's sign of `long` relative to E * short (expandPcaModel re-applies the sign rule in the long layout). */
function embeddedSigns(long: PcaModel, short: PcaModel, e: ColumnEmbedding): Float64Array {
  const s = new Float64Array(short.k);
  for (let c = 0; c < short.k; c++) {
    let dot = 0;
    for (let j = 0; j < e.nOut; j++) dot += long.components[c * e.nOut + j] * e.scale[j] * short.components[c * short.dim + e.index[j]];
    s[c] = dot < 0 ? -1 : 1;
  }
  return s;
}

/**
 * Runs a recipe end to end on a pool (see the module comment). Progress: o.onProgress gets
 * {stage, done, total} per stage (frames for lens/pca/projection, 0/1 for the others); o.onStage
 * marks stage boundaries. Abort o.signal to cancel: running jobs are cancelled in the workers and
 * the promise rejects with CancelledError. Bad recipes and selections throw RangeError, bad files
 * the readers' FormatError.
 */
export async function runRecipe(recipe: Recipe, input: PipelineInput | Trajectory, pool: Pool<PipelineJobs>,
  o: RunRecipeOptions = {}): Promise<Results> {
  validateRecipe(recipe);
  const inp: PipelineInput = 'trajectory' in input ? input : { trajectory: input };
  const traj = inp.trajectory;
  const signal = o.signal;
  const clock = o.clock ?? (() => performance.now());
  const timings: StageTiming[] = [];
  const warnings: string[] = [];
  let peak = 0;
  const sample = () => { if (o.memory) peak = Math.max(peak, o.memory()); };
  let stageName = '', stageT0 = 0;
  const begin = (s: string) => { stageName = s; stageT0 = clock(); sample(); o.onStage?.({ stage: s, state: 'start' }); };
  const end = () => {
    const ms = clock() - stageT0;
    timings.push({ stage: stageName, ms });
    sample();
    o.onStage?.({ stage: stageName, state: 'done', ms });
  };
  const maxInFlight = Math.max(1, o.maxInFlight ?? 2 * pool.size);
  const chunkFrames = o.chunkFrames ?? DEFAULT_CHUNK_FRAMES;
  if (!Number.isInteger(chunkFrames) || chunkFrames < 1) throw new RangeError(`chunkFrames must be a positive integer, got ${chunkFrames}`);
  const nFrames = Math.min(traj.nFrames, o.maxFrames ?? traj.nFrames);
  if (!Number.isInteger(nFrames) || nFrames < 2) throw new RangeError(`pipeline: need at least 2 frames, got ${nFrames}`);
  const pbc: [boolean, boolean, boolean] = [traj.pbc[0], traj.pbc[1], traj.pbc[2]];
  const openOpts: FrameFeed['open'] = inp.open ?? (recipe.typeElements ? { typeElements: recipe.typeElements } : undefined);
  /** A feed for trajectory frames `list` (inline frames are read here and copied, so transfers never detach the reader's cache). */
  const feedFor = async (list: ArrayLike<number>): Promise<{ feed: FrameFeed; transfer: ArrayBuffer[] }> => {
    if (inp.sources) return { feed: { sources: inp.sources, open: openOpts, pbc }, transfer: [] };
    const inline: InlineFrame[] = [];
    for (let i = 0; i < list.length; i++) {
      const f = await traj.readFrame(list[i]);
      inline.push({ positions: f.positions.slice(), cell: f.cell ? f.cell.slice() : null });
    }
    return { feed: { inline, pbc }, transfer: inline.map((f) => f.positions.buffer as ArrayBuffer) };
  };
  const unwrap = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
    if (!r.ok) throw rebuildError((r as unknown as { error: Parameters<typeof rebuildError>[0] }).error);
    return r as Extract<T, { ok: true }>;
  };

  // 1. Selection (pipeline.md §1).
  begin('selection');
  const selFrame = 'frame' in recipe.selection ? recipe.selection.frame : 0;
  if (selFrame >= nFrames) throw new RangeError(`selection: frame ${selFrame} outside 0..${nFrames - 1}`);
  const atoms = selectAtoms(recipe.selection, traj.species, await traj.readFrame(selFrame));
  const nA = atoms.length;
  end();

  // 2. LENS on the pool (pipeline.md §3), then §4.
  begin('lens');
  const delay = 1; // pipeline.md §3: forward change t -> t + 1
  const lensParams: LensParams & LensSelection = {
    cutoff: recipe.lens.cutoff, convention: recipe.lens.convention, delay,
    centres: atoms, universe: recipe.lens.universe === 'selection' ? atoms : null,
  };
  const ranges = splitFrames(nFrames, Math.max(pool.size, Math.ceil(nFrames / 32)));
  const chunks: LensChunk[] = [];
  {
    const report = createReporter(o, 'lens', nFrames);
    let done = 0;
    await runOrdered(ranges.length, maxInFlight, async (i) => {
      const r = ranges[i];
      const from = Math.max(0, r.first - delay);
      const { feed, transfer: tr } = await feedFor(Int32Array.from({ length: r.first + r.count - from }, (_, q) => from + q));
      const req = { feed, first: r.first, count: r.count, params: lensParams };
      return pool.run((api, job) => api.pipelineLens(job, transfer(req, tr)) as Promise<PipelineLensReply>, signal);
    }, (i, reply) => {
      chunks.push(unwrap(reply).chunk);
      done += ranges[i].count;
      sample();
      report(done);
    }, signal);
  }
  const lensRes: LensResult = mergeLensChunks(chunks, nFrames, lensParams);
  chunks.length = 0;
  if (lensRes.notes) warnings.push(...lensRes.notes);
  end();

  begin('smoothing');
  const fw = lensRes.convention === 'soapify' ? lensForward(lensRes.lens, nA, nFrames, delay) : lensRes.lens;
  const fwCols = nFrames - delay;
  const sm = recipe.smoothing;
  const smoothed = smoothLens(fw, nA, fwCols, { window: sm.window, polyorder: sm.polyorder, mode: sm.mode, clip: sm.clip, trim: sm.trim });
  const kept = selectAlignedFrames(nFrames, sm.window, delay, sm.trim);
  if (kept.length !== smoothed.count || kept.some((t, j) => t !== smoothed.frames[j])) {
    throw new RangeError('pipeline: SOAP and LENS frame alignment disagree (pipeline.md §4)');
  }
  const M = kept.length;
  if (M < 2) throw new RangeError(`pipeline: ${nFrames} frames leave ${M} analysed frame(s) after smoothing with window ${sm.window}; need at least 2`);
  // Results.lens is frame-major like every per-row array: lens[j * nA + a].
  const lensRows = new Float64Array(M * nA);
  for (let a = 0; a < nA; a++) for (let j = 0; j < M; j++) lensRows[j * nA + a] = smoothed.values[a * M + j];
  end();

  let pca: PcaModel | null = null;
  let scores: Float64Array;
  let scoreDim: number;
  if (recipe.descriptor === 'lens') {
    begin('pca');
    end();
    begin('projection');
    scores = lensRows;
    scoreDim = 1;
    end();
  } else {
    const blocks = descriptorBlocks(recipe.descriptor);
    const withLens = blocks.lens;
    const plan = blocks.soap ? planSoap(recipe.soap) : null; // RangeError on bad parameters before any work
    let lode: PipelineRowsRequest['lode'] = null;
    if (blocks.lode) {
      // LODE species: every element of the trajectory (all atoms make the potential), as atomic numbers.
      const atomicNumbers = Int32Array.from(traj.species, (s) => {
        const z = atomicNumber(s);
        if (!(z > 0)) throw new RangeError(`LODE: "${s}" is not an element symbol (set recipe.typeElements)`);
        return z;
      });
      const species = [...new Set(atomicNumbers)].sort((a, b) => a - b);
      const params: LodeParams = { ...recipe.lode!.params, species };
      lode = { params, weight: recipe.lode!.weight, normalise: recipe.lode!.normalise ?? false, atomicNumbers };
    }
    const lodeWidth = lode ? planLode(lode.params).width : 0;
    const extra = (withLens ? 1 : 0) + lodeWidth;
    const embedding = plan ? soapEmbedding(plan, extra) : null;
    const nChunks = Math.ceil(M / chunkFrames);
    const chunkFramesOf = (c: number) => kept.subarray(c * chunkFrames, Math.min(M, (c + 1) * chunkFrames));
    /** LENS of chunk c, atom-major (nA x frames of the chunk), weighted later in the worker. */
    const lensOf = (c: number): Float64Array | null => {
      if (!withLens) return null;
      const j0 = c * chunkFrames, cnt = chunkFramesOf(c).length;
      const out = new Float64Array(nA * cnt);
      for (let a = 0; a < nA; a++) for (let q = 0; q < cnt; q++) out[a * cnt + q] = smoothed.values[a * M + j0 + q];
      return out;
    };
    const request = async (c: number): Promise<{ req: PipelineRowsRequest; tr: ArrayBuffer[] }> => {
      const frames = chunkFramesOf(c).slice();
      const { feed, transfer: tr } = await feedFor(frames);
      const lens = lensOf(c);
      const req: PipelineRowsRequest = { feed, frames, centres: atoms, species: traj.species, soap: blocks.soap ? recipe.soap : null,
        soapWeight: recipe.soapWeight ?? 1, lens, lensWeight: recipe.lensWeight, lode, compact: embedding !== null };
      return { req, tr: [...tr, frames.buffer as ArrayBuffer, ...(lens ? [lens.buffer as ArrayBuffer] : [])] };
    };
    const dimShort = embedding ? embedding.nIn : (plan ? plan.width : 0) + extra;
    const keepRows = (o.rowCacheBytes ?? 0) >= M * nA * dimShort * 4;
    const cache: (Float32Array | null)[] = [];

    // 3. Pass A: accumulate (pipeline.md §6).
    begin('pca');
    let acc: PcaAccumulator | null = null;
    {
      const report = createReporter(o, 'pca', M);
      let done = 0;
      await runOrdered(nChunks, maxInFlight, async (c) => {
        const { req, tr } = await request(c);
        return pool.run((api, job) => api.pipelineAccumulate(job, transfer({ ...req, keepRows }, tr)) as Promise<PipelineAccumulateReply>, signal);
      }, (c, reply) => {
        const r = unwrap(reply);
        acc = acc ? pcaMerge(acc, r.acc) : r.acc;
        if (keepRows) cache[c] = r.rows;
        done += chunkFramesOf(c).length;
        sample();
        report(done);
      }, signal);
    }
    const short = pcaFinish(acc!, recipe.pca);
    acc = null;
    pca = embedding ? expandPcaModel(short, embedding) : short;
    const signs = embedding ? embeddedSigns(pca, short, embedding) : new Float64Array(short.k).fill(1);
    end();

    // 4. Pass B: scores only (recomputed rows, or the float32 rows kept within the budget).
    begin('projection');
    const k = short.k;
    scores = new Float64Array(M * nA * k);
    scoreDim = k;
    {
      const report = createReporter(o, 'projection', M);
      let done = 0;
      if (keepRows) {
        for (let c = 0; c < nChunks; c++) {
          await checkpoint(o);
          const rows = cache[c]!;
          const nRows = rows.length / dimShort;
          pcaProject(short, rows, nRows, scores.subarray(c * chunkFrames * nA * k, c * chunkFrames * nA * k + nRows * k));
          cache[c] = null;
          done += chunkFramesOf(c).length;
          report(done);
        }
      } else {
        await runOrdered(nChunks, maxInFlight, async (c) => {
          const { req, tr } = await request(c);
          return pool.run((api, job) => api.pipelineProject(job, transfer({ ...req, model: short }, tr)) as Promise<PipelineProjectReply>, signal);
        }, (c, reply) => {
          scores.set(unwrap(reply).scores, c * chunkFrames * nA * k);
          done += chunkFramesOf(c).length;
          sample();
          report(done);
        }, signal);
      }
    }
    for (let c = 0; c < k; c++) if (signs[c] < 0) for (let r = c; r < scores.length; r += k) scores[r] = -scores[r];
    end();
  }

  // 5.-6. Clustering, transitions, macro-clusters in one worker.
  begin('clustering');
  o.onProgress?.({ stage: 'clustering', done: 0, total: 1 });
  const reply = await pool.run((api, job) => api.pipelineAnalyse(job, {
    scores, dim: scoreDim, nAtoms: nA, nFrames: M, cluster: recipe.cluster, seed: recipe.seed,
    params: { transitions: recipe.transitions, macro: recipe.macro },
  }) as Promise<PipelineAnalyseReply>, signal);
  const analysis = unwrap(reply).analysis;
  o.onProgress?.({ stage: 'clustering', done: 1, total: 1 });
  end();

  const res: Results = {
    version: 1, recipe, atoms, frames: Int32Array.from(kept), nAtoms: nA, nFrames: M, lens: lensRows, pca, scores, scoreDim,
    analysis, timings, warnings,
  };
  if (o.memory) res.peakMemoryBytes = peak;
  return res;
}
