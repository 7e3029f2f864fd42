/** Node worker-thread entry: the compute API over parentPort (started by node-pool.ts via node-bootstrap.mjs). */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { blobSource, openTrajectory } from '../src/core/io/index.ts';
import type { ByteSource } from '../src/core/io/source.ts';
import { createComputeApi } from './compute.worker.ts';
import { nodeFileSource } from './node-file-source.ts';

if (!parentPort) throw new Error('node-compute-worker.ts must run in a worker thread');

// One read handle per path for the life of the thread: job modules re-open trajectories when their
// cache moves on, and handles dropped to the garbage collector make Node warn (and leak until GC).
const handles = new Map<string, Promise<ByteSource>>();
function pathSource(path: string): Promise<ByteSource> {
  let h = handles.get(path);
  if (!h) {
    h = nodeFileSource(path);
    h.catch(() => handles.delete(path));
    handles.set(path, h);
  }
  return h;
}

const api = createComputeApi({
  // Paths are read from disk; Blobs (cloned into this thread) as in the browser.
  open: async (sources, o) => openTrajectory(await Promise.all(sources.map((s) => (typeof s === 'string' ? pathSource(s) : blobSource(s)))), o),
});
expose(api, nodeEndpoint(parentPort));
