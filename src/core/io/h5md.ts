/**
 * H5MD reader (formats.md §11) and the HDF5 format provider, which also dispatches SOAPify-layout
 * files (formats.md §12, soapify-hdf5.ts). Frames are read on demand with one hyperslab per
 * frame (`value[i, :, :]`), so only that frame's chunks are read from the file.
 *
 * Units: `unit` attribute of position/value ("nm" -> x 10, "Angstrom"/"A" -> x 1, "pm" -> x 0.01);
 * missing -> Å with a note (formats.md §0.2). Time: `unit` of time ("ps", "fs", "ns"), default ps.
 * Species: a dataset [N] or a time-dependent group species/value [T][N] (frame 0), numbers read
 * as atomic numbers (ASE/ZnH5MD), strings as element or type names.
 */
import { FormatError } from '../errors.ts';
import type { RunOptions } from '../progress.ts';
import type { FrameData, Trajectory } from '../trajectory.ts';
import type { Dataset, File as H5File, Group } from 'h5wasm';
import { attr, child, h5Try, hasHdf5Signature, isDataset, isGroup, openH5Source, toFloat64, toStrings,
  type H5Handle } from './binary-hdf5.ts';
import type { BinarySource } from './binary-io.ts';
import { intervalOf } from './binary-provider.ts';
import { canonicalElement, elementFromName, elementFromNumber, UNKNOWN } from './elements.ts';
import type { FormatProvider, OpenContext } from './reader.ts';
import { isSoapifyFile, readSoapifyFile } from './soapify-hdf5.ts';
import { checkFrame } from './formats/common.ts';

const LENGTH_TO_A: Record<string, number> = {
  nm: 10, nanometer: 10, nanometers: 10, angstrom: 1, a: 1, 'å': 1, ang: 1, pm: 0.01, bohr: 0.529177210903, m: 1e10,
};
const TIME_TO_PS: Record<string, number> = { ps: 1, fs: 1e-3, ns: 1e3, as: 1e-6 };

export interface H5mdOptions {
  /** Which particles/<group> to read; default: the first with a position. */
  group?: string;
}

/** A Trajectory that holds an open HDF5 file: call close() when done with it. */
export type ClosableTrajectory = Trajectory & { close(): void };

function lengthScale(u: unknown, notes: string[], what: string): number {
  const s = toStrings(u)[0]?.trim();
  if (!s) { notes.push(`${what} has no unit attribute: assumed Å`); return 1; }
  const f = LENGTH_TO_A[s.toLowerCase()];
  if (f === undefined) { notes.push(`${what} unit "${s}" not recognised: assumed Å`); return 1; }
  return f;
}

function timeScale(u: unknown): number {
  const s = toStrings(u)[0]?.trim().toLowerCase();
  return (s && TIME_TO_PS[s]) || 1;
}

/** Per-frame values of a time-dependent element's step/time: dataset [T] or scalar interval + offset. */
function sampling(g: Group, key: 'step' | 'time', n: number, file: string): Float64Array | null {
  const d = child(g, key);
  if (!isDataset(d)) return null;
  const v = toFloat64(h5Try(file, `${g.path}/${key}`, () => d.value));
  const scale = key === 'time' ? timeScale(attr(d, 'unit')) : 1;
  const out = new Float64Array(n);
  if (v.length >= n && (d.shape?.length ?? 0) > 0) for (let i = 0; i < n; i++) out[i] = v[i] * scale;
  else {
    // fixed interval: scalar = interval, `offset` attribute = first sample (H5MD 1.1)
    const off = toFloat64(attr(d, 'offset'))[0] ?? 0;
    for (let i = 0; i < n; i++) out[i] = (off + i * v[0]) * scale;
  }
  return out;
}

