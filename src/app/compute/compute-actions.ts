/**
 * What the compute and parameters panels do, as functions of the store and injected services (so
 * they run in Node tests with a fake pool): LENS of the loaded trajectory, streaming SOAP
 * summaries, and the whole pipeline (runRecipe). Each runs as a job with progress and Cancel;
 * nothing already loaded or computed is replaced unless the new computation succeeds, and errors
 * go to the errors slice. Results computed for a trajectory that was replaced meanwhile are dropped.
 */
import type { StoreApi } from 'zustand/vanilla';
import { CancelledError } from '../../core/errors.ts';
import type { LensConvention } from '../../core/descriptors/lens/lens.ts';
import type { SoapParams } from '../../core/descriptors/soap/soap.ts';
import type { OpenOptions } from '../../core/io/reader.ts';
import type { Progress } from '../../core/progress.ts';
import { validateRecipe, type Recipe } from '../../core/pipeline/recipe.ts';
import type { Results } from '../../core/pipeline/results.ts';
import type { Trajectory } from '../../core/trajectory.ts';
import { lensForFiles, type LensPoolLike } from '../../../workers/lens-jobs.ts';
import { soapOnPool, type SoapFrameInput, type SoapJobs } from '../../../workers/soap-jobs.ts';
import type { Pool } from '../../../workers/pool.ts';
import type { ComputeApi } from '../../../workers/compute.worker.ts';
import type { AppState, LoadedTrajectory } from '../store.ts';
import { clusterLayers, createSoapSummary, lensLayer, soapLayers } from './layers.ts';

/** The options of workers/pipeline-runner.ts runRecipe this module uses. */
export interface RunnerOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  onStage?: (e: { stage: string; state: 'start' | 'done'; ms?: number }) => void;
  maxFrames?: number;
  clock?: () => number;
  /** Bytes of pass-A rows kept as float32 on this thread so the projection needs no second SOAP pass (0: recompute). */
  rowCacheBytes?: number;
}

/** Runs a recipe (workers/pipeline-runner.ts runRecipe's shape, injectable for tests). */
export type RecipeRunner = (recipe: Recipe, input: { trajectory: Trajectory; sources?: (Blob | string)[]; open?: Pick<OpenOptions, 'typeElements'> },
  pool: Pool<ComputeApi>, o: RunnerOptions) => Promise<Results>;

export interface ComputeServices {
  /** The compute pool (created on first use). */
  pool(): Pool<ComputeApi>;
  /** Opens the loaded files on this thread (header now, frames on demand). */
  openTrajectory(files: File[], o: { typeElements?: Record<string, string>; signal?: AbortSignal }): Promise<Trajectory>;
  /** comlink's proxy (progress callbacks cross the worker boundary); identity in tests. */
  proxy<F extends (p: Progress) => void>(f: F): F;
  /** The pipeline runner; absent until workers/pipeline-runner.ts is available. */
  runRecipe?: RecipeRunner;
  /** Default row-cache budget of a pipeline run in bytes (see rowCacheBudget; absent: 0, always recompute). */
  rowCacheBytes?: number;
}

const MIB = 2 ** 20;

/**
 * Row-cache budget for a machine with `deviceMemoryGb` of RAM (navigator.deviceMemory: Chromium
 * reports 0.25..8, other browsers nothing): a tenth of it, at most 768 MiB (the CLI's default),
 * 512 MiB when unknown. Within the budget the projection reuses the pass-A rows instead of computing
 * SOAP a second time (about half the run); the Cu(211) paper case (500 frames) needs 534 MiB.
 */
export function rowCacheBudget(deviceMemoryGb: number | undefined): number {
  if (!(typeof deviceMemoryGb === 'number' && deviceMemoryGb > 0 && Number.isFinite(deviceMemoryGb))) return 512 * MIB;
  return Math.min(768 * MIB, Math.floor(deviceMemoryGb * 1024 * MIB / 10 / MIB) * MIB);
}

export interface LensRequest {
  cutoff: number;
  convention: LensConvention;
}

/** True when the job ended because the user cancelled it (not an error to show). */
function isCancel(e: unknown, signal: AbortSignal): boolean {
  return e instanceof CancelledError || signal.aborted;
}

/** Starts a cancellable job in the store; returns its id and signal. */
function startJob(store: StoreApi<AppState>, label: string): { id: number; ac: AbortController } {
  const ac = new AbortController();
  const id = store.getState().startJob(label, () => ac.abort());
  return { id, ac };
}

function current(store: StoreApi<AppState>, version: number): boolean {
  return store.getState().trajectoryVersion === version;
}

