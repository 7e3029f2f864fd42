/**
 * LAMMPS text dump (`dump atom` / `dump custom`), formats.md §4.
 * Index: byte offset of each frame's first ITEM line (UNITS/TIME/TIMESTEP); the header of every
 * frame is checked and its atom rows skipped. Decode: header again, then the rows, sorted by id.
 */
import type { ByteSource } from '../source.ts';
import type { FormatProvider, OpenContext } from '../reader.ts';
import type { FrameData, Trajectory } from '../../trajectory.ts';
import type { RunOptions } from '../../progress.ts';
import { Fields, LineReader, parseNumberText, type LineCursor } from '../text.ts';
import { FrameIndexBuilder, type FrameIndex } from '../frame-index.ts';
import { checkFrame, eofError, frameCursor, headLines, intervalOf, lineError } from './common.ts';
import { canonicalElement, elementFromMass, elementFromName, UNKNOWN } from '../elements.ts';

type Family = 'x' | 'xs' | 'xu' | 'xsu';
const FAMILIES: Family[] = ['x', 'xs', 'xu', 'xsu'];
const AXES = ['x', 'y', 'z'];
function familyColumns(f: Family): string[] {
  const suffix = f.slice(1);
  return AXES.map((a) => a + suffix);
}

/** Length and time conversions for `ITEM: UNITS` (formats.md §0.2); default metal (Å, ps). */
const UNITS: Record<string, { length: number; time: number } | undefined> = {
  metal: { length: 1, time: 1 },
  real: { length: 1, time: 1e-3 },
  nano: { length: 10, time: 1e3 },
  si: { length: 1e10, time: 1e12 },
  cgs: { length: 1e8, time: 1e12 },
  electron: { length: 0.529177210903, time: 1e-3 },
  micro: { length: 1e4, time: 1e6 },
};

interface DumpHeader {
  step?: number;
  time?: number;
  units?: string;
  nAtoms: number;
  /** 1-based line of the atom count value. */
  nAtomsLine: number;
  cell: Float64Array;
  origin: Float64Array;
  pbc: [boolean, boolean, boolean];
  columns: string[];
  /** 1-based line of the ATOMS item (rows follow). */
  atomsLine: number;
}

/** Minimal line access shared by the streaming indexer and the in-memory decoder. */
interface Lines {
  line: number;
  next(): boolean | Promise<boolean>;
  text(): string;
  blank(): boolean;
}

/**
 * Parses one frame header, from its first ITEM line (already current) to `ITEM: ATOMS`.
 * Throws FormatError naming the line and what was expected.
 */
async function parseHeader(file: string, r: Lines): Promise<DumpHeader> {
  let step: number | undefined, time: number | undefined, units: string | undefined;
  let nAtoms = -1, nAtomsLine = 0;
  let box: { cell: Float64Array; origin: Float64Array; pbc: [boolean, boolean, boolean] } | null = null;
  const need = async (what: string): Promise<string> => {
    if (!(await r.next())) throw eofError(file, r.line + 1, what);
    return r.text().trim();
  };
  for (let first = true; ; first = false) {
    if (!first && !(await r.next())) throw eofError(file, r.line + 1, '"ITEM: ATOMS ..." line');
    const t = r.text().trim();
    if (!t.startsWith('ITEM:')) throw lineError(file, r.line, '"ITEM: ..." line', t);
    const item = t.slice(5).trim();
    if (item === 'TIMESTEP') {
      const s = await need('timestep value');
      const v = parseNumberText(s.split(/\s+/)[0]);
      if (!Number.isInteger(v)) throw lineError(file, r.line, 'integer timestep', s);
      step = v;
    } else if (item === 'TIME') {
      const s = await need('time value');
      const v = parseNumberText(s);
      if (!Number.isFinite(v)) throw lineError(file, r.line, 'a number (time)', s);
      time = v;
    } else if (item === 'UNITS') {
      units = (await need('units style')).toLowerCase();
    } else if (item === 'NUMBER OF ATOMS') {
      const s = await need('number of atoms');
      const v = parseNumberText(s);
      if (!Number.isInteger(v) || v < 0) throw lineError(file, r.line, 'non-negative integer number of atoms', s);
      nAtoms = v;
      nAtomsLine = r.line;
    } else if (item.startsWith('BOX BOUNDS')) {
      box = await parseBox(file, r, item.slice(10).trim().split(/\s+/).filter((x) => x !== ''));
    } else if (item.startsWith('ATOMS')) {
      if (nAtoms < 0) throw lineError(file, r.line, '"ITEM: NUMBER OF ATOMS" before "ITEM: ATOMS"', t);
      if (!box) throw lineError(file, r.line, '"ITEM: BOX BOUNDS" before "ITEM: ATOMS"', t);
      const columns = item.slice(5).trim().split(/\s+/).filter((x) => x !== '');
      return { step, time, units, nAtoms, nAtomsLine, ...box, columns, atomsLine: r.line };
    } else {
      throw lineError(file, r.line, 'ITEM: TIMESTEP, TIME, UNITS, NUMBER OF ATOMS, BOX BOUNDS or ATOMS', t);
    }
  }
}

