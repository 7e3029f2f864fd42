/**
 * GROMACS GRO (formats.md §6): title (with optional "t= <time> step= <step>"), atom count, fixed
 * column atom lines (fields of width w starting at column 20, never split on whitespace), box
 * line in nm. Multi-frame files are consecutive blocks; each frame is N + 3 lines, so the index
 * skips atom lines without reading them.
 */
import type { ByteSource } from '../source.ts';
import type { FormatProvider, OpenContext, Topology } from '../reader.ts';
import type { FrameData, Trajectory } from '../../trajectory.ts';
import type { RunOptions } from '../../progress.ts';
import { bytesToString, LineCursor, LineReader, parseNumber, parseNumberText } from '../text.ts';
import { FrameIndexBuilder } from '../frame-index.ts';
import { atomCountLine, checkFrame, eofError, frameCursor, headLines, intervalOf, lineError, NameTable } from './common.ts';
import { elementFromName, UNKNOWN } from '../elements.ts';

/** formats.md §0.2: GRO lengths are nm. */
const NM = 10;
/** formats.md §6: default coordinate field width (%8.3f). */
const DEFAULT_WIDTH = 8;
const COORD_START = 20;

/** Field width from the first atom line: distance between the first two decimal points. */
export function groFieldWidth(line: string): number {
  const p1 = line.indexOf('.', COORD_START);
  const p2 = p1 >= 0 ? line.indexOf('.', p1 + 1) : -1;
  if (p1 < 0 || p2 < 0) return DEFAULT_WIDTH;
  const w = p2 - p1;
  return w >= 4 && w <= 30 ? w : DEFAULT_WIDTH;
}

function parseTitle(title: string): { time?: number; step?: number } {
  const out: { time?: number; step?: number } = {};
  const t = /\bt=\s*(\S+)/.exec(title);
  if (t) { const v = parseNumberText(t[1]); if (Number.isFinite(v)) out.time = v; }
  const s = /\bstep=\s*(\S+)/.exec(title);
  if (s) { const v = parseNumberText(s[1]); if (Number.isInteger(v)) out.step = v; }
  return out;
}

/** Box line: 3 or 9 numbers in nm -> cell rows in Å, or null for an all-zero box. */
function parseBox(file: string, line: number, text: string): Float64Array | null {
  const w = text.trim().split(/\s+/).filter((x) => x !== '');
  const v = w.map(parseNumberText);
  if ((v.length !== 3 && v.length !== 9) || v.some((x) => !Number.isFinite(x))) {
    throw lineError(file, line, 'a box line with 3 or 9 numbers (nm)', text);
  }
  const c = new Float64Array(9);
  // v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)
  c[0] = v[0]; c[4] = v[1]; c[8] = v[2];
  if (v.length === 9) { c[1] = v[3]; c[2] = v[4]; c[3] = v[5]; c[5] = v[6]; c[6] = v[7]; c[7] = v[8]; }
  if (c.every((x) => x === 0)) return null;
  for (let k = 0; k < 9; k++) c[k] *= NM;
  return c;
}

interface Atoms { positions: Float64Array; velocities: Float64Array | null; names: string[] | null; resNames: string[] | null }

function decodeAtoms(file: string, cur: LineCursor, n: number, w: number, withVel: boolean, keepNames: boolean,
  check: NameTable | null = null): Atoms {
  const positions = new Float64Array(3 * n);
  const velocities = withVel ? new Float64Array(3 * n) : null;
  const names = keepNames ? new Array<string>(n) : null;
  const resNames = keepNames ? new Array<string>(n) : null;
  const buf = cur.buf;
  const need = COORD_START + 3 * w;
  for (let a = 0; a < n; a++) {
    if (!cur.next()) throw eofError(file, cur.line + 1, `atom line ${a + 1} of ${n}`);
    const s = cur.start, len = cur.end - cur.start;
    if (len < need) throw lineError(file, cur.line, `an atom line of at least ${need} characters (x y z in ${w}-wide fields)`, cur.text());
    for (let k = 0; k < 3; k++) {
      const v = fixedNumber(buf, s + COORD_START + k * w, s + COORD_START + (k + 1) * w);
      if (!Number.isFinite(v)) throw lineError(file, cur.line, `a number in columns ${COORD_START + k * w + 1}-${COORD_START + (k + 1) * w}`, bytesToString(buf, s + COORD_START + k * w, s + COORD_START + (k + 1) * w));
      positions[3 * a + k] = v * NM;
    }
    if (velocities) {
      for (let k = 0; k < 3; k++) {
        const from = s + COORD_START + (3 + k) * w;
        const v = from + w <= cur.end ? fixedNumber(buf, from, from + w) : NaN;
        if (!Number.isFinite(v)) throw lineError(file, cur.line, `a velocity in columns ${from - s + 1}-${from - s + w} (as in the first atom line)`, bytesToString(buf, from, Math.min(cur.end, from + w)));
        velocities[3 * a + k] = v * NM;
      }
    }
    if (names) names[a] = bytesToString(buf, s + 10, s + 15).trim();
    if (check && !check.matches(a, buf, s + 10, s + 15)) {
      throw lineError(file, cur.line, `atom ${a + 1} named "${check.name(a)}" as in frame 0 (the atom order must not change)`,
        bytesToString(buf, s + 10, s + 15).trim());
    }
    if (resNames) resNames[a] = bytesToString(buf, s + 5, s + 10).trim();
  }
  return { positions, velocities, names, resNames };
}

/** Number in a fixed-width field, spaces trimmed; NaN when empty or malformed. */
function fixedNumber(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  return parseNumber(buf, s, e);
}

