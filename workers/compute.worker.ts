/**
 * The compute worker: one comlink API assembled from per-descriptor job modules. To add jobs,
 * write `workers/<name>-jobs.ts` exporting `create<Name>Jobs(deps)` and add ONE line to
 * createComputeApi (its cancel entry is wired through `cancellers`).
 *
 * Browser: Vite bundles this file (browserSpawn / createBrowserPool in pool.ts) and it exposes
 * itself on `self`.
 * Node: node-compute-worker.ts imports createComputeApi and exposes it on parentPort.
 */
import { expose } from 'comlink';
import { blobSource } from '../src/core/io/source.ts';
import { openTrajectory } from '../src/core/io/index.ts';
import type { RunOptions } from '../src/core/progress.ts';
import type { FrameSource } from '../src/core/descriptors/lens/compute-lens.ts';
import { createLensJobs, type LensJobs } from './lens-jobs.ts';
import { createSoapJobs, type SoapJobs } from './soap-jobs.ts';
import { createPipelineJobs, type PipelineJobs } from './pipeline-jobs.ts';
import { createLodeJobs, type LodeJobs } from './lode-jobs.ts';

/** How a worker opens trajectory files: Blobs in the browser, paths in Node. */
export interface ComputeDeps {
  open(sources: (Blob | string)[], o?: RunOptions): Promise<FrameSource>;
}

export type ComputeApi = SoapJobs & LensJobs & PipelineJobs & LodeJobs & {
  /** Aborts job `job` whichever module runs it. */
  cancel(job: number): void;
};

export function createComputeApi(deps: ComputeDeps): ComputeApi {
  const soap = createSoapJobs(deps);
  const lens = createLensJobs(deps);
  const pipeline = createPipelineJobs(deps);
  const lode = createLodeJobs();
  const cancellers = [soap.cancelSoap, lens.cancelLens, pipeline.cancelPipeline, lode.cancelLode];
  return { ...soap, ...lens, ...pipeline, ...lode, cancel(job: number) { for (const c of cancellers) c(job); } };
}

/** Browser deps: files are Blobs (File objects) opened with core/io. */
export const browserDeps: ComputeDeps = {
  open: (sources, o) => openTrajectory(sources.map((s) => {
    if (typeof s === 'string') throw new TypeError('a browser worker opens Blobs, not paths');
    return blobSource(s);
  }), o),
};

// Expose only inside a browser (dedicated) worker; Node imports this module for createComputeApi.
declare const WorkerGlobalScope: unknown;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined') expose(createComputeApi(browserDeps));