async function parseBox(file: string, r: Lines, words: string[]):
Promise<{ cell: Float64Array; origin: Float64Array; pbc: [boolean, boolean, boolean] }> {
  const general = words[0] === 'abc' && words[1] === 'origin';
  const triclinic = words[0] === 'xy' && words[1] === 'xz' && words[2] === 'yz';
  const flags = words.slice(general || triclinic ? (general ? 2 : 3) : 0);
  const pbc: [boolean, boolean, boolean] = [true, true, true];
  for (let k = 0; k < 3; k++) pbc[k] = flags.length === 3 ? flags[k] === 'pp' : true;
  const want = general || triclinic ? 3 : 2;
  const rows: number[][] = [];
  for (let k = 0; k < 3; k++) {
    if (!(await r.next())) throw eofError(file, r.line + 1, `box bounds line ${k + 1} of 3`);
    const f = r.text().trim().split(/\s+/);
    const v = f.map(parseNumberText);
    if (general && f.length !== 4) throw lineError(file, r.line, 'four numbers (vector and origin component)', r.text());
    if (!general && f.length !== want) throw lineError(file, r.line, `${want} numbers (box bounds)`, r.text());
    if (v.some((x) => !Number.isFinite(x))) throw lineError(file, r.line, 'numeric box bounds', r.text());
    rows.push(v);
  }
  const cell = new Float64Array(9), origin = new Float64Array(3);
  if (general) {
    for (let k = 0; k < 3; k++) {
      cell[3 * k] = rows[k][0]; cell[3 * k + 1] = rows[k][1]; cell[3 * k + 2] = rows[k][2];
      origin[k] = rows[k][3];
    }
    return { cell, origin, pbc };
  }
  const xy = triclinic ? rows[0][2] : 0, xz = triclinic ? rows[1][2] : 0, yz = triclinic ? rows[2][2] : 0;
  // formats.md §4: bounds of a triclinic box enclose the tilted cell; recover the real lo/hi.
  const xlo = rows[0][0] - Math.min(0, xy, xz, xy + xz);
  const xhi = rows[0][1] - Math.max(0, xy, xz, xy + xz);
  const ylo = rows[1][0] - Math.min(0, yz);
  const yhi = rows[1][1] - Math.max(0, yz);
  const zlo = rows[2][0], zhi = rows[2][1];
  cell[0] = xhi - xlo;
  cell[3] = xy; cell[4] = yhi - ylo;
  cell[6] = xz; cell[7] = yz; cell[8] = zhi - zlo;
  origin[0] = xlo; origin[1] = ylo; origin[2] = zlo;
  return { cell, origin, pbc };
}

