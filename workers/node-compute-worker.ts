/** Node worker-thread entry: the compute API over parentPort (started by node-pool.ts via node-bootstrap.mjs). */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { blobSource, openTrajectory } from '../src/core/io/index.ts';
import { createComputeApi } from './compute.worker.ts';
import { nodeFileSource } from './node-file-source.ts';

if (!parentPort) throw new Error('node-compute-worker.ts must run in a worker thread');
const api = createComputeApi({
  // Paths are read from disk; Blobs (cloned into this thread) as in the browser.
  open: async (sources, o) => openTrajectory(await Promise.all(sources.map((s) => (typeof s === 'string' ? nodeFileSource(s) : blobSource(s)))), o),
});
expose(api, nodeEndpoint(parentPort));
