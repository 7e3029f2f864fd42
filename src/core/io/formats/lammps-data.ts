/**
 * LAMMPS data file (formats.md §5): one frame, and the usual topology for dumps (Masses give
 * elements, §0.3). Header counts and box until the first section keyword; sections are a keyword
 * line (with an optional "# style" comment), a blank line and rows. Only Masses and Atoms are read;
 * other sections are skipped row by row.
 */
import type { ByteSource } from '../source.ts';
import type { FormatProvider, OpenContext, OpenOptions, Topology } from '../reader.ts';
import type { FrameData, Trajectory } from '../../trajectory.ts';
import type { RunOptions } from '../../progress.ts';
import { Fields, LineReader, parseNumberText } from '../text.ts';
import { checkFrame, cloneFrame, eofError, headLines, lineError } from './common.ts';
import { canonicalElement, elementFromMass, UNKNOWN } from '../elements.ts';

/** formats.md §5: Atoms columns per style (before optional image flags). */
const STYLES: Record<string, { cols: number; type: number; xyz: number; mol?: number; q?: number }> = {
  atomic: { cols: 5, type: 1, xyz: 2 },
  charge: { cols: 6, type: 1, xyz: 3, q: 2 },
  molecular: { cols: 6, type: 2, xyz: 3, mol: 1 },
  bond: { cols: 6, type: 2, xyz: 3, mol: 1 },
  angle: { cols: 6, type: 2, xyz: 3, mol: 1 },
  full: { cols: 7, type: 2, xyz: 4, mol: 1, q: 3 },
};

interface DataFile {
  n: number;
  frame: FrameData;
  ids: Int32Array;
  types: string[];
  species: string[];
  typeElements: Map<string, string>;
  style: string;
  propertyNames: string[];
  notes: string[];
}

/** Shortest possible Atoms row: "1 1 0 0 0" plus a newline. */
const MIN_ROW_BYTES = 10;

function stripComment(t: string): string {
  const h = t.indexOf('#');
  return (h >= 0 ? t.slice(0, h) : t).trim();
}

