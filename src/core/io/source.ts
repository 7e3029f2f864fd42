/**
 * Random-access byte sources (formats.md intro: "files larger than memory via File.slice").
 * Readers never assume the whole file is in memory: they ask for byte ranges.
 */
export interface ByteSource {
  /** File name, used in every error message. */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Bytes [start, end) (clamped to [0, size]). The returned array may be a view into a larger buffer
   * (always honour its byteOffset) and must be treated as read-only.
   */
  read(start: number, end: number): Promise<Uint8Array>;
  /**
   * The underlying File/Blob when there is one (blobSource). Lets HDF5 files be mounted read-only
   * in a worker (h5wasm WORKERFS) and read in place instead of copied (binary-hdf5.ts).
   */
  readonly blob?: Blob;
}

function clampRange(size: number, start: number, end: number): [number, number] {
  const s = Math.max(0, Math.min(size, Math.floor(start)));
  const e = Math.max(s, Math.min(size, Math.floor(end)));
  return [s, e];
}

/** A source over bytes already in memory (tests, decompressed data, fetched examples). */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read(start: number, end: number): Promise<Uint8Array> {
      const [s, e] = clampRange(bytes.length, start, end);
      return Promise.resolve(bytes.subarray(s, e));
    },
  };
}

/** A source over a browser File or any Blob (also Node's Blob), read slice by slice. */
export function blobSource(blob: Blob, name?: string): ByteSource {
  const n = name ?? ((blob as { name?: unknown }).name as string | undefined) ?? 'blob';
  return {
    name: n,
    size: blob.size,
    blob,
    async read(start: number, end: number): Promise<Uint8Array> {
      const [s, e] = clampRange(blob.size, start, end);
      return new Uint8Array(await blob.slice(s, e).arrayBuffer());
    },
  };
}

/**
 * A source over a list of chunks held in memory (decompressed streams): avoids one giant
 * ArrayBuffer, and a read inside one chunk is a zero-copy view.
 */
export function chunkedSource(name: string, chunks: Uint8Array[]): ByteSource {
  const starts = new Float64Array(chunks.length + 1);
  for (let i = 0; i < chunks.length; i++) starts[i + 1] = starts[i] + chunks[i].length;
  const size = starts[chunks.length];
  const find = (pos: number): number => {
    let lo = 0, hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  return {
    name,
    size,
    read(start: number, end: number): Promise<Uint8Array> {
      const [s, e] = clampRange(size, start, end);
      if (e === s || chunks.length === 0) return Promise.resolve(new Uint8Array(0));
      const c = find(s);
      if (e <= starts[c + 1]) return Promise.resolve(chunks[c].subarray(s - starts[c], e - starts[c]));
      const out = new Uint8Array(e - s);
      let pos = s, k = c;
      while (pos < e) {
        const from = pos - starts[k];
        const take = Math.min(chunks[k].length - from, e - pos);
        out.set(chunks[k].subarray(from, from + take), pos - s);
        pos += take;
        k++;
      }
      return Promise.resolve(out);
    },
  };
}
