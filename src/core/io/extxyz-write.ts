/**
 * Extended XYZ writer (formats.md §2; labelled export as pipeline.md §12). Writes the dialect the
 * project's reader and ASE/OVITO read: line 1 the atom count, line 2
 * `Lattice="..." Origin="..." pbc="T T T" Time=<ps> <info...> Properties=species:S:1:pos:R:3:...`,
 * then one line per atom. Numbers are written in JavaScript's shortest round-trip form, so a
 * float64 value reads back bit-identical (NaN as "nan"); an optional fixed number of decimals
 * makes smaller files.
 *
 * Output is produced frame by frame (`extxyzFrames` yields one string per frame), so exporting a
 * long trajectory never builds one giant string.
 */
import { createReporter, throwIfCancelled, type RunOptions } from '../progress.ts';
import type { Trajectory } from '../trajectory.ts';

/** One per-atom column: `values` holds N x ncols values, atom-major. */
export interface ExtxyzColumn {
  name: string;
  /** R real, I integer, S string, L logical (formats.md §2). */
  type: 'R' | 'I' | 'S' | 'L';
  values: ArrayLike<number> | readonly string[] | readonly boolean[];
  /** Values per atom (default 1). */
  ncols?: number;
}

export interface ExtxyzFrame {
  /** N element symbols (or type names), no whitespace. */
  species: readonly string[];
  /** 3N positions, Å. */
  positions: ArrayLike<number>;
  /** Cell rows a, b, c (Å), or null/absent for none. */
  cell?: ArrayLike<number> | null;
  /** Default: all true with a cell, all false without (formats.md §2). */
  pbc?: readonly [boolean, boolean, boolean];
  origin?: ArrayLike<number> | null;
  /** ps */
  time?: number;
  /** Extra per-frame key=value pairs, written after Time (e.g. frame, energy). */
  info?: Record<string, number | string | boolean>;
  /** Extra per-atom columns after species and pos. */
  columns?: readonly ExtxyzColumn[];
  /** Write only these atoms (0-based indices), in this order; default all. */
  atoms?: ArrayLike<number>;
}

export interface ExtxyzWriteOptions {
  /** Fixed decimals for R values (positions, cell, real columns); default: shortest exact form. */
  decimals?: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_\-.]*$/;
const RESERVED = new Set(['lattice', 'properties', 'pbc', 'origin', 'time']);

function real(v: number, decimals: number | undefined): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (decimals !== undefined) return v.toFixed(decimals);
  return Object.is(v, -0) ? '-0' : String(v);
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function checkToken(s: string, what: string): string {
  if (s === '' || /\s/.test(s)) throw new RangeError(`${what} "${s}" cannot be written in an extended XYZ column (empty or whitespace)`);
  return s;
}

/** The comment (second) line of a frame. */
export function extxyzCommentLine(f: ExtxyzFrame, opts: ExtxyzWriteOptions = {}): string {
  const d = opts.decimals;
  const parts: string[] = [];
  const hasCell = !!f.cell;
  if (f.cell) {
    if (f.cell.length !== 9) throw new RangeError(`cell needs 9 numbers, got ${f.cell.length}`);
    parts.push(`Lattice="${Array.from(f.cell, (v) => real(v, d)).join(' ')}"`);
  }
  if (f.origin) parts.push(`Origin="${Array.from(f.origin, (v) => real(v, d)).join(' ')}"`);
  const pbc = f.pbc ?? [hasCell, hasCell, hasCell];
  parts.push(`pbc="${pbc.map((b) => (b ? 'T' : 'F')).join(' ')}"`);
  if (f.time !== undefined) parts.push(`Time=${real(f.time, undefined)}`);
  for (const [k, v] of Object.entries(f.info ?? {})) {
    if (!KEY.test(k) || RESERVED.has(k.toLowerCase())) throw new RangeError(`info key "${k}" is not a valid extended XYZ key`);
    parts.push(`${k}=${typeof v === 'boolean' ? (v ? 'T' : 'F') : typeof v === 'number' ? real(v, undefined) : quote(v)}`);
  }
  const props = ['species:S:1', 'pos:R:3'];
  for (const c of f.columns ?? []) {
    if (!KEY.test(c.name) || c.name === 'species' || c.name === 'pos') throw new RangeError(`column name "${c.name}" is not allowed`);
    props.push(`${c.name}:${c.type}:${c.ncols ?? 1}`);
  }
  parts.push(`Properties=${props.join(':')}`);
  return parts.join(' ');
}

