/**
 * Extended XYZ (formats.md §2) and plain XYZ (§3). One provider: frame 0's comment line decides
 * the dialect (key=value content -> extended). Index: byte offset of each count line; every
 * frame's count is checked against frame 0 and its atom lines skipped. Decode: the comment
 * (Lattice, pbc, Origin, Time, step, scalars) and the atom lines in Properties order.
 */
import type { ByteSource } from '../source.ts';
import type { FormatProvider, OpenContext } from '../reader.ts';
import type { FrameData, Trajectory } from '../../trajectory.ts';
import type { RunOptions } from '../../progress.ts';
import { Fields, LineReader, parseNumberText, type LineCursor } from '../text.ts';
import { FrameIndexBuilder } from '../frame-index.ts';
import { atomCountLine, checkFrame, eofError, frameCursor, headLines, intervalOf, lineError, NameTable } from './common.ts';
import { canonicalElement, elementFromName, elementFromNumber, UNKNOWN } from '../elements.ts';
import { cellFromParameters } from '../../geometry/cell.ts';

type Value = string | number | boolean;

/**
 * Parses an extended-XYZ comment into key -> raw value strings (case-insensitive keys stored
 * lower-case; bare keys map to "T"). Returns null when the line is not key=value content.
 */
export function parseKeyValues(line: string): Map<string, string> | null {
  const out = new Map<string, string>();
  let i = 0, pairs = 0;
  const n = line.length;
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\r';
  while (i < n) {
    while (i < n && ws(line[i])) i++;
    if (i >= n) break;
    let key = '';
    while (i < n && !ws(line[i]) && line[i] !== '=') {
      if (line[i] === '"' || line[i] === '{') return null;
      key += line[i++];
    }
    while (i < n && ws(line[i])) i++;
    if (i >= n || line[i] !== '=') {
      if (key === '') return null;
      out.set(key.toLowerCase(), 'T');
      continue;
    }
    i++; // '='
    while (i < n && ws(line[i])) i++;
    let value = '';
    if (line[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = line[i++];
        if (c === '\\' && i < n) { value += line[i++]; continue; }
        if (c === '"') { closed = true; break; }
        value += c;
      }
      if (!closed) return null;
    } else if (line[i] === '{') {
      i++;
      const close = line.indexOf('}', i);
      if (close < 0) return null;
      value = line.slice(i, close);
      i = close + 1;
    } else {
      while (i < n && !ws(line[i])) value += line[i++];
    }
    if (key === '') return null;
    out.set(key.toLowerCase(), value);
    pairs++;
  }
  return pairs > 0 ? out : null;
}

function scalar(v: string): Value {
  if (/^(T|True|true)$/.test(v)) return true;
  if (/^(F|False|false)$/.test(v)) return false;
  const x = parseNumberText(v);
  return Number.isNaN(x) ? v : x;
}

function bools(v: string): boolean[] | null {
  const w = v.trim().split(/\s+/);
  if (w.length !== 3) return null;
  const out = w.map((x) => (/^(T|True|true|1)$/.test(x) ? true : /^(F|False|false|0)$/.test(x) ? false : null));
  return out.some((x) => x === null) ? null : (out as boolean[]);
}

interface Column { name: string; type: 'S' | 'R' | 'I' | 'L'; ncols: number; first: number }

interface Dialect {
  extended: boolean;
  columns: Column[];
  nColumns: number;
  pos: number;
  species: number;   // column index of species (S) or -1
  z: number;         // column index of Z (I) or -1
  /** Numeric properties: [column index, property name]. */
  props: [number, string, 'R' | 'I' | 'L'][];
  propertiesText: string;
}