async function indexGro(src: ByteSource, o?: RunOptions) {
  const file = src.name;
  const r = new LineReader(src, o);
  const b = new FrameIndexBuilder();
  let n = -1;
  const titles: string[] = [];
  for (;;) {
    if (!(await r.next())) break;
    const start = r.offset, line = r.line;
    const title = r.text();
    const blankTitle = r.blank();
    if (!(await r.next())) {
      if (blankTitle) break; // trailing blank line
      throw eofError(file, r.line + 1, 'the number of atoms');
    }
    if (blankTitle && r.blank()) {
      // only blank lines may follow the last frame
      while (await r.next()) if (!r.blank()) throw lineError(file, r.line, 'end of file after blank lines', r.text());
      break;
    }
    n = atomCountLine(file, r.line, r.text(), n, b.count);
    b.push(start, line);
    if (titles.length < 2) titles.push(title);
    const got = await r.skip(n);
    if (got < n) throw eofError(file, r.line + 1, `${n} atom lines (only ${got} present)`);
    if (!(await r.next())) throw eofError(file, r.line + 1, 'the box line');
  }
  if (n < 0) throw eofError(file, 1, 'a GRO title line');
  return { index: b.finish(src.size), n, titles };
}

interface GroFrame0 { names: string[]; resNames: string[]; width: number; withVel: boolean }

async function firstFrame(src: ByteSource, index: { byteStart: Float64Array; byteEnd: Float64Array; firstLine: Float64Array }, n: number) {
  const cur = await frameCursor(src, { ...index, nFrames: 1 }, 0);
  cur.next(); cur.next();
  let width = DEFAULT_WIDTH, withVel = false;
  if (n > 0) {
    const probe = new LineCursor(cur.buf);
    probe.next(); probe.next(); probe.next(); // title, count, first atom line
    const l = probe.text().replace(/\s+$/, '');
    width = groFieldWidth(l);
    withVel = l.length >= COORD_START + 6 * width;
  }
  const atoms = decodeAtoms(src.name, cur, n, width, withVel, true);
  if (!cur.next()) throw eofError(src.name, cur.line + 1, 'the box line');
  const cell = parseBox(src.name, cur.line, cur.text());
  return { f0: { names: atoms.names!, resNames: atoms.resNames!, width, withVel } as GroFrame0, atoms, cell };
}

function speciesOf(f0: GroFrame0): string[] {
  return f0.names.map((nm, k) => elementFromName(nm, f0.resNames[k]));
}

async function openGro(src: ByteSource, ctx: OpenContext, o?: RunOptions): Promise<Trajectory> {
  const file = src.name;
  const { index, n, titles } = await indexGro(src, o);
  const { f0, cell: cell0 } = await firstFrame(src, index, n);
  void ctx;
  const species = speciesOf(f0);
  const check = new NameTable(f0.names);
  const ids = new Int32Array(n);
  for (let k = 0; k < n; k++) ids[k] = k + 1;
  const readFrame = async (i: number): Promise<FrameData> => {
    checkFrame(i, index.nFrames);
    const cur = await frameCursor(src, index, i);
    cur.next();
    const title = parseTitle(cur.text());
    cur.next();
    const atoms = decodeAtoms(file, cur, n, f0.width, f0.withVel, false, check);
    if (!cur.next()) throw eofError(file, cur.line + 1, 'the box line');
    const cell = parseBox(file, cur.line, cur.text());
    const out: FrameData = { positions: atoms.positions, cell };
    if (title.time !== undefined) out.time = title.time;
    if (title.step !== undefined) out.step = title.step;
    if (atoms.velocities) {
      const v = atoms.velocities;
      const vx = new Float64Array(n), vy = new Float64Array(n), vz = new Float64Array(n);
      for (let k = 0; k < n; k++) { vx[k] = v[3 * k]; vy[k] = v[3 * k + 1]; vz[k] = v[3 * k + 2]; }
      out.properties = { vx, vy, vz };
    }
    return out;
  };
  const t0 = parseTitle(titles[0]), t1 = titles[1] !== undefined ? parseTitle(titles[1]) : {};
  const notes: string[] = [];
  const unknown = species.filter((s) => s === UNKNOWN).length;
  if (unknown) notes.push(`${unknown} atoms with unrecognised atom names`);
  if (f0.withVel) notes.push('velocities kept as properties vx vy vz in Å/ps');
  return {
    name: file,
    format: 'gro',
    nAtoms: n,
    nFrames: index.nFrames,
    species,
    types: f0.names,
    ids,
    pbc: cell0 ? [true, true, true] : [false, false, false],
    propertyNames: f0.withVel ? ['vx', 'vy', 'vz'] : [],
    timestep: intervalOf(t0.time, t1.time),
    stepInterval: intervalOf(t0.step, t1.step),
    notes,
    readFrame,
  };
}

async function groTopology(src: ByteSource, o?: RunOptions): Promise<Topology> {
  const { index, n } = await indexGro(src, o);
  const { f0 } = await firstFrame(src, index, n);
  const ids = new Int32Array(n);
  for (let k = 0; k < n; k++) ids[k] = k + 1;
  return { name: src.name, format: 'gro', nAtoms: n, species: speciesOf(f0), types: f0.names, ids };
}

export const gro: FormatProvider = {
  id: 'gro',
  label: 'GROMACS GRO',
  extensions: ['gro'],
  role: 'both',
  sniff(head: Uint8Array, name: string): boolean {
    const lines = headLines(head, 4);
    if (lines.length < 3 || !/^\s*\d+\s*$/.test(lines[1])) return false;
    if (/^\s*\d+\s*$/.test(lines[0]) && !name.toLowerCase().endsWith('.gro')) return false;
    const a = lines[2];
    return a.length >= COORD_START + 3 * 4 && a.indexOf('.', COORD_START) >= 0;
  },
  open: openGro,
  readTopology: groTopology,
};
