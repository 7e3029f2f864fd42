/**
 * PDB (formats.md §7): ATOM/HETATM fixed columns, CRYST1 cell, MODEL/ENDMDL frames, END.
 * Index: every line's record name is looked at once; a frame is a MODEL..ENDMDL block (or the
 * whole file without MODEL). The CRYST1 in force for each frame (the last one before or inside
 * it) is kept in the index. Serial numbers are ignored for identity (record order; they overflow).
 */
import type { ByteSource } from '../source.ts';
import type { FormatProvider, OpenContext, Topology } from '../reader.ts';
import type { FrameData, Trajectory } from '../../trajectory.ts';
import type { RunOptions } from '../../progress.ts';
import { bytesToString, LineReader, parseNumber, parseNumberText } from '../text.ts';
import { FrameIndexBuilder, type FrameIndex } from '../frame-index.ts';
import { checkFrame, eofError, frameCursor, headLines, lineError, NameTable } from './common.ts';
import { canonicalElement, elementFromName, UNKNOWN } from '../elements.ts';
import { cellFromParameters, isPlaceholderCell } from '../../geometry/cell.ts';

const RECORD_NAMES = ['ATOM', 'HETATM', 'MODEL', 'ENDMDL', 'CRYST1', 'END'] as const;

/** True when columns 1-6 of the line hold `name` followed by blanks (or the line ends). */
function isRecord(buf: Uint8Array, s: number, e: number, name: string): boolean {
  for (let k = 0; k < 6; k++) {
    const c = s + k < e ? buf[s + k] : 32;
    if (c !== (k < name.length ? name.charCodeAt(k) : 32)) return false;
  }
  return true;
}

/** The record name of a line when it is one the reader acts on, else '' (compared on bytes). */
function record(buf: Uint8Array, s: number, e: number): string {
  for (const name of RECORD_NAMES) if (isRecord(buf, s, e, name)) return name;
  return '';
}

function isAtom(rec: string): boolean { return rec === 'ATOM' || rec === 'HETATM'; }

/** CRYST1 -> 6 parameters; columns 7-15, 16-24, 25-33, 34-40, 41-47, 48-54 (1-based). */
function parseCryst1(file: string, line: number, text: string): number[] {
  const cols: [number, number][] = [[6, 15], [15, 24], [24, 33], [33, 40], [40, 47], [47, 54]];
  const v = cols.map(([a, b]) => parseNumberText(text.slice(a, b)));
  if (v.some((x) => !Number.isFinite(x))) throw lineError(file, line, 'CRYST1 with a b c alpha beta gamma in columns 7-54', text);
  return v;
}

function cellOf(p: Float64Array, k: number): Float64Array | null {
  if (Number.isNaN(p[6 * k])) return null;
  const c = cellFromParameters(p[6 * k], p[6 * k + 1], p[6 * k + 2], p[6 * k + 3], p[6 * k + 4], p[6 * k + 5]);
  // formats.md §7: 1 1 1 90 90 90 is a placeholder meaning "no cell".
  if (isPlaceholderCell(c) || c.some((x) => !Number.isFinite(x))) return null;
  return c;
}

interface PdbIndex { index: FrameIndex; n: number; cryst: Float64Array }

async function indexPdb(src: ByteSource, o?: RunOptions): Promise<PdbIndex> {
  const file = src.name;
  const r = new LineReader(src, o);
  const b = new FrameIndexBuilder();
  let current: number[] | null = null;
  const cryst: number[] = [];
  let n = -1, count = 0, inModel = false, sawModel = false, sawAtoms = false;
  let frameStartLine = 0;
  const ends: number[] = [];
  const close = (line: number) => {
    if (n < 0) n = count;
    else if (count !== n) throw lineError(file, line, `${n} atoms per model (as in model 1)`, `${count} atoms in model ${b.count}`);
  };
  while (await r.next()) {
    const rec = record(r.buf, r.start, r.end);
    if (rec === 'CRYST1') {
      current = parseCryst1(file, r.line, r.text());
      if (inModel) cryst.splice(cryst.length - 6, 6, ...current);
    } else if (rec === 'MODEL') {
      if (inModel) throw lineError(file, r.line, 'ENDMDL before the next MODEL', r.text());
      if (sawAtoms && !sawModel) throw lineError(file, r.line, 'atoms inside MODEL/ENDMDL blocks only', r.text());
      sawModel = true; inModel = true; count = 0;
      b.push(r.offset, r.line);
      frameStartLine = r.line;
      cryst.push(...(current ?? [NaN, NaN, NaN, NaN, NaN, NaN]));
    } else if (rec === 'ENDMDL') {
      if (!inModel) throw lineError(file, r.line, 'MODEL before ENDMDL', r.text());
      inModel = false;
      close(frameStartLine);
      ends.push(r.offset + (r.end - r.start));
    } else if (isAtom(rec)) {
      if (sawModel && !inModel) throw lineError(file, r.line, 'ATOM/HETATM records inside MODEL/ENDMDL', r.text());
      sawAtoms = true;
      count++;
    } else if (rec === 'END') {
      break;
    }
  }
  if (inModel) throw eofError(file, r.line + 1, 'ENDMDL');
  if (!sawModel) {
    if (count === 0) throw eofError(file, r.line + 1, 'ATOM or HETATM records');
    n = count;
    b.push(0, 1);
    cryst.push(...(current ?? [NaN, NaN, NaN, NaN, NaN, NaN]));
    ends.push(src.size);
  }
  if (b.count === 0) throw eofError(file, r.line + 1, 'a MODEL with atoms');
  const index = b.finish(src.size);
  for (let k = 0; k < ends.length; k++) index.byteEnd[k] = ends[k];
  return { index, n, cryst: Float64Array.from(cryst) };
}