function parseProperties(file: string, line: number, text: string): Dialect {
  const w = text.split(':');
  if (w.length % 3 !== 0) throw lineError(file, line, 'Properties=name:type:ncols[:...]', text);
  const columns: Column[] = [];
  let first = 0;
  for (let k = 0; k < w.length; k += 3) {
    const type = w[k + 1].toUpperCase();
    const ncols = Number(w[k + 2]);
    if (!['S', 'R', 'I', 'L'].includes(type) || !Number.isInteger(ncols) || ncols < 1) {
      throw lineError(file, line, 'property type S, R, I or L and a positive column count', `${w[k]}:${w[k + 1]}:${w[k + 2]}`);
    }
    columns.push({ name: w[k], type: type as Column['type'], ncols, first });
    first += ncols;
  }
  const find = (names: string[], type: string, ncols: number) =>
    columns.find((c) => names.includes(c.name.toLowerCase()) && c.type === type && c.ncols === ncols);
  const pos = find(['pos', 'positions'], 'R', 3);
  if (!pos) throw lineError(file, line, 'a pos:R:3 property', text);
  const species = columns.find((c) => c.name.toLowerCase() === 'species' && c.type === 'S');
  const z = find(['z'], 'I', 1);
  if (!species && !z) throw lineError(file, line, 'a species:S:1 or Z:I:1 property', text);
  const props: [number, string, 'R' | 'I' | 'L'][] = [];
  for (const c of columns) {
    if (c === pos || c === species || c === z || c.type === 'S') continue;
    const suffix = c.ncols === 3 ? ['_x', '_y', '_z'] : Array.from({ length: c.ncols }, (_, k) => `_${k}`);
    for (let k = 0; k < c.ncols; k++) props.push([c.first + k, c.ncols === 1 ? c.name : c.name + suffix[k], c.type]);
  }
  return { extended: true, columns, nColumns: first, pos: pos.first, species: species?.first ?? -1, z: z?.first ?? -1, props, propertiesText: text };
}

const PLAIN: Dialect = { extended: false, columns: [], nColumns: 4, pos: 1, species: 0, z: -1, props: [], propertiesText: '' };
const DEFAULT_PROPERTIES = 'species:S:1:pos:R:3';

function dialectOf(file: string, line: number, comment: string): Dialect {
  const kv = parseKeyValues(comment);
  if (!kv) return PLAIN;
  return parseProperties(file, line, kv.get('properties') ?? DEFAULT_PROPERTIES);
}

interface CommentInfo {
  cell: Float64Array | null;
  pbc: [boolean, boolean, boolean];
  origin: Float64Array | null;
  time?: number;
  step?: number;
  info: Record<string, Value>;
}

const KNOWN = new Set(['lattice', 'properties', 'pbc', 'origin', 'time', 'step', 'timestep']);

function parseComment(file: string, line: number, comment: string, d: Dialect): CommentInfo {
  if (!d.extended) {
    // Plain XYZ: free text; LAMMPS `dump xyz` writes "Atoms. Timestep: N".
    const m = /Timestep:\s*(\d+)/.exec(comment);
    return { cell: null, pbc: [false, false, false], origin: null, step: m ? Number(m[1]) : undefined, info: {} };
  }
  const kv = parseKeyValues(comment);
  if (!kv) throw lineError(file, line, 'an extended XYZ key=value comment line', comment);
  const props = kv.get('properties') ?? DEFAULT_PROPERTIES;
  if (props !== d.propertiesText) throw lineError(file, line, `Properties=${d.propertiesText} (as in frame 0)`, props);
  let cell: Float64Array | null = null;
  const lat = kv.get('lattice');
  if (lat !== undefined) {
    const v = lat.trim().split(/\s+/).map(parseNumberText);
    if (v.length !== 9 || v.some((x) => !Number.isFinite(x))) throw lineError(file, line, 'Lattice with 9 numbers', lat);
    cell = Float64Array.from(v);
  }
  let pbc: [boolean, boolean, boolean] = cell ? [true, true, true] : [false, false, false];
  const p = kv.get('pbc');
  if (p !== undefined) {
    const b = bools(p);
    if (!b) throw lineError(file, line, 'pbc with three T/F values', p);
    pbc = b as [boolean, boolean, boolean];
  }
  let origin: Float64Array | null = null;
  const o = kv.get('origin');
  if (o !== undefined) {
    const v = o.trim().split(/\s+/).map(parseNumberText);
    if (v.length !== 3 || v.some((x) => !Number.isFinite(x))) throw lineError(file, line, 'Origin with 3 numbers', o);
    origin = Float64Array.from(v);
  }
  const num = (key: string): number | undefined => {
    const s = kv.get(key);
    if (s === undefined) return undefined;
    const v = parseNumberText(s);
    if (!Number.isFinite(v)) throw lineError(file, line, `a number for ${key}`, s);
    return v;
  };
  const time = num('time');
  const step = num('step') ?? num('timestep');
  const info: Record<string, Value> = {};
  for (const [k, v] of kv) if (!KNOWN.has(k)) info[k] = scalar(v);
  return { cell, pbc, origin, time, step, info };
}