/** Column roles chosen once from frame 0's ATOMS line. */
interface Layout {
  columns: string[];
  id: number;
  type: number;
  element: number;
  mass: number;
  family: Family;
  scaled: boolean;
  xyz: [number, number, number];
  /** Numeric columns kept as per-atom properties: [column index, name]. */
  props: [number, string][];
  /** Indexes into props of ix, iy, iz when wrapped coordinates are to be unwrapped. */
  unwrap: [number, number, number] | null;
}

function chooseLayout(file: string, h: DumpHeader, want?: Family, unwrap = false): Layout {
  const c = h.columns;
  const at = (n: string) => c.indexOf(n);
  let family: Family | undefined;
  if (want) {
    if (familyColumns(want).every((n) => at(n) >= 0)) family = want;
    else throw lineError(file, h.atomsLine, `columns ${familyColumns(want).join(' ')} (requested coordinates)`, c.join(' '));
  } else {
    family = FAMILIES.find((f) => familyColumns(f).every((n) => at(n) >= 0));
  }
  if (!family) throw lineError(file, h.atomsLine, 'coordinate columns x y z, xs ys zs, xu yu zu or xsu ysu zsu', c.join(' '));
  const xyz = familyColumns(family).map(at) as [number, number, number];
  const id = at('id'), type = at('type'), element = at('element'), mass = at('mass');
  const skip = new Set([id, type, element, ...xyz]);
  const props: [number, string][] = [];
  c.forEach((name, k) => { if (!skip.has(k)) props.push([k, name]); });
  let unwrapIdx: [number, number, number] | null = null;
  if (unwrap && (family === 'x' || family === 'xs')) {
    const k = ['ix', 'iy', 'iz'].map((nm) => props.findIndex((p) => p[1] === nm));
    if (k.some((x) => x < 0)) throw lineError(file, h.atomsLine, 'image flag columns ix iy iz (to unwrap)', c.join(' '));
    unwrapIdx = k as [number, number, number];
  }
  return { columns: c, id, type, element, mass, family, scaled: family === 'xs' || family === 'xsu', xyz, props, unwrap: unwrapIdx };
}

interface Decoded extends FrameData {
  ids: Int32Array | null;
  types: string[] | null;
  elements: string[] | null;
  masses: Float64Array | null;
}