/** One frame as text (atom count line, comment line, atom lines, trailing newline). */
export function writeExtxyzFrame(f: ExtxyzFrame, opts: ExtxyzWriteOptions = {}): string {
  const nAll = f.species.length;
  if (f.positions.length !== 3 * nAll) throw new RangeError(`positions has ${f.positions.length} values for ${nAll} atoms`);
  const cols = f.columns ?? [];
  for (const c of cols) {
    const need = nAll * (c.ncols ?? 1);
    if (c.values.length !== need) throw new RangeError(`column ${c.name} has ${c.values.length} values, needs ${need}`);
  }
  const atoms = f.atoms ?? null;
  const n = atoms ? atoms.length : nAll;
  const d = opts.decimals;
  const lines: string[] = [String(n), extxyzCommentLine(f, opts)];
  for (let j = 0; j < n; j++) {
    const i = atoms ? atoms[j] : j;
    if (!(i >= 0 && i < nAll)) throw new RangeError(`atom index ${i} out of range [0, ${nAll})`);
    const p = f.positions;
    let line = `${checkToken(f.species[i], 'species')} ${real(p[3 * i], d)} ${real(p[3 * i + 1], d)} ${real(p[3 * i + 2], d)}`;
    for (const c of cols) {
      const k = c.ncols ?? 1;
      for (let m = 0; m < k; m++) {
        const v = c.values[i * k + m];
        if (c.type === 'R') line += ` ${real(v as number, d)}`;
        else if (c.type === 'I') line += ` ${Number.isFinite(v as number) ? Math.round(v as number) : -1}`;
        else if (c.type === 'L') line += ` ${v ? 'T' : 'F'}`;
        else line += ` ${checkToken(String(v), `column ${c.name} value`)}`;
      }
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/** Frames as a sequence of strings (one per frame), for streaming into a file or Blob parts. */
export function* extxyzFrames(frames: Iterable<ExtxyzFrame>, opts: ExtxyzWriteOptions = {}): Generator<string> {
  for (const f of frames) yield writeExtxyzFrame(f, opts);
}

/** All frames as one string (small exports and tests). */
export function writeExtxyz(frames: Iterable<ExtxyzFrame>, opts: ExtxyzWriteOptions = {}): string {
  let s = '';
  for (const t of extxyzFrames(frames, opts)) s += t;
  return s;
}

/** What to export from a loaded trajectory as extended XYZ. */
export interface ExtxyzExportOptions extends RunOptions, ExtxyzWriteOptions {
  /** Frame indices to write, in order (default: all). */
  frames?: ArrayLike<number>;
  /** Atom indices to write, in order (default: all). */
  atoms?: ArrayLike<number>;
  /** Extra per-atom columns for a frame (e.g. cluster, lens, pc1; pipeline.md §12), over all N atoms. */
  columns?: (frame: number) => readonly ExtxyzColumn[];
  /** Extra per-frame key=value pairs (e.g. { frame }). */
  info?: (frame: number) => Record<string, number | string | boolean>;
}

/** A per-atom property name made into a valid column key (LAMMPS "c_pe[1]" -> "c_pe_1_"). */
function columnName(name: string): string {
  let k = name.replace(/[^A-Za-z0-9_\-.]/g, '_');
  if (!/^[A-Za-z_]/.test(k)) k = `_${k}`;
  return k === 'species' || k === 'pos' ? `${k}_` : k;
}

/**
 * Streams the selected frames and atoms of a trajectory as extended XYZ text, one string per
 * frame, with the file's per-atom properties as extra columns. Cancellable between frames.
 */
export async function* exportExtxyz(t: Trajectory, o: ExtxyzExportOptions = {}): AsyncGenerator<string> {
  const frames = o.frames ?? Array.from({ length: t.nFrames }, (_, i) => i);
  const report = createReporter(o, 'writing extended XYZ', frames.length);
  for (let k = 0; k < frames.length; k++) {
    throwIfCancelled(o);
    const i = frames[k];
    const f = await t.readFrame(i);
    const props: ExtxyzColumn[] = Object.entries(f.properties ?? {}).map(([name, values]) => ({ name: columnName(name), type: 'R', values }));
    yield writeExtxyzFrame({
      species: t.species, positions: f.positions, cell: f.cell, pbc: f.cell ? t.pbc : undefined, origin: f.origin ?? null,
      time: f.time, info: o.info?.(i), columns: [...props, ...(o.columns?.(i) ?? [])], atoms: o.atoms,
    }, o);
    report(k + 1);
  }
}