interface Rows {
  positions: Float64Array;
  names: string[] | null;
  props: Float64Array[];
}

function decodeAtoms(file: string, cur: LineCursor, n: number, d: Dialect, keepNames: boolean, check: NameTable | null): Rows {
  const f = new Fields();
  const positions = new Float64Array(3 * n);
  const names = keepNames ? new Array<string>(n) : null;
  const props = d.props.map(() => new Float64Array(n));
  const nameCol = d.species >= 0 ? d.species : d.z;
  for (let a = 0; a < n; a++) {
    if (!cur.next()) throw eofError(file, cur.line + 1, `atom line ${a + 1} of ${n}`);
    const nf = f.split(cur.buf, cur.start, cur.end);
    if (d.extended ? nf !== d.nColumns : nf < 4) {
      throw lineError(file, cur.line, d.extended ? `${d.nColumns} columns (${d.propertiesText})` : 'at least 4 columns (symbol x y z)',
        `${nf} columns: ${cur.text()}`);
    }
    for (let k = 0; k < 3; k++) {
      const v = f.number(d.pos + k);
      if (!Number.isFinite(v)) throw lineError(file, cur.line, 'a number (position)', f.text(d.pos + k));
      positions[3 * a + k] = v;
    }
    if (names) names[a] = f.text(nameCol);
    if (check && !check.matches(a, cur.buf, f.starts[nameCol], f.ends[nameCol])) {
      throw lineError(file, cur.line, `atom ${a + 1} to be "${check.name(a)}" as in frame 0 (the atom order must not change)`, f.text(nameCol));
    }
    for (let p = 0; p < props.length; p++) {
      const [k, , type] = d.props[p];
      let v: number;
      if (type === 'L') {
        const t = f.text(k);
        v = /^(T|True|true)$/.test(t) ? 1 : /^(F|False|false)$/.test(t) ? 0 : NaN;
      } else {
        v = type === 'I' ? f.int(k) : f.number(k);
        // A real column may hold an explicit "nan" (ASE writes and reads it; pipeline.md §12 marks
        // atoms that were not analysed so). Anything else that is not a number is an error.
        if (type === 'R' && Number.isNaN(v) && /^[+-]?nan$/i.test(f.text(k))) {
          props[p][a] = NaN;
          continue;
        }
      }
      if (Number.isNaN(v)) throw lineError(file, cur.line, `${type === 'R' ? 'a number' : type === 'I' ? 'an integer' : 'T or F'} for ${d.props[p][1]}`, f.text(k));
      props[p][a] = v;
    }
  }
  return { positions, names, props };
}

/** Cells from the user's box option (one for all frames, or one per frame). */
function userBoxes(box: number[] | number[][] | undefined, nFrames: number): Float64Array[] | null {
  if (!box) return null;
  const list = (Array.isArray(box[0]) ? box : [box]) as number[][];
  if (list.length !== 1 && list.length !== nFrames) {
    throw new RangeError(`box: give one box or one per frame (${nFrames}), not ${list.length}`);
  }
  return list.map((b) => {
    if ((b.length !== 3 && b.length !== 6) || b.some((x) => !Number.isFinite(x))) {
      throw new RangeError(`box: expected [a, b, c] or [a, b, c, alpha, beta, gamma], got [${b.join(', ')}]`);
    }
    return b.length === 3 ? new Float64Array([b[0], 0, 0, 0, b[1], 0, 0, 0, b[2]]) : cellFromParameters(b[0], b[1], b[2], b[3], b[4], b[5]);
  });
}

