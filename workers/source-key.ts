/**
 * A key that identifies a trajectory's sources across worker messages. Blobs arrive as new objects
 * with every message (structured clone), so identity comparison never matches in a browser: they
 * are keyed by what identifies a dropped File (name, size, modification time, type); paths by
 * themselves.
 */
export function sourcesKey(sources: readonly (Blob | string)[]): string {
  return JSON.stringify(sources.map((x) => (typeof x === 'string' ? x
    : [(x as { name?: string }).name ?? '', x.size, (x as { lastModified?: number }).lastModified ?? 0, x.type])));
}

/**
 * The one trajectory a worker keeps open, keyed (e.g. by sourcesKey): consecutive jobs on the same
 * files skip re-opening (decompressing, indexing) them, and jobs arriving while the files are being
 * opened share that one opening. A failed opening is forgotten; a job whose shared opening failed
 * while its own signal is not aborted (the job that started it was cancelled) opens again, once.
 */
export function createSharedOpener<T>(): (key: string, signal: AbortSignal, open: (signal: AbortSignal) => Promise<T>) => Promise<T> {
  let cached: { key: string; value: Promise<T> } | null = null;
  const shared = (key: string, signal: AbortSignal, open: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    if (!cached || cached.key !== key) {
      const value = open(signal);
      cached = { key, value };
      value.catch(() => { if (cached?.value === value) cached = null; });
    }
    return cached.value;
  };
  return async (key, signal, open) => {
    try {
      return await shared(key, signal, open);
    } catch (e) {
      if (signal.aborted) throw e;
      return shared(key, signal, open);
    }
  };
}
