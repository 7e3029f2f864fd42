/**
 * HDF5 access for the H5MD and SOAPify readers, through h5wasm (the HDF5 C library in
 * WebAssembly). h5wasm is loaded lazily (dynamic import) the first time an HDF5 file is opened, so
 * nobody pays for the wasm module otherwise.
 *
 * Where the file lives decides how it is opened:
 * - Browser worker with the dropped File/Blob at hand (`source.blob`): mounted read-only with
 *   Emscripten's WORKERFS, which reads slices of the Blob synchronously (FileReaderSync) as HDF5
 *   asks for them: the file is read in place, never copied (issue 7). Only in workers (FileReaderSync).
 * - Node CLI on a path: use the `h5wasm/node` build (NODERAWFS, host file read in place) and hand
 *   the opened File to `readH5mdFile` / `readSoapifyFile` directly; core never imports it.
 * - Anything else (a ByteSource of bytes, tests): the bytes are copied into h5wasm's in-memory FS.
 *   Correct but not "in place"; fine for small files and tests.
 *
 * Everything h5wasm throws is turned into a FormatError naming the file and the HDF5 object.
 */
import { FormatError } from '../errors.ts';
import { checkpoint, createReporter, type RunOptions } from '../progress.ts';
import type { BinarySource } from './binary-io.ts';
import type { Dataset, Entity, File as H5File, Group } from 'h5wasm';

/** The h5wasm module shape these readers use (the default export of 'h5wasm' or 'h5wasm/node'). */
export interface H5Wasm {
  File: new (filename: string, mode?: 'r') => H5File;
  ready: Promise<{ FS: unknown }>;
}

/** Minimal Emscripten FS surface used here. */
interface EmFs {
  mkdir(path: string): void;
  rmdir(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  unlink(path: string): void;
  mount(type: unknown, opts: unknown, path: string): void;
  unmount(path: string): void;
  filesystems: Record<string, unknown>;
}

/** HDF5 signature (8 bytes), at offset 0 or after a user block of 512, 1024, 2048... bytes. */
export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function hasHdf5Signature(head: Uint8Array): boolean {
  for (let off = 0; off + 8 <= head.length; off = off === 0 ? 512 : off * 2) {
    let ok = true;
    for (let k = 0; k < 8; k++) if (head[off + k] !== HDF5_SIGNATURE[k]) { ok = false; break; }
    if (ok) return true;
  }
  return false;
}

let loaded: Promise<H5Wasm> | null = null;

/** The browser/ESM h5wasm build, loaded once (documented module-level cache: the wasm instance). */
export function loadH5wasm(): Promise<H5Wasm> {
  loaded ??= import('h5wasm').then(async (m) => {
    const h5 = (m.default ?? m) as unknown as H5Wasm;
    await h5.ready;
    return h5;
  });
  return loaded;
}

/** An opened HDF5 file and how to release it. */
export interface H5Handle {
  file: H5File;
  /** 'workerfs' (read in place) or 'memfs' (copied into memory). */
  mode: 'workerfs' | 'memfs';
  close(): void;
}

let counter = 0;
/** Bytes per read when copying a source into the in-memory FS (progress and cancel in between). */
const COPY_CHUNK = 16 << 20;

/**
 * Opens an HDF5 ByteSource. Uses WORKERFS (no copy) when the source carries its Blob and the
 * code runs in a worker; otherwise copies the bytes into the in-memory FS with progress.
 */
export async function openH5Source(src: BinarySource & { blob?: Blob }, o?: RunOptions): Promise<H5Handle> {
  const h5 = await loadH5wasm();
  const FS = (await h5.ready).FS as EmFs;
  const dir = `/soaplens-h5-${++counter}`;
  const base = src.name.replace(/^.*[\\/]/, '') || 'data.h5';
  FS.mkdir(dir);
  const inWorker = typeof (globalThis as { FileReaderSync?: unknown }).FileReaderSync === 'function';
  if (src.blob && inWorker && FS.filesystems.WORKERFS) {
    FS.mount(FS.filesystems.WORKERFS, { blobs: [{ name: base, data: src.blob }] }, dir);
    const file = openOrFail(h5, `${dir}/${base}`, src.name, () => { FS.unmount(dir); FS.rmdir(dir); });
    return { file, mode: 'workerfs', close: () => { file.close(); FS.unmount(dir); FS.rmdir(dir); } };
  }
  const bytes = new Uint8Array(src.size);
  const report = createReporter(o, 'reading HDF5 file', src.size);
  for (let off = 0; off < src.size; off += COPY_CHUNK) {
    const part = await src.read(off, Math.min(src.size, off + COPY_CHUNK));
    bytes.set(part, off);
    report(off + part.length);
    await checkpoint(o);
  }
  const path = `${dir}/${base}`;
  FS.writeFile(path, bytes);
  const cleanup = () => { FS.unlink(path); FS.rmdir(dir); };
  const file = openOrFail(h5, path, src.name, cleanup);
  return { file, mode: 'memfs', close: () => { file.close(); cleanup(); } };
}

function openOrFail(h5: H5Wasm, path: string, name: string, cleanup: () => void): H5File {
  try {
    const f = new h5.File(path, 'r');
    // h5wasm reports an unreadable file through a file_id < 0 rather than always throwing
    if ((f as unknown as { file_id: bigint }).file_id < 0n) throw new Error('H5Fopen failed');
    return f;
  } catch (e) {
    cleanup();
    throw new FormatError(name, { byte: 0 }, 'a readable HDF5 file', e instanceof Error ? e.message : String(e));
  }
}

export function isDataset(e: Entity | null | undefined): e is Dataset {
  return !!e && typeof (e as Dataset).slice === 'function' && 'shape' in e;
}

export function isGroup(e: Entity | null | undefined): e is Group {
  return !!e && typeof (e as Group).keys === 'function' && !isDataset(e);
}

/** A child entity, or null when absent (never throws for a missing path). */
export function child(g: Group, path: string): Entity | null {
  try {
    return g.get(path);
  } catch {
    return null;
  }
}

/** Converts whatever h5wasm throws while reading into a FormatError about `what` in `file`. */
export function h5Try<T>(file: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FormatError || e instanceof RangeError) throw e;
    throw new FormatError(file, {}, `a readable ${what}`, e instanceof Error ? e.message : String(e));
  }
}

/** A numeric array (typed array, bigint array or nested lists) as a Float64Array. */
export function toFloat64(v: unknown): Float64Array {
  if (v instanceof Float64Array) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number | bigint>;
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
    return out;
  }
  if (typeof v === 'number' || typeof v === 'bigint') return Float64Array.of(Number(v));
  if (Array.isArray(v)) return Float64Array.from((v as unknown[]).flat(Infinity as 1) as number[], Number);
  return new Float64Array(0);
}

/** A string attribute or string dataset value (or array of them) as strings. */
export function toStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return (v as unknown[]).flat(Infinity as 1).map((x) => String(x));
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => String(x));
  return v === null || v === undefined ? [] : [String(v)];
}

/** An attribute value, or undefined when the object has no such attribute. */
export function attr(e: Entity, name: string): unknown {
  const attrs = (e as unknown as { attrs?: Record<string, { value: unknown }> }).attrs;
  if (!attrs || !(name in attrs)) return undefined;
  return attrs[name].value;
}
