// Worker-thread bootstrap for Node: registers tsx so the TypeScript worker entry can be imported.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
