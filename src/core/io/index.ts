/**
 * The one entry point for reading trajectories (app, CLI and workers): `openTrajectory`.
 * It decompresses gzip/bzip2 transparently, sniffs each file's format (content first, then
 * extension), pairs a topology file with a coordinates file, builds the frame index in one
 * streaming pass (progress in bytes, cancellable) and returns a Trajectory whose frames are
 * decoded on demand through an LRU cache with a byte budget.
 */
import { FormatError, quoteFound } from '../errors.ts';
import { throwIfCancelled } from '../progress.ts';
import type { FrameData, Trajectory } from '../trajectory.ts';
import { decompressedSource, detectCompression, stripCompressionSuffix, type Compression } from './compression.ts';
import { DEFAULT_CACHE_BYTES, FrameCache } from './frame-cache.ts';
import { extensionOf, HEAD_BYTES, type FormatProvider, type OpenOptions, type Topology } from './reader.ts';
import { FORMATS } from './registry.ts';
import type { ByteSource } from './source.ts';
import { checkFrame } from './formats/common.ts';

export type { ByteSource } from './source.ts';
export { bytesSource, blobSource } from './source.ts';
export type { FormatProvider, OpenOptions, Topology, OpenContext } from './reader.ts';
export { FORMATS } from './registry.ts';
export { readBoxFile } from './box-file.ts';

/** A source after decompression and sniffing. */
export interface SniffedSource {
  /** Decompressed view (name = the user's file name). */
  source: ByteSource;
  provider: FormatProvider;
  compression: Compression;
}

/** Finds the provider for a (decompressed) head and name: content first, then extension. */
export function sniffFormat(head: Uint8Array, name: string, file: string): FormatProvider {
  const inner = stripCompressionSuffix(name);
  const byContent = FORMATS.filter((p) => p.sniff(head, inner));
  if (byContent.length === 1) return byContent[0];
  const ext = extensionOf(inner);
  const byExt = (byContent.length > 1 ? byContent : FORMATS).filter((p) => p.extensions.includes(ext));
  if (byExt.length >= 1 && (byContent.length > 0 || byExt.length === 1)) return byExt[0];
  if (byContent.length > 1) return byContent[0];
  const printable = new TextDecoder('latin1').decode(head.subarray(0, 40)).split('\n')[0];
  throw new FormatError(file, { line: 1 }, `a supported trajectory format (${FORMATS.map((p) => p.label).join(', ')})`,
    `unrecognised content ${quoteFound(printable, 40)}${ext ? ` with extension .${ext}` : ''}`);
}

/** Decompresses (if needed) and sniffs one source. */
export async function sniffSource(src: ByteSource, o?: OpenOptions): Promise<SniffedSource> {
  if (src.size === 0) throw new FormatError(src.name, { byte: 0 }, 'a non-empty file', 'an empty file');
  const rawHead = await src.read(0, HEAD_BYTES);
  const compression = detectCompression(rawHead, src.name);
  const source = await decompressedSource(src, compression, o, o?.memoryBytes);
  if (source.size === 0) throw new FormatError(src.name, { byte: 0 }, 'some data after decompression', 'an empty stream');
  const head = compression === 'none' ? rawHead : await source.read(0, HEAD_BYTES);
  let provider: FormatProvider;
  if (o?.format) {
    const p = FORMATS.find((f) => f.id === o.format);
    if (!p) throw new RangeError(`unknown format "${o.format}" (known: ${FORMATS.map((f) => f.id).join(', ')})`);
    provider = p;
  } else {
    provider = sniffFormat(head, src.name, src.name);
  }
  return { source, provider, compression };
}

/**
 * Splits dropped files into trajectories: each coordinates-only file ('trajectory' role) takes a
 * topology-capable file ('topology' or 'both') with the same base name, else the only remaining
 * one; everything else stands alone. Uses names only (no I/O), so the UI can show the grouping.
 */