/** Decodes the atom rows that follow a header; rows are returned in file order. */
function decodeRows(file: string, cur: LineCursor, h: DumpHeader, lay: Layout, keepNames: boolean, lengthScale: number): Decoded {
  const n = h.nAtoms, nc = lay.columns.length;
  const f = new Fields();
  const pos = new Float64Array(3 * n);
  const ids = lay.id >= 0 ? new Int32Array(n) : null;
  const types = keepNames && lay.type >= 0 ? new Array<string>(n) : null;
  const elements = keepNames && lay.element >= 0 ? new Array<string>(n) : null;
  const masses = keepNames && lay.mass >= 0 ? new Float64Array(n) : null;
  const props = lay.props.map(() => new Float64Array(n));
  const [cx, cy, cz] = lay.xyz;
  const H = h.cell, O = h.origin;
  const massProp = lay.props.findIndex((q) => q[0] === lay.mass);
  for (let a = 0; a < n; a++) {
    if (!cur.next()) throw eofError(file, cur.line + 1, `atom row ${a + 1} of ${n}`);
    if (f.split(cur.buf, cur.start, cur.end) !== nc) {
      throw lineError(file, cur.line, `${nc} columns (${lay.columns.join(' ')})`, `${f.count} columns: ${cur.text()}`);
    }
    if (ids) {
      const v = f.int(lay.id);
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw lineError(file, cur.line, 'integer atom id', f.text(lay.id));
      ids[a] = v;
    }
    const x = f.number(cx), y = f.number(cy), z = f.number(cz);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      throw lineError(file, cur.line, `numeric ${lay.columns[cx]} ${lay.columns[cy]} ${lay.columns[cz]}`,
        `${f.text(cx)} ${f.text(cy)} ${f.text(cz)}`);
    }
    if (lay.scaled) {
      // r = origin + s H (formats.md §4 scaled -> Cartesian, rows of H = a, b, c).
      pos[3 * a] = O[0] + x * H[0] + y * H[3] + z * H[6];
      pos[3 * a + 1] = O[1] + x * H[1] + y * H[4] + z * H[7];
      pos[3 * a + 2] = O[2] + x * H[2] + y * H[5] + z * H[8];
    } else {
      pos[3 * a] = x; pos[3 * a + 1] = y; pos[3 * a + 2] = z;
    }
    if (types) types[a] = f.text(lay.type);
    if (elements) elements[a] = f.text(lay.element);
    for (let p = 0; p < props.length; p++) {
      const k = lay.props[p][0];
      const v = f.number(k);
      if (Number.isNaN(v)) throw lineError(file, cur.line, `a number in column ${lay.columns[k]}`, f.text(k));
      props[p][a] = v;
    }
    if (masses) masses[a] = props[massProp][a];
  }
  const properties: Record<string, Float64Array> = {};
  lay.props.forEach(([, name], p) => { properties[name] = props[p]; });
  const cell = h.cell.slice(), origin = h.origin.slice();
  if (lengthScale !== 1) {
    for (let k = 0; k < 9; k++) cell[k] *= lengthScale;
    for (let k = 0; k < 3; k++) origin[k] *= lengthScale;
  }
  if (lay.unwrap) {
    // formats.md §4: unwrapped = wrapped + ix a + iy b + iz c (image flags as properties)
    const [ix, iy, iz] = lay.unwrap.map((k) => props[k]);
    for (let a = 0; a < n; a++) {
      for (let d = 0; d < 3; d++) pos[3 * a + d] += ix[a] * H[d] + iy[a] * H[3 + d] + iz[a] * H[6 + d];
    }
  }
  if (lengthScale !== 1) for (let k = 0; k < pos.length; k++) pos[k] *= lengthScale;
  return { positions: pos, cell, origin, step: h.step, properties, ids, types, elements, masses };
}

/** Permutation `order[k]` = file row of the k-th atom in id order (ids of frame 0). */
function sortOrder(ids: Int32Array): Int32Array {
  const n = ids.length;
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  let sorted = true;
  for (let k = 1; k < n; k++) if (ids[k] < ids[k - 1]) { sorted = false; break; }
  if (!sorted) order.sort((a, b) => ids[a] - ids[b]);
  return order;
}

function permute(src: Float64Array, order: Int32Array, width: number): Float64Array {
  const out = new Float64Array(src.length);
  for (let k = 0; k < order.length; k++) {
    const r = order[k] * width;
    for (let d = 0; d < width; d++) out[k * width + d] = src[r + d];
  }
  return out;
}

/** Maps ids to slots of frame 0's sorted id list; dense table when ids are compact. */
function slotLookup(sortedIds: Int32Array): (id: number) => number {
  const n = sortedIds.length;
  if (n === 0) return () => -1;
  const lo = sortedIds[0], hi = sortedIds[n - 1];
  if (hi - lo < 4 * n + 1024) {
    const table = new Int32Array(hi - lo + 1).fill(-1);
    for (let k = 0; k < n; k++) table[sortedIds[k] - lo] = k;
    return (id) => (id < lo || id > hi ? -1 : table[id - lo]);
  }
  const m = new Map<number, number>();
  for (let k = 0; k < n; k++) m.set(sortedIds[k], k);
  return (id) => m.get(id) ?? -1;
}