function speciesOf(g: Group, n: number, file: string, notes: string[]): string[] {
  let sp = child(g, 'species');
  if (isGroup(sp)) sp = child(sp, 'value');
  if (!isDataset(sp)) { notes.push('no species in the file: species unknown (X)'); return new Array<string>(n).fill(UNKNOWN); }
  const ds = sp;
  const shape = ds.shape ?? [];
  const raw = h5Try(file, 'species', () => (shape.length === 2 ? ds.slice([[0, 1]]) : ds.value));
  const strings = typeof (raw as unknown[])?.[0] === 'string' || typeof raw === 'string';
  if (strings) {
    const s = toStrings(raw);
    return Array.from({ length: n }, (_, i) => canonicalElement(s[i] ?? '') ?? elementFromName(s[i] ?? ''));
  }
  const z = toFloat64(raw);
  if (z.length < n) throw new FormatError(file, {}, `${n} species values`, `${z.length}`);
  let unknown = 0;
  const out = Array.from({ length: n }, (_, i) => {
    const e = Number.isInteger(z[i]) ? elementFromNumber(z[i]) : null;
    if (!e) unknown++;
    return e ?? UNKNOWN;
  });
  if (unknown) notes.push(`${unknown} species values are not atomic numbers: species X (edit the mapping)`);
  return out;
}

/**
 * Reads an opened H5MD file into a Trajectory (frames on demand). `file` names it in messages.
 */
export function readH5mdFile(f: Group, file: string, opts: H5mdOptions = {}): Trajectory {
  const particles = child(f, 'particles');
  if (!isGroup(particles)) throw new FormatError(file, {}, 'an H5MD "particles" group', `top-level groups ${JSON.stringify(f.keys())}`);
  const names = particles.keys();
  const groupName = opts.group ?? names.find((k) => { const g = child(particles, k); return isGroup(g) && isGroup(child(g, 'position')); });
  if (groupName === undefined || !names.includes(groupName)) {
    throw new FormatError(file, {}, opts.group ? `a particle group "${opts.group}"` : 'a particle group with a position', `groups ${JSON.stringify(names)}`);
  }
  const g = child(particles, groupName) as Group;
  const pos = child(g, 'position');
  const value = isGroup(pos) ? child(pos, 'value') : null;
  if (!isGroup(pos) || !isDataset(value)) throw new FormatError(file, {}, `particles/${groupName}/position/value`, 'nothing there');
  const shape = value.shape ?? [];
  if (shape.length !== 3 || shape[2] !== 3) {
    throw new FormatError(file, {}, `position/value of shape [T][N][3]`, `shape ${JSON.stringify(shape)}`);
  }
  const [nFrames, nAtoms] = shape;
  const notes: string[] = [];
  if (names.length > 1) notes.push(`particle groups ${names.join(', ')}: reading "${groupName}"`);
  const posScale = lengthScale(attr(value, 'unit'), notes, 'position');
  const times = sampling(pos, 'time', nFrames, file);
  const steps = sampling(pos, 'step', nFrames, file);
  const species = speciesOf(g, nAtoms, file, notes);

  // box: boundary/dimension as attributes or datasets; edges fixed or time-dependent
  const box = child(g, 'box');
  let pbc: [boolean, boolean, boolean] = [false, false, false];
  let edgesFixed: Float64Array | null = null, edgesValue: Dataset | null = null, boxScale = 1;
  if (isGroup(box)) {
    const bAttr = attr(box, 'boundary');
    const bDs = child(box, 'boundary');
    const boundary = toStrings(bAttr ?? (isDataset(bDs) ? h5Try(file, 'box/boundary', () => bDs.value) : undefined));
    if (boundary.length === 3) pbc = boundary.map((s) => s.trim().toLowerCase() === 'periodic') as [boolean, boolean, boolean];
    const edges = child(box, 'edges');
    if (isDataset(edges)) {
      edgesFixed = toFloat64(h5Try(file, 'box/edges', () => edges.value));
      boxScale = lengthScale(attr(edges, 'unit'), notes, 'box edges');
    } else if (isGroup(edges)) {
      const ev = child(edges, 'value');
      if (isDataset(ev)) { edgesValue = ev; boxScale = lengthScale(attr(ev, 'unit'), notes, 'box edges'); }
    }
  }
  const toCell = (e: Float64Array): Float64Array | null => {
    const c = new Float64Array(9);
    if (e.length === 3) { c[0] = e[0]; c[4] = e[1]; c[8] = e[2]; }
    else if (e.length === 9) c.set(e);
    else return null;
    for (let k = 0; k < 9; k++) c[k] *= boxScale;
    return c.every((v) => v === 0) ? null : c;
  };
  const nBox = edgesValue?.shape?.[0] ?? 0;
  if (edgesValue && nBox !== nFrames) notes.push(`box has ${nBox} samples for ${nFrames} frames: frame i uses box min(i, ${nBox - 1})`);

  const readFrame = async (i: number): Promise<FrameData> => {
    checkFrame(i, nFrames);
    const raw = h5Try(file, `position frame ${i}`, () => value.slice([[i, i + 1]]));
    const v = raw as ArrayLike<number>;
    if (!v || v.length !== 3 * nAtoms) throw new FormatError(file, { frame: i }, `${3 * nAtoms} position values`, String(v?.length));
    const positions = new Float64Array(3 * nAtoms);
    for (let k = 0; k < 3 * nAtoms; k++) positions[k] = v[k] * posScale;
    let cell: Float64Array | null = null;
    if (edgesFixed) cell = toCell(edgesFixed);
    else if (edgesValue && nBox > 0) {
      const j = Math.min(i, nBox - 1);
      const ev = edgesValue;
      cell = toCell(toFloat64(h5Try(file, `box frame ${j}`, () => ev.slice([[j, j + 1]]))));
    }
    const fr: FrameData = { positions, cell };
    if (times) fr.time = times[i];
    if (steps) fr.step = steps[i];
    return fr;
  };
  return {
    name: file, format: 'h5md', nAtoms, nFrames, species,
    ids: Int32Array.from({ length: nAtoms }, (_, i) => i + 1),
    pbc, propertyNames: [], timestep: times ? intervalOf(times) : undefined,
    stepInterval: steps && nFrames >= 2 ? steps[1] - steps[0] : undefined,
    notes, readFrame,
  };
}

