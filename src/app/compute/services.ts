import { proxy } from 'comlink';
import { blobSource } from '../../core/io/source.ts';
import { openTrajectory } from '../../core/io/index.ts';
import { runRecipe } from '../../../workers/pipeline-runner.ts';
import { rowCacheBudget, type ComputeServices } from './compute-actions.ts';
import { computePool } from './compute-pool.ts';
import type { Pool } from '../../../workers/pool.ts';
import type { PipelineJobs } from '../../../workers/pipeline-jobs.ts';

/** The page's compute services: the browser worker pool, core/io on this thread, comlink proxies. */
export const browserComputeServices: ComputeServices = {
  pool: computePool,
  openTrajectory: (files, o) => openTrajectory(files.map((f) => blobSource(f)), { typeElements: o.typeElements, signal: o.signal }),
  proxy: (f) => proxy(f),
  runRecipe: (recipe, input, pool, o) => runRecipe(recipe, input, pool as unknown as Pool<PipelineJobs>, o),
  rowCacheBytes: rowCacheBudget((navigator as Navigator & { deviceMemory?: number }).deviceMemory),
};