async function indexDump(src: ByteSource, o?: RunOptions): Promise<{ index: FrameIndex; first: DumpHeader; steps: number[]; times: number[] }> {
  const r = new LineReader(src, o);
  const b = new FrameIndexBuilder();
  let first: DumpHeader | null = null;
  const steps: number[] = [], times: number[] = [];
  for (;;) {
    if (!(await r.next())) break;
    if (r.blank()) {
      // Only trailing blank lines are allowed.
      while (await r.next()) if (!r.blank()) throw lineError(src.name, r.line, 'end of file after blank line', r.text());
      break;
    }
    const start = r.offset, line = r.line;
    const h = await parseHeader(src.name, r);
    if (!first) first = h;
    else {
      if (h.nAtoms !== first.nAtoms) {
        throw lineError(src.name, h.nAtomsLine, `${first.nAtoms} atoms (as in frame 0)`, `${h.nAtoms} atoms in frame ${b.count}`);
      }
      if (h.columns.join(' ') !== first.columns.join(' ')) {
        throw lineError(src.name, h.atomsLine, `columns "${first.columns.join(' ')}" (as in frame 0)`, h.columns.join(' '));
      }
    }
    if (steps.length < 2) { steps.push(h.step ?? NaN); times.push(h.time ?? NaN); }
    b.push(start, line);
    const got = await r.skip(h.nAtoms);
    if (got < h.nAtoms) throw eofError(src.name, r.line + 1, `${h.nAtoms} atom rows after line ${h.atomsLine} (only ${got} present)`);
  }
  if (!first) throw eofError(src.name, 1, '"ITEM: TIMESTEP" (a LAMMPS dump frame)');
  return { index: b.finish(src.size), first, steps, times };
}