interface Names { names: string[]; resNames: string[]; elements: string[] }

async function decodeFrame(src: ByteSource, pi: PdbIndex, i: number, names: Names | null,
  check: NameTable | null = null): Promise<Float64Array> {
  const file = src.name;
  const cur = await frameCursor(src, pi.index, i);
  const pos = new Float64Array(3 * pi.n);
  let a = 0;
  while (cur.next()) {
    const rec = record(cur.buf, cur.start, cur.end);
    if (rec === 'END' || rec === 'ENDMDL') break;
    if (!isAtom(rec)) continue;
    if (a >= pi.n) throw lineError(file, cur.line, `${pi.n} atoms`, 'more ATOM/HETATM records');
    const s = cur.start, len = cur.end - cur.start;
    if (len < 54) throw lineError(file, cur.line, 'an ATOM/HETATM record with x y z in columns 31-54', cur.text());
    for (let k = 0; k < 3; k++) {
      let fs = s + 30 + 8 * k, fe = fs + 8;
      while (fs < fe && cur.buf[fs] === 32) fs++;
      while (fe > fs && cur.buf[fe - 1] === 32) fe--;
      const v = parseNumber(cur.buf, fs, fe);
      if (!Number.isFinite(v)) throw lineError(file, cur.line, `a number in columns ${31 + 8 * k}-${38 + 8 * k}`, bytesToString(cur.buf, s + 30 + 8 * k, s + 38 + 8 * k));
      pos[3 * a + k] = v;
    }
    if (check && !check.matches(a, cur.buf, s + 12, Math.min(cur.end, s + 16))) {
      throw lineError(file, cur.line, `atom ${a + 1} named "${check.name(a)}" as in model 1 (the atom order must not change)`,
        bytesToString(cur.buf, s + 12, s + 16).trim());
    }
    if (names) {
      const text = cur.text();
      names.names.push(text.slice(12, 16));
      names.resNames.push(text.slice(17, 20).trim());
      names.elements.push(text.length >= 78 ? text.slice(76, 78).trim() : '');
    }
    a++;
  }
  if (a !== pi.n) throw lineError(file, pi.index.firstLine[i], `${pi.n} ATOM/HETATM records in this frame`, String(a));
  return pos;
}

function speciesOf(nm: Names): string[] {
  return nm.names.map((name, k) => {
    const el = canonicalElement(nm.elements[k]);
    if (el) return el;
    // formats.md §7: no element field -> cols 13-14; a blank col 13 means a one-letter element in
    // col 14 (names such as " Ag " written in element case are taken as they are).
    if (name[0] === ' ' || /\d/.test(name[0] ?? '')) return elementFromName(name.trim(), nm.resNames[k]);
    return canonicalElement(name.slice(0, 2)) ?? elementFromName(name.trim(), nm.resNames[k]);
  });
}

async function load(src: ByteSource, o?: RunOptions) {
  const pi = await indexPdb(src, o);
  const names: Names = { names: [], resNames: [], elements: [] };
  const pos0 = await decodeFrame(src, pi, 0, names);
  return { pi, names, pos0 };
}

async function openPdb(src: ByteSource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory> {
  const { pi, names } = await load(src, o);
  void ctx;
  const species = speciesOf(names);
  const check = new NameTable(names.names.map((x) => x.trim()));
  const n = pi.n;
  const ids = new Int32Array(n);
  for (let k = 0; k < n; k++) ids[k] = k + 1;
  const readFrame = async (i: number): Promise<FrameData> => {
    checkFrame(i, pi.index.nFrames);
    const positions = await decodeFrame(src, pi, i, null, check);
    return { positions, cell: cellOf(pi.cryst, i) };
  };
  const notes: string[] = [];
  const unknown = species.filter((s) => s === UNKNOWN).length;
  if (unknown) notes.push(`${unknown} atoms with unrecognised names`);
  return {
    name: src.name, format: 'pdb', nAtoms: n, nFrames: pi.index.nFrames, species,
    types: names.names.map((s) => s.trim()), ids,
    pbc: cellOf(pi.cryst, 0) ? [true, true, true] : [false, false, false],
    propertyNames: [], notes, readFrame,
  };
}

async function pdbTopology(src: ByteSource, o?: RunOptions): Promise<Topology> {
  const { pi, names } = await load(src, o);
  const ids = new Int32Array(pi.n);
  for (let k = 0; k < pi.n; k++) ids[k] = k + 1;
  return { name: src.name, format: 'pdb', nAtoms: pi.n, species: speciesOf(names), types: names.names.map((s) => s.trim()), ids };
}

const RECORDS = /^(HEADER|TITLE |COMPND|REMARK|CRYST1|MODEL |ATOM  |HETATM|SEQRES|AUTHOR|EXPDTA|ORIGX|SCALE)/;

export const pdb: FormatProvider = {
  id: 'pdb',
  label: 'PDB',
  extensions: ['pdb', 'ent'],
  role: 'both',
  sniff(head: Uint8Array): boolean {
    const lines = headLines(head, 6).filter((l) => l.trim() !== '');
    return lines.length > 0 && lines.every((l) => RECORDS.test(l.padEnd(6)) || /^[A-Z][A-Z0-9 ]{5}/.test(l)) && RECORDS.test(lines[0].padEnd(6));
  },
  open: openPdb,
  readTopology: pdbTopology,
};