export function groupSources(sources: readonly ByteSource[]): ByteSource[][] {
  const base = (n: string) => stripCompressionSuffix(n).replace(/\.[^.]*$/, '').toLowerCase();
  const roleOf = (n: string): FormatProvider['role'] | null => {
    const ext = extensionOf(stripCompressionSuffix(n));
    return FORMATS.find((p) => p.extensions.includes(ext))?.role ?? null;
  };
  const coords = sources.filter((s) => roleOf(s.name) === 'trajectory');
  const tops = sources.filter((s) => { const r = roleOf(s.name); return r === 'topology' || r === 'both'; });
  const others = sources.filter((s) => !coords.includes(s) && !tops.includes(s));
  const groups: ByteSource[][] = [];
  const free = new Set(tops);
  for (const c of coords) {
    let t = [...free].find((s) => base(s.name) === base(c.name));
    if (!t && free.size === 1 && coords.length === 1) t = [...free][0];
    if (t) { free.delete(t); groups.push([c, t]); } else groups.push([c]);
  }
  for (const t of tops) if (free.has(t)) groups.push([t]);
  for (const s of others) groups.push([s]);
  return groups;
}

function withCache(t: Trajectory, budget: number, o?: OpenOptions): Trajectory {
  const decode = t.readFrame.bind(t);
  const cache = budget > 0 ? new FrameCache(budget) : null;
  const readFrame = async (i: number): Promise<FrameData> => {
    checkFrame(i, t.nFrames);
    throwIfCancelled(o);
    const hit = cache?.get(i);
    if (hit) return hit;
    const f = await decode(i);
    cache?.set(i, f);
    return f;
  };
  return { ...t, readFrame };
}

/**
 * Opens one trajectory from one file, or from a coordinates file plus its topology file.
 * Progress is reported in bytes (stages "decompressing", "indexing"); `o.signal` cancels with
 * CancelledError. Malformed input throws FormatError (file, 1-based line or byte, expected, found).
 * Frames decode on demand: `readFrame(i)` returns fresh arrays the caller owns (Float64 Å
 * positions in id order, cell rows, origin, time ps, step, per-atom properties); a frame with bad
 * fields rejects with a FormatError naming its line.
 */
export async function openTrajectory(sources: ByteSource[], o: OpenOptions = {}): Promise<Trajectory> {
  if (sources.length === 0) throw new RangeError('openTrajectory needs at least one file');
  if (sources.length > 2) {
    throw new FormatError(sources.map((s) => s.name).join(', '), {}, 'one trajectory file, optionally with one topology file',
      `${sources.length} files (open them as separate trajectories; see groupSources)`);
  }
  const sniffed: SniffedSource[] = [];
  for (const s of sources) sniffed.push(await sniffSource(s, o));
  let coords: SniffedSource, topo: SniffedSource | undefined;
  if (sniffed.length === 1) {
    coords = sniffed[0];
    if (!coords.provider.open) {
      throw new FormatError(coords.source.name, {}, 'a file with coordinates',
        `a ${coords.provider.label} topology only (drop it together with a coordinates file)`);
    }
  } else {
    const [a, b] = sniffed;
    const names = `${a.source.name}, ${b.source.name}`;
    // 'trajectory' (coordinates only) beats 'both' (GRO, PDB, data) beats 'topology' (PSF).
    const score = (x: SniffedSource) => (x.provider.role === 'trajectory' ? 2 : x.provider.role === 'both' ? 1 : 0);
    if (score(a) === score(b)) {
      throw new FormatError(names, {}, 'one coordinates file and one topology file',
        `two ${score(a) === 2 ? 'coordinate' : score(a) === 1 ? 'stand-alone' : 'topology'} files (${a.provider.label}, ${b.provider.label})`);
    }
    [coords, topo] = score(a) > score(b) ? [a, b] : [b, a];
    if (!coords.provider.open || !topo.provider.readTopology) {
      throw new FormatError(names, {}, 'a coordinates file and a topology file', `${a.provider.label} and ${b.provider.label}`);
    }
  }
  let topology: Topology | undefined;
  if (topo) topology = await topo.provider.readTopology!(topo.source, o);
  const t = await coords.provider.open!(coords.source, { topology, options: o }, o);
  if (topology && !topology.typeElements && topology.nAtoms !== t.nAtoms) {
    throw new FormatError(`${t.name} + ${topology.name}`, {}, `a topology with ${t.nAtoms} atoms (as in ${t.name})`,
      `${topology.nAtoms} atoms in ${topology.name}`);
  }
  if (coords.compression !== 'none') t.compression = coords.compression;
  if (topo) t.name = `${t.name} + ${topo.source.name}`;
  return withCache(t, o.cacheBytes ?? DEFAULT_CACHE_BYTES, o);
}