/** Colours by layer `id` and, when the frame shown has no values in it, moves to its first frame. */
function showLayer(store: StoreApi<AppState>, id: string): void {
  const s = store.getState();
  s.setColourBy({ kind: 'layer', id });
  const frames = s.layers[id]?.frames;
  if (frames && frames.length > 0 && !frames.includes(s.frameIndex)) s.setFrameIndex(frames[0]);
}

/**
 * LENS of every atom over the whole loaded trajectory on the pool (lensForFiles), then the 'lens'
 * colour layer (coloured by it at once) and the LENS series in the analysis slice. Resolves true
 * when it finished and was installed.
 */
export async function computeLens(store: StoreApi<AppState>, svc: ComputeServices, req: LensRequest): Promise<boolean> {
  const t = store.getState().trajectory;
  if (!t) return false;
  const version = store.getState().trajectoryVersion;
  const { id, ac } = startJob(store, `LENS (cutoff ${req.cutoff} Å)`);
  try {
    if (!(req.cutoff > 0) || !Number.isFinite(req.cutoff)) throw new RangeError(`LENS cutoff must be a positive number of Å, got ${req.cutoff}`);
    if (t.nFrames < 2) throw new RangeError(`LENS compares frames: this trajectory has ${t.nFrames} frame`);
    const pool = svc.pool() as unknown as LensPoolLike;
    const res = await lensForFiles(pool, t.sources, t.nFrames, { cutoff: req.cutoff, convention: req.convention, delay: 1 },
      (f) => svc.proxy(f), { signal: ac.signal, onProgress: (p) => store.getState().updateJob(id, p) });
    if (!current(store, version)) return false;
    const s = store.getState();
    s.addLayer(lensLayer(res, t.nAtoms, null));
    s.setLensSeries({ result: res, centres: null, cutoff: req.cutoff });
    showLayer(store, 'lens');
    return true;
  } catch (e) {
    if (!isCancel(e, ac.signal) && current(store, version)) store.getState().pushError(e, `Could not compute LENS for ${t.name}`);
    return false;
  } finally {
    store.getState().endJob(id);
  }
}

/** Massless sites (TIP4P's M) carry no density and are no SOAP centres. */
const VIRTUAL = 'virtual';

/** Distinct species of a trajectory in first-seen order, without virtual sites. */
function distinctSpecies(species: readonly string[]): string[] {
  return [...new Set(species)].filter((s) => s !== VIRTUAL);
}

/** SOAP parameters for the loaded trajectory: the recipe's radial/angular settings, filled and normalised, every species present. */
export function soapParamsFor(recipe: Recipe, species: readonly string[], periodic: boolean): SoapParams {
  return { ...recipe.soap, species: distinctSpecies(species), layout: 'filled', periodic };
}

/** SOAP centres: every atom but virtual sites (null when there are none). */
export function soapCentres(species: readonly string[]): Int32Array | null {
  if (!species.includes(VIRTUAL)) return null;
  const out: number[] = [];
  species.forEach((s, i) => { if (s !== VIRTUAL) out.push(i); });
  return Int32Array.from(out);
}

/**
 * Opens the loaded files on this thread with the recipe's type -> element map (species must be
 * elements for SOAP), checking they still describe the loaded trajectory.
 */
async function openLoaded(svc: ComputeServices, t: LoadedTrajectory, recipe: Recipe, signal: AbortSignal): Promise<Trajectory> {
  // one opened copy per loaded trajectory and type map: later runs skip re-reading the index
  const key = JSON.stringify(recipe.typeElements ?? null);
  const hit = opened.get(t);
  if (hit && hit.key === key) return hit.traj;
  const traj = await svc.openTrajectory(t.sources, { typeElements: recipe.typeElements, signal });
  if (traj.nAtoms !== t.nAtoms || traj.nFrames !== t.nFrames) {
    throw new RangeError(`the files now read as ${traj.nAtoms} atoms x ${traj.nFrames} frames, the loaded trajectory has ${t.nAtoms} x ${t.nFrames}`);
  }
  opened.set(t, { key, traj });
  return traj;
}

const opened = new WeakMap<LoadedTrajectory, { key: string; traj: Trajectory }>();

/**
 * SOAP (the recipe's r_cut, n_max, l_max, sigma; filled, normalised; every atom a centre) of every
 * frame, streamed through the pool: only per-frame summaries are kept (timeSOAP and the distance
 * to the frame-mean spectrum, see layers.ts), as colour layers; colours by timeSOAP.
 */