async function readData(src: ByteSource, o?: OpenOptions): Promise<DataFile> {
  const file = src.name;
  const r = new LineReader(src, o);
  if (!(await r.next())) throw eofError(file, 1, 'a title line');
  let nAtoms = -1, nTypes = -1;
  const lo = [NaN, NaN, NaN], hi = [NaN, NaN, NaN];
  let xy = 0, xz = 0, yz = 0;
  let pending: string | null = null;   // a section keyword line already read
  // Header.
  while (await r.next()) {
    const t = stripComment(r.text());
    if (t === '') continue;
    const w = t.split(/\s+/);
    if (!/^[-+.\d]/.test(w[0])) { pending = r.text(); break; }
    const v = w.map(parseNumberText);
    const tail = w.slice(-2).join(' ');
    if (w.length === 2 && w[1] === 'atoms') nAtoms = v[0];
    else if (w.length === 3 && w[1] === 'atom' && w[2] === 'types') nTypes = v[0];
    else if (w.length === 4 && ['xlo xhi', 'ylo yhi', 'zlo zhi'].includes(tail)) {
      const k = ['xlo xhi', 'ylo yhi', 'zlo zhi'].indexOf(tail);
      if (!Number.isFinite(v[0]) || !Number.isFinite(v[1])) throw lineError(file, r.line, `two numbers before ${tail}`, r.text());
      lo[k] = v[0]; hi[k] = v[1];
    } else if (w.length === 6 && w.slice(3).join(' ') === 'xy xz yz') {
      if (!v.slice(0, 3).every(Number.isFinite)) throw lineError(file, r.line, 'three numbers before xy xz yz', r.text());
      [xy, xz, yz] = v;
    }
    if ((w[1] === 'atoms' || (w[1] === 'atom' && w[2] === 'types')) && !(Number.isInteger(v[0]) && v[0] >= 0)) {
      throw lineError(file, r.line, 'a non-negative integer count', r.text());
    }
  }
  if (nAtoms < 0) throw lineError(file, r.line, 'a "<n> atoms" header line before the first section', pending ?? 'end of file');
  // Each Atoms row takes at least MIN_ROW_BYTES: a larger count cannot fit in the file (and
  // must not drive an allocation).
  if (nAtoms * MIN_ROW_BYTES > src.size) {
    throw lineError(file, 1, `an atom count the file can hold (at most ${Math.floor(src.size / MIN_ROW_BYTES)})`, `${nAtoms} atoms`);
  }
  if (lo.some((x) => Number.isNaN(x))) throw lineError(file, r.line, 'xlo xhi, ylo yhi and zlo zhi header lines', pending ?? 'end of file');

  const masses = new Map<string, number>();
  const massNames = new Map<string, string>();
  let atoms: { ids: Int32Array; types: string[]; pos: Float64Array; props: Record<string, Float64Array>; style: string } | null = null;
  const f = new Fields();
  // Sections.
  while (pending !== null) {
    const keyLine = pending;
    const keyNo = r.line;
    pending = null;
    const hash = keyLine.indexOf('#');
    const keyword = stripComment(keyLine);
    const hint = hash >= 0 ? keyLine.slice(hash + 1).trim().split(/\s+/)[0] : '';
    const rows: number = keyword === 'Atoms' || keyword === 'Velocities' ? nAtoms : keyword === 'Masses' ? nTypes : -1;
    if (keyword === 'Masses' && nTypes < 0) throw lineError(file, keyNo, 'an "<n> atom types" header line before Masses', keyLine);
    // Rows until the next keyword (sections of unknown length) or exactly `rows` rows.
    let got = 0;
    let ids: Int32Array | null = null, types: string[] = [], pos: Float64Array | null = null;
    let style = '', spec: (typeof STYLES)[string] | null = null, image = false;
    let props: Record<string, Float64Array> = {};
    if (keyword === 'Atoms') {
      ids = new Int32Array(nAtoms); types = new Array<string>(nAtoms); pos = new Float64Array(3 * nAtoms);
      style = hint || (o?.lammpsAtomStyle ?? '');
      if (style && !STYLES[style]) throw lineError(file, keyNo, `atom style ${Object.keys(STYLES).join(', ')}`, style);
    }
    while (await r.next()) {
      const t = stripComment(r.text());
      if (t === '') continue;
      if (!/^[-+.\d]/.test(t)) { pending = r.text(); break; }
      if (rows >= 0 && got >= rows) throw lineError(file, r.line, `${rows} rows in section ${keyword}`, 'another row');
      const nf = f.split(r.buf, r.start, r.start + (r.text().indexOf('#') >= 0 ? r.text().indexOf('#') : r.end - r.start));
      if (keyword === 'Masses') {
        const m = f.number(1);
        if (nf < 2 || !Number.isFinite(m)) throw lineError(file, r.line, 'a Masses row "type mass"', r.text());
        masses.set(f.text(0), m);
        const c = r.text().indexOf('#');
        if (c >= 0) massNames.set(f.text(0), r.text().slice(c + 1).trim().split(/\s+/)[0]);
      } else if (keyword === 'Atoms') {
        if (!spec) {
          if (!style) {
            // formats.md §5: 5/8 -> atomic, 7/10 -> full; 6/9 is ambiguous.
            if (nf === 5 || nf === 8) style = 'atomic';
            else if (nf === 7 || nf === 10) style = 'full';
            else throw lineError(file, keyNo, 'an atom style hint ("Atoms # full", "# atomic", "# charge", "# molecular")', `${nf} columns without a hint`);
          }
          spec = STYLES[style];
          image = nf === spec.cols + 3;
          if (spec.mol !== undefined) props.mol = new Float64Array(nAtoms);
          if (spec.q !== undefined) props.q = new Float64Array(nAtoms);
          if (image) { props.ix = new Float64Array(nAtoms); props.iy = new Float64Array(nAtoms); props.iz = new Float64Array(nAtoms); }
        }
        if (nf !== spec.cols + (image ? 3 : 0)) {
          throw lineError(file, r.line, `${spec.cols + (image ? 3 : 0)} columns (atom style ${style}${image ? ' with image flags' : ''})`, `${nf} columns: ${r.text()}`);
        }
        const id = f.int(0);
        if (!Number.isInteger(id) || Math.abs(id) > 2147483647) throw lineError(file, r.line, 'an integer atom id', f.text(0));
        ids![got] = id;
        types[got] = f.text(spec.type);
        for (let k = 0; k < 3; k++) {
          const v = f.number(spec.xyz + k);
          if (!Number.isFinite(v)) throw lineError(file, r.line, 'a number (position)', f.text(spec.xyz + k));
          pos![3 * got + k] = v;
        }
        const put = (name: string, col: number) => {
          const v = f.number(col);
          if (!Number.isFinite(v)) throw lineError(file, r.line, `a number (${name})`, f.text(col));
          props[name][got] = v;
        };
        if (spec.mol !== undefined) put('mol', spec.mol);
        if (spec.q !== undefined) put('q', spec.q);
        if (image) { put('ix', spec.cols); put('iy', spec.cols + 1); put('iz', spec.cols + 2); }
      }
      got++;
    }
    if (rows >= 0 && got < rows) throw eofError(file, r.line + 1, `${rows} rows in section ${keyword} (only ${got} present)`);
    if (keyword === 'Atoms') {
      atoms = { ids: ids!, types, pos: pos!, props, style };
      props = {};
    }
  }
  if (!atoms) throw eofError(file, r.line + 1, 'an Atoms section');
  // Sort by id (formats.md §5).
  const n = nAtoms;
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  const rawIds = atoms.ids;
  order.sort((a, b) => rawIds[a] - rawIds[b]);
  const ids = new Int32Array(n), types = new Array<string>(n), positions = new Float64Array(3 * n);
  const properties: Record<string, Float64Array> = {};
  for (const k of Object.keys(atoms.props)) properties[k] = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const s = order[k];
    ids[k] = rawIds[s];
    types[k] = atoms.types[s];
    positions[3 * k] = atoms.pos[3 * s]; positions[3 * k + 1] = atoms.pos[3 * s + 1]; positions[3 * k + 2] = atoms.pos[3 * s + 2];
    for (const p of Object.keys(properties)) properties[p][k] = atoms.props[p][s];
  }
  const typeElements = new Map<string, string>();
  for (const [t, m] of masses) {
    const named = massNames.has(t) ? canonicalElement(massNames.get(t)!) : null;
    const el = named ?? elementFromMass(m);
    if (el) typeElements.set(t, el);
  }
  const species = types.map((t) => typeElements.get(t) ?? UNKNOWN);
  const cell = new Float64Array([hi[0] - lo[0], 0, 0, xy, hi[1] - lo[1], 0, xz, yz, hi[2] - lo[2]]);
  const notes: string[] = [];
  const unknown = species.filter((s) => s === UNKNOWN).length;
  if (unknown) notes.push(`${unknown} atoms whose type has no Masses entry matching an element`);
  return {
    n, ids, types, species, typeElements, style: atoms.style, notes,
    propertyNames: Object.keys(properties),
    frame: { positions, cell, origin: Float64Array.from(lo), properties },
  };
}

