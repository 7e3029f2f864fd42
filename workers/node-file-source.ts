/** Node-only ByteSource over a file on disk for worker threads (positional reads, nothing preloaded). */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../src/core/io/source.ts';

export async function nodeFileSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const fh = await open(path, 'r');
  const size = (await fh.stat()).size;
  return {
    name: basename(path),
    size,
    async read(start: number, end: number): Promise<Uint8Array> {
      const s = Math.max(0, Math.min(size, Math.floor(start)));
      const e = Math.max(s, Math.min(size, Math.floor(end)));
      const out = new Uint8Array(e - s);
      let done = 0;
      while (done < out.length) {
        const { bytesRead } = await fh.read(out, done, out.length - done, s + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === out.length ? out : out.subarray(0, done);
    },
    close: () => fh.close(),
  };
}