async function openXyz(src: ByteSource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory> {
  const file = src.name;
  const r = new LineReader(src, o);
  const b = new FrameIndexBuilder();
  let n = -1;
  let dialect: Dialect | null = null;
  const comments: CommentInfo[] = [];
  for (;;) {
    if (!(await r.next())) break;
    if (r.blank()) {
      while (await r.next()) if (!r.blank()) throw lineError(file, r.line, 'end of file after blank line', r.text());
      break;
    }
    n = atomCountLine(file, r.line, r.text(), n, b.count);
    b.push(r.offset, r.line);
    if (!(await r.next())) throw eofError(file, r.line + 1, 'the comment line of a frame');
    if (!dialect) dialect = dialectOf(file, r.line, r.text());
    if (comments.length < 2) comments.push(parseComment(file, r.line, r.text(), dialect));
    const got = await r.skip(n);
    if (got < n) throw eofError(file, r.line + 1, `${n} atom lines (only ${got} present)`);
  }
  if (!dialect || n < 0) throw eofError(file, 1, 'the number of atoms');
  const d = dialect;
  const index = b.finish(src.size);

  let check: NameTable | null = null;
  const decode = async (i: number, keepNames: boolean) => {
    const cur = await frameCursor(src, index, i);
    cur.next();
    if (!cur.next()) throw eofError(file, cur.line + 1, 'the comment line');
    const c = parseComment(file, cur.line, cur.text(), d);
    return { c, rows: decodeAtoms(file, cur, n, d, keepNames, check) };
  };
  const first = await decode(0, true);
  const names = first.rows.names!;
  check = new NameTable(names);
  const species = names.map((s) => {
    if (d.z >= 0 && d.species < 0) return elementFromNumber(Number(s)) ?? UNKNOWN;
    return canonicalElement(s) ?? (/^\d+$/.test(s) ? elementFromNumber(Number(s)) ?? UNKNOWN : elementFromName(s));
  });
  const ids = new Int32Array(n);
  for (let k = 0; k < n; k++) ids[k] = k + 1;
  const notes: string[] = [];
  if (!d.extended) notes.push('plain XYZ: no cell (non-periodic)');
  const unknown = species.filter((s) => s === UNKNOWN).length;
  if (unknown) notes.push(`${unknown} atoms with unrecognised species names`);
  const userCells = userBoxes(ctx.options.box, index.nFrames);
  if (userCells && d.extended) throw new RangeError('a user box applies to plain XYZ files only (extended XYZ has Lattice)');
  if (userCells) notes.push('cell from the user-supplied box');

  const toFrame = (c: CommentInfo, rows: Rows, i: number): FrameData => {
    const cell = userCells ? userCells[userCells.length === 1 ? 0 : i].slice() : c.cell;
    const out: FrameData = { positions: rows.positions, cell, origin: c.origin };
    if (c.time !== undefined) out.time = c.time;
    if (c.step !== undefined) out.step = c.step;
    if (d.props.length) {
      out.properties = {};
      d.props.forEach(([, name], p) => { out.properties![name] = rows.props[p]; });
    }
    if (Object.keys(c.info).length) out.info = c.info;
    return out;
  };
  const readFrame = async (i: number): Promise<FrameData> => {
    checkFrame(i, index.nFrames);
    const { c, rows } = await decode(i, false);
    return toFrame(c, rows, i);
  };
  const c0 = comments[0], c1 = comments[1];
  return {
    name: file,
    format: d.extended ? 'extxyz' : 'xyz',
    nAtoms: n,
    nFrames: index.nFrames,
    species,
    types: names,
    ids,
    pbc: userCells ? [true, true, true] : c0.pbc,
    propertyNames: d.props.map((p) => p[1]),
    timestep: intervalOf(c0.time, c1?.time),
    stepInterval: intervalOf(c0.step, c1?.step),
    notes,
    readFrame,
  };
}

export const xyz: FormatProvider = {
  id: 'xyz',
  label: 'XYZ / extended XYZ',
  extensions: ['xyz', 'extxyz'],
  role: 'trajectory',
  sniff(head: Uint8Array): boolean {
    const lines = headLines(head, 4);
    if (lines.length < 2 || !/^\s*\d+\s*$/.test(lines[0])) return false;
    if (lines.length < 3) return true;
    return lines[2].trim() === '' ? Number(lines[0]) === 0 : lines[2].trim().split(/\s+/).length >= 4;
  },
  open: openXyz,
};