async function checkedRead(src: ByteSource, o?: OpenOptions): Promise<DataFile> {
  const d = await readData(src, o);
  for (let k = 1; k < d.n; k++) {
    if (d.ids[k] === d.ids[k - 1]) throw lineError(src.name, 1, 'unique atom ids in the Atoms section', `id ${d.ids[k]} repeated`);
  }
  return d;
}

async function openData(src: ByteSource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory> {
  const d = await checkedRead(src, { ...ctx.options, ...o });
  return {
    name: src.name, format: 'lammps-data', nAtoms: d.n, nFrames: 1, species: d.species, types: d.types, ids: d.ids,
    pbc: [true, true, true], propertyNames: d.propertyNames, notes: [`atom style ${d.style}`, ...d.notes],
    readFrame: async (i: number) => { checkFrame(i, 1); return cloneFrame(d.frame); },
  };
}

async function dataTopology(src: ByteSource, o?: OpenOptions): Promise<Topology> {
  const d = await checkedRead(src, o);
  return { name: src.name, format: 'lammps-data', nAtoms: d.n, species: d.species, types: d.types, ids: d.ids, typeElements: d.typeElements };
}

export const lammpsData: FormatProvider = {
  id: 'lammps-data',
  label: 'LAMMPS data file',
  extensions: ['data', 'lmp', 'lammps'],
  role: 'both',
  sniff(head: Uint8Array): boolean {
    const lines = headLines(head, 12).slice(1);
    return lines.some((l) => /^\s*\d+\s+atoms\s*(#.*)?$/.test(l));
  },
  open: openData,
  readTopology: dataTopology,
};