/** True for files with the H5MD root group. */
export function isH5mdFile(f: Group): boolean {
  return isGroup(child(f, 'h5md')) || isGroup(child(f, 'particles'));
}

/** Reads an opened HDF5 file in whichever layout it has (H5MD or SOAPify), else a clear FormatError. */
export function readHdf5Trajectory(f: H5File | Group, file: string, opts: H5mdOptions & { trajectory?: string } = {}): Trajectory {
  const t = h5Try(file, 'HDF5 trajectory layout', () => {
    if (isH5mdFile(f)) return readH5mdFile(f, file, opts);
    if (isSoapifyFile(f)) return readSoapifyFile(f, file, opts);
    throw new FormatError(file, {}, 'an H5MD file (h5md, particles groups) or a SOAPify file (Trajectories/<name>/{Types, Trajectory, Box})',
      `an HDF5 file with top-level entries ${JSON.stringify(f.keys())} and no trajectory`);
  });
  // whatever the HDF5 library throws while reading a damaged frame becomes a FormatError too
  const read = t.readFrame;
  t.readFrame = async (i: number) => {
    try {
      return await read(i);
    } catch (e) {
      if (e instanceof FormatError || e instanceof RangeError) throw e;
      throw new FormatError(file, { frame: i }, 'a readable frame', e instanceof Error ? e.message : String(e));
    }
  };
  return t;
}

async function openHdf5(src: BinarySource, ctx: OpenContext, o?: RunOptions): Promise<ClosableTrajectory> {
  const h: H5Handle = await openH5Source(src, o);
  try {
    const t = readHdf5Trajectory(h.file, src.name);
    if (ctx.topology) {
      if (ctx.topology.nAtoms !== t.nAtoms) {
        throw new FormatError(`${src.name} + ${ctx.topology.name}`, {}, `${t.nAtoms} atoms in the topology`, `${ctx.topology.nAtoms}`);
      }
      t.species = ctx.topology.species.slice();
      if (ctx.topology.types) t.types = ctx.topology.types.slice();
    }
    if (h.mode === 'memfs') (t.notes ??= []).push('HDF5 file copied into memory (in-place reading needs a browser worker with the File)');
    return Object.assign(t, { close: () => h.close() });
  } catch (e) {
    h.close();
    throw e;
  }
}

export const hdf5Format: FormatProvider = {
  id: 'hdf5',
  label: 'HDF5 trajectory (H5MD or SOAPify layout)',
  extensions: ['h5md', 'h5', 'hdf5'],
  role: 'trajectory',
  sniff: (head: Uint8Array) => hasHdf5Signature(head),
  open: openHdf5,
};
