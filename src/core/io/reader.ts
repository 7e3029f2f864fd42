/**
 * The reader contract every format implements (text formats here, binary ones such as XTC, TRR,
 * DCD and H5MD alongside). `openTrajectory` (index.ts) is the only entry point callers use; it
 * decompresses, sniffs, pairs topology with coordinates and wraps the result in a frame cache.
 *
 * How to add a format (e.g. XTC):
 * 1. Export a `FormatProvider` (say `xtcFormat` from xtc.ts or formats/xtc.ts) with
 *    `role: 'trajectory'` (coordinates only), or 'both' / 'topology' if it can name atoms.
 * 2. `sniff(head, name)`: cheap test on the first bytes (up to HEAD_BYTES, already decompressed)
 *    and the file name (compression suffix removed). Return true only when confident; magic bytes
 *    first. When several providers accept a file, the extension decides.
 * 3. `open(src, ctx, o)`: one streaming pass over `src` building a frame index (byte offset of each
 *    frame: for XTC read the frame header and skip the compressed block by its byte count). Report
 *    progress in bytes (`createReporter(o, stage, src.size)`) and honour cancellation
 *    (`checkpoint(o)` between chunks; CancelledError propagates unchanged). Species, names and ids
 *    come from `ctx.topology` (a GRO/PDB/PSF/LAMMPS-data companion opened through its provider's
 *    `readTopology`); openTrajectory rejects a topology whose nAtoms differs from yours, but say
 *    which file is at fault yourself if you can. Without one, use "X" species and say so in `notes`.
 *    Return a `Trajectory` whose `readFrame(i)` reads bytes [start_i, end_i) with `src.read` and
 *    decodes them into fresh arrays: positions Float64Array(3N) in Å (nm x 10), cell rows in Å
 *    or null, time in ps, step. Do not cache: openTrajectory wraps readFrame with a bounds check
 *    (RangeError) and a byte-budgeted LRU that hands out copies.
 *    Errors: FormatError(src.name, { frame: i, byte: absoluteOffset }, expected, found).
 * 4. Append the provider to `FORMATS` in registry.ts. Nothing else changes: openTrajectory, the
 *    app, the CLI and the workers pick it up.
 *
 * Errors and laziness for text formats (decided here): the index pass checks the frame
 * structure (headers, declared atom counts, number of lines per frame, consistent atom count
 * between frames, truncation), so `openTrajectory` rejects a structurally broken file at once.
 * Field contents (non-numeric values, wrong column counts, a changed id set, atom names out of
 * frame 0's order) are only checked when a frame is decoded: `readFrame(i)` then rejects with a
 * FormatError naming the absolute 1-based line. Frame 0 is always decoded by open (ids, species),
 * so a file that opens has at least a good first frame; `info --check` decodes every frame.
 */
import type { ByteSource } from './source.ts';
import type { RunOptions } from '../progress.ts';
import type { FormatId, Trajectory } from '../trajectory.ts';

/** Bytes of (decompressed) head given to `sniff`. */
export const HEAD_BYTES = 4096;

/** Per-atom information a topology file gives a coordinates file (formats.md §0.3). */
export interface Topology {
  /** File it came from (messages). */
  name: string;
  format: FormatId;
  nAtoms: number;
  /** Element per atom ("X" unknown, "virtual" for massless sites), in atom order (id order). */
  species: string[];
  /** Atom or type names as written, when the file has them. */
  types?: string[];
  /** Atom ids, in atom order, when the file has them. */
  ids?: Int32Array;
  /** LAMMPS numeric type -> element, from a data file's Masses section. */
  typeElements?: Map<string, string>;
}

/** Options a user may give when opening (all optional, defaults from formats.md). */
export interface OpenOptions extends RunOptions {
  /** Force a format instead of sniffing (a FormatProvider id). */
  format?: FormatId;
  /** LAMMPS dump coordinate family; default: the first present of x, xs, xu, xsu (formats.md §4). */
  lammpsCoordinates?: 'x' | 'xs' | 'xu' | 'xsu';
  /**
   * Box for files without one (plain XYZ, formats.md §3): one entry for all frames or one per
   * frame, each [a, b, c] (orthogonal, Å) or [a, b, c, alpha, beta, gamma] (Å, degrees).
   */
  box?: number[] | number[][];
  /** LAMMPS dump: add image flags (ix iy iz) to wrapped x/xs coordinates (formats.md §4). */
  lammpsUnwrap?: boolean;
  /** LAMMPS units style overriding `ITEM: UNITS` (metal, real, nano, si, cgs, electron, micro; lj kept as is). */
  lammpsUnits?: string;
  /** LAMMPS data: atom style when the Atoms line has no "# style" hint (6/9 columns are ambiguous). */
  lammpsAtomStyle?: 'atomic' | 'charge' | 'molecular' | 'bond' | 'angle' | 'full';
  /** User table type name -> element (LAMMPS numeric types without a data file), formats.md §0.3. */
  typeElements?: Record<string, string>;
  /**
   * Largest decompressed stream (.gz/.bz2) kept in memory (default 1 GiB); a larger one is
   * re-decompressed on demand (forward reads continue, backward reads restart).
   */
  memoryBytes?: number;
  /** Byte budget of the decoded-frame cache (default DEFAULT_CACHE_BYTES). 0 disables it. */
  cacheBytes?: number;
}

/** What a provider is given besides the source. */
export interface OpenContext {
  /** Topology from a companion file, when one was paired with this one. */
  topology?: Topology;
  options: OpenOptions;
}

export interface FormatProvider {
  id: FormatId;
  label: string;
  /** Lower-case extensions without the dot, e.g. ['lammpstrj', 'dump']. */
  extensions: readonly string[];
  /**
   * 'trajectory': coordinates (may use a topology); 'topology': names only (PSF);
   * 'both': can stand alone and serve as a topology (GRO, PDB, LAMMPS data).
   */
  role: 'trajectory' | 'topology' | 'both';
  sniff(head: Uint8Array, name: string): boolean;
  /** Required for roles 'trajectory' and 'both'. */
  open?(src: ByteSource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory>;
  /** Required for roles 'topology' and 'both'. */
  readTopology?(src: ByteSource, o?: OpenOptions): Promise<Topology>;
}

/** The lower-case extension of a file name ("a.b.XYZ" -> "xyz"), "" when none. */
export function extensionOf(name: string): string {
  const base = name.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}