async function openDump(src: ByteSource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory> {
  const { index, first, steps, times } = await indexDump(src, o);
  const file = src.name;
  const lay = chooseLayout(file, first, ctx.options.lammpsCoordinates, ctx.options.lammpsUnwrap);
  const unitsName = ctx.options.lammpsUnits ?? first.units;
  const unit = unitsName ? UNITS[unitsName] : UNITS.metal;
  const notes: string[] = [];
  if (unitsName && !unit) notes.push(`units "${unitsName}": lengths and times kept as written`);
  else if (ctx.options.lammpsUnits) notes.push(`units "${unitsName}" (given by the user)`);
  else if (!unitsName) notes.push('no ITEM: UNITS: lengths assumed Å (metal/real units)');
  const lengthScale = unit?.length ?? 1, timeScale = unit?.time ?? 1;

  // Frame 0 fixes ids, names and the sort order.
  const c0 = await frameCursor(src, index, 0);
  c0.next();
  const h0 = await parseHeader(file, c0);
  const d0 = decodeRows(file, c0, h0, lay, true, lengthScale);
  const n = first.nAtoms;
  const order0 = d0.ids ? sortOrder(d0.ids) : null;
  const sortedIds = new Int32Array(n);
  for (let k = 0; k < n; k++) sortedIds[k] = d0.ids ? d0.ids[order0![k]] : k + 1;
  for (let k = 1; k < n; k++) {
    if (d0.ids && sortedIds[k] === sortedIds[k - 1]) {
      throw lineError(file, h0.atomsLine + 1 + order0![k], 'unique atom ids', `id ${sortedIds[k]} repeated`);
    }
  }
  const pick = <T>(arr: T[] | null): T[] | null => (arr && order0 ? Array.from(order0, (r) => arr[r]) : arr);
  const types = pick(d0.types);
  const elements = pick(d0.elements);
  const masses = d0.masses && order0 ? permute(d0.masses, order0, 1) : d0.masses;
  const species: string[] = new Array<string>(n);
  let unknown = 0;
  for (let k = 0; k < n; k++) {
    let s: string | null = null;
    if (elements) s = canonicalElement(elements[k]) ?? elements[k];
    else if (types && ctx.topology?.typeElements) s = ctx.topology.typeElements.get(types[k]) ?? null;
    else if (masses) s = elementFromMass(masses[k]);
    if (!s && ctx.topology && !ctx.topology.typeElements && ctx.topology.nAtoms === n) s = ctx.topology.species[k];
    if (!s && types && ctx.options.typeElements) s = ctx.options.typeElements[types[k]] ?? null;
    // LAMMPS type labels (non-numeric types such as "Cu" or "OW") name the element themselves.
    if (!s && types && !/^\d+$/.test(types[k])) { const e = elementFromName(types[k]); if (e !== UNKNOWN) s = e; }
    if (!s) { s = UNKNOWN; unknown++; }
    species[k] = s;
  }
  if (ctx.topology && ctx.topology.nAtoms !== n && !ctx.topology.typeElements) {
    throw lineError(file, h0.atomsLine, `${ctx.topology.nAtoms} atoms (as in topology ${ctx.topology.name})`, `${n} atoms`);
  }
  if (unknown > 0) notes.push(`${unknown} atoms without element: pair a LAMMPS data file (Masses) or give a type map`);
  if (lay.family !== 'x') notes.push(`coordinates from columns ${familyColumns(lay.family).join(' ')}`);
  if (lay.unwrap) notes.push('unwrapped with image flags ix iy iz');
  const lookup = slotLookup(sortedIds);

  const readFrame = async (i: number): Promise<FrameData> => {
    checkFrame(i, index.nFrames);
    const cur = await frameCursor(src, index, i);
    cur.next();
    const h = await parseHeader(file, cur);
    if (h.nAtoms !== n) throw lineError(file, h.nAtomsLine, `${n} atoms`, `${h.nAtoms}`);
    const d = decodeRows(file, cur, h, lay, false, lengthScale);
    let positions = d.positions, properties = d.properties!;
    if (d.ids) {
      let inOrder = true;
      for (let k = 0; k < n; k++) if (d.ids[k] !== sortedIds[k]) { inOrder = false; break; }
      if (!inOrder) {
        const order = new Int32Array(n).fill(-1);
        for (let row = 0; row < n; row++) {
          const slot = lookup(d.ids[row]);
          if (slot < 0 || order[slot] >= 0) {
            throw lineError(file, h.atomsLine + 1 + row, 'the same set of unique atom ids as frame 0',
              `id ${d.ids[row]}${slot < 0 ? ' (not in frame 0)' : ' (repeated)'}`);
          }
          order[slot] = row;
        }
        positions = permute(positions, order, 3);
        const p2: Record<string, Float64Array> = {};
        for (const k of Object.keys(properties)) p2[k] = permute(properties[k], order, 1);
        properties = p2;
      }
    }
    const out: FrameData = { positions, cell: d.cell, origin: d.origin, properties };
    if (h.step !== undefined) out.step = h.step;
    if (h.time !== undefined) out.time = h.time * timeScale;
    return out;
  };

  const timestep = intervalOf(times[0], times[1]);
  return {
    name: file,
    format: 'lammps-dump',
    nAtoms: n,
    nFrames: index.nFrames,
    species,
    types: types ?? undefined,
    ids: sortedIds,
    pbc: first.pbc,
    propertyNames: lay.props.map((p) => p[1]),
    timestep: timestep !== undefined ? timestep * timeScale : undefined,
    stepInterval: intervalOf(steps[0], steps[1]),
    notes,
    readFrame,
  };
}

export const lammpsDump: FormatProvider = {
  id: 'lammps-dump',
  label: 'LAMMPS text dump',
  extensions: ['lammpstrj', 'dump', 'lammpsdump'],
  role: 'trajectory',
  sniff(head: Uint8Array): boolean {
    const first = headLines(head, 4).find((l) => l.trim() !== '');
    return first !== undefined && /^ITEM:\s*(TIMESTEP|UNITS|TIME)\b/.test(first.trim());
  },
  open: openDump,
};
