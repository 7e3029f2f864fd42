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