export async function computeSoap(store: StoreApi<AppState>, svc: ComputeServices): Promise<boolean> {
  const t = store.getState().trajectory;
  if (!t) return false;
  const version = store.getState().trajectoryVersion;
  const recipe = store.getState().recipe;
  const { id, ac } = startJob(store, `SOAP (r_cut ${recipe.soap.rCut} Å)`);
  try {
    if (t.sources.length === 0) throw new RangeError('the loaded trajectory has no files to read frames from');
    const traj = await openLoaded(svc, t, recipe, ac.signal);
    const f0 = await traj.readFrame(0);
    const periodic = f0.cell !== null && traj.pbc.some(Boolean);
    const params = soapParamsFor(recipe, traj.species, periodic);
    const centres = soapCentres(traj.species);
    const summary = createSoapSummary(t.nAtoms, t.nFrames, centres);
    async function* frames(): AsyncGenerator<SoapFrameInput> {
      for (let i = 0; i < traj.nFrames; i++) {
        const f = i === 0 ? f0 : await traj.readFrame(i);
        yield { positions: f.positions.slice(), cell: f.cell ? f.cell.slice() : null, pbc: [traj.pbc[0], traj.pbc[1], traj.pbc[2]] };
      }
    }
    await soapOnPool(svc.pool() as unknown as Pool<SoapJobs>, frames(), { species: traj.species, centres, params, ignoreUnknownSpecies: centres !== null },
      (k, rows, width) => summary.push(k, rows, width),
      { signal: ac.signal, total: t.nFrames, onProgress: (p) => store.getState().updateJob(id, p) });
    if (!current(store, version)) return false;
    const s = store.getState();
    for (const l of soapLayers(summary.result())) s.addLayer(l);
    showLayer(store, t.nFrames > 1 ? 'timesoap' : 'soap-spread');
    return true;
  } catch (e) {
    if (!isCancel(e, ac.signal) && current(store, version)) store.getState().pushError(e, `Could not compute SOAP for ${t.name}`);
    return false;
  } finally {
    store.getState().endJob(id);
  }
}

export interface RunPipelineOptions {
  /** Analyse only the first N frames (default all). */
  maxFrames?: number;
  clock?: () => number;
  /** Row-cache budget in bytes (default svc.rowCacheBytes, else 0). */
  rowCacheBytes?: number;
}

const runControllers = new WeakMap<StoreApi<AppState>, AbortController>();

/** Cancels the pipeline run in progress on this store, if any. */
export function cancelPipeline(store: StoreApi<AppState>): void {
  runControllers.get(store)?.abort();
}

/**
 * Runs the store's recipe on the loaded trajectory (runRecipe on the pool) with per-stage progress
 * in `run`; on success installs the results and the 'cluster' / 'macro' layers. A cancelled or
 * failed run leaves the previous results in place.
 */
export async function runPipeline(store: StoreApi<AppState>, svc: ComputeServices, o: RunPipelineOptions = {}): Promise<boolean> {
  const t = store.getState().trajectory;
  if (!t || store.getState().run.running) return false;
  const version = store.getState().trajectoryVersion;
  const recipe = store.getState().recipe;
  const ac = new AbortController();
  runControllers.set(store, ac);
  const s0 = store.getState();
  s0.setRun({ running: true, stage: null, progress: null, error: null, done: [], cancelled: false });
  const jobId = s0.startJob(`Pipeline: ${recipe.name}`, () => ac.abort());
  try {
    validateRecipe(recipe);
    if (!svc.runRecipe) throw new Error('the pipeline runner is not available in this build');
    if (t.sources.length === 0) throw new RangeError('the loaded trajectory has no files to read frames from');
    const traj = await openLoaded(svc, t, recipe, ac.signal);
    const res = await svc.runRecipe(recipe, { trajectory: traj, sources: t.sources, open: recipe.typeElements ? { typeElements: recipe.typeElements } : undefined },
      svc.pool(), {
        signal: ac.signal, maxFrames: o.maxFrames, clock: o.clock, rowCacheBytes: o.rowCacheBytes ?? svc.rowCacheBytes ?? 0,
        onStage: (e) => {
          const run = store.getState().run;
          if (e.state === 'start') store.getState().setRun({ stage: e.stage, progress: null });
          else store.getState().setRun({ done: [...run.done, { stage: e.stage, ms: e.ms ?? 0 }] });
        },
        onProgress: (p) => { store.getState().setRun({ progress: p }); store.getState().updateJob(jobId, p); },
      });
    if (!current(store, version)) return false;
    const s = store.getState();
    s.setResults(res);
    for (const l of clusterLayers(res, t.nAtoms)) s.addLayer(l);
    showLayer(store, 'cluster');
    s.setRun({ running: false, stage: null, progress: null });
    return true;
  } catch (e) {
    const cancelled = isCancel(e, ac.signal);
    store.getState().setRun({ running: false, stage: null, progress: null, cancelled,
      error: cancelled ? null : e instanceof Error ? e.message : String(e) });
    if (!cancelled && current(store, version)) store.getState().pushError(e, `Pipeline "${recipe.name}" failed on ${t.name}`);
    return false;
  } finally {
    if (runControllers.get(store) === ac) runControllers.delete(store);
    store.getState().endJob(jobId);
  }
}
