/**
 * Node-only ByteSource over a file on disk: positional reads, nothing loaded up front. The CLI and
 * the worker threads share one implementation (workers/node-file-source.ts).
 */
export { nodeFileSource as fileSource } from '../../workers/node-file-source.ts';
