import { expose } from 'comlink';
import { blobSource } from '../src/core/io/source.ts';
import { openTrajectory } from '../src/core/io/index.ts';
import { createParseApi } from './parse-api.ts';

// The parse worker: opens dropped files with core/io and serves frames on demand (parse-api.ts).
expose(createParseApi({ source: (blob, name) => blobSource(blob, name), open: openTrajectory }));
