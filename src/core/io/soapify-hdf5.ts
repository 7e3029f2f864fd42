/**
 * SOAPify / dynsight HDF5 layout (formats.md §12): trajectories under `Trajectories/<name>/`
 * ({Types (N,), Trajectory (F, N, 3) Å, Box (F, 6) a b c alpha beta gamma}) and precomputed SOAP
 * spectra under `SOAP/<name>` (F, N_centres, F_soap) in dscribe's compact layout, with the
 * attributes that say how they were computed. Frames and spectra are read one frame at a time.
 *
 * Filling and normalising imported spectra (soap.md §8) belongs to the SOAP engine; this module
 * hands over the compact rows and their metadata unchanged.
 */
import { FormatError } from '../errors.ts';
import { cellFromParameters } from '../geometry/cell.ts';
import type { FrameData, Trajectory } from '../trajectory.ts';
import type { Dataset, Group } from 'h5wasm';
import { attr, child, h5Try, isDataset, isGroup, toFloat64, toStrings } from './binary-hdf5.ts';
import { canonicalElement, elementFromName } from './elements.ts';
import { checkFrame } from './formats/common.ts';

/** Names of trajectory groups (those holding Types, Trajectory and Box). */
export function soapifyTrajectoryNames(f: Group): string[] {
  const t = child(f, 'Trajectories');
  if (!isGroup(t)) return [];
  return t.keys().filter((k) => {
    const g = child(t, k);
    return isGroup(g) && isDataset(child(g, 'Trajectory')) && isDataset(child(g, 'Types'));
  });
}

export function isSoapifyFile(f: Group): boolean {
  return isGroup(child(f, 'Trajectories')) || isGroup(child(f, 'SOAP'));
}

/**
 * Reads `Trajectories/<name>` (default: the first) into a Trajectory. A file with SOAP spectra
 * but no trajectory is a FormatError that says so (open its spectra with readSoapifySoap).
 */
export function readSoapifyFile(f: Group, file: string, opts: { trajectory?: string } = {}): Trajectory {
  const names = soapifyTrajectoryNames(f);
  if (names.length === 0) {
    const soap = listSoapifySoap(f);
    throw new FormatError(file, {}, 'a trajectory group Trajectories/<name>/{Types, Trajectory, Box}',
      soap.length ? `no trajectory, only SOAP spectra ${JSON.stringify(soap)} (import them with a trajectory file)`
        : `no trajectory (top-level entries ${JSON.stringify(f.keys())})`);
  }
  const name = opts.trajectory ?? names[0];
  if (!names.includes(name)) throw new FormatError(file, {}, `a trajectory "${name}"`, `trajectories ${JSON.stringify(names)}`);
  const g = child(f, `Trajectories/${name}`) as Group;
  const traj = child(g, 'Trajectory') as Dataset;
  const shape = traj.shape ?? [];
  if (shape.length !== 3 || shape[2] !== 3) throw new FormatError(file, {}, 'Trajectory of shape (F, N, 3)', `shape ${JSON.stringify(shape)}`);
  const [nFrames, nAtoms] = shape;
  const typesDs = child(g, 'Types') as Dataset;
  const types = toStrings(h5Try(file, 'Types', () => typesDs.value));
  if (types.length !== nAtoms) throw new FormatError(file, {}, `${nAtoms} Types`, `${types.length}`);
  const species = types.map((t) => canonicalElement(t) ?? elementFromName(t));
  const boxDs = child(g, 'Box');
  const box = isDataset(boxDs) ? boxDs : null;
  if (box && ((box.shape ?? [])[0] !== nFrames || (box.shape ?? [])[1] !== 6)) {
    throw new FormatError(file, {}, `Box of shape (${nFrames}, 6)`, `shape ${JSON.stringify(box.shape)}`);
  }
  const notes: string[] = [];
  if (names.length > 1) notes.push(`trajectories ${names.join(', ')}: reading "${name}"`);
  const soap = listSoapifySoap(f);
  if (soap.length) notes.push(`precomputed SOAP spectra: ${soap.join(', ')}`);
  const groupAttrs = (g as unknown as { attrs: Record<string, unknown> }).attrs;
  for (const k of Object.keys(groupAttrs ?? {})) notes.push(`${k} = ${toStrings(attr(g, k)).join(' ')}`);
  if (!box) notes.push('no Box: no cell');

  const readFrame = async (i: number): Promise<FrameData> => {
    checkFrame(i, nFrames);
    const v = toFloat64(h5Try(file, `Trajectory frame ${i}`, () => traj.slice([[i, i + 1]])));
    if (v.length !== 3 * nAtoms) throw new FormatError(file, { frame: i }, `${3 * nAtoms} coordinates`, `${v.length}`);
    const positions = Float64Array.from(v);
    let cell: Float64Array | null = null;
    if (box) {
      const p = toFloat64(h5Try(file, `Box frame ${i}`, () => box.slice([[i, i + 1]])));
      if (p[0] > 0 && p[1] > 0 && p[2] > 0) cell = cellFromParameters(p[0], p[1], p[2], p[3], p[4], p[5]);
    }
    return { positions, cell };
  };
  return {
    name: file, format: 'soapify-hdf5', nAtoms, nFrames, species, types,
    ids: Int32Array.from({ length: nAtoms }, (_, i) => i + 1),
    pbc: box ? [true, true, true] : [false, false, false],
    propertyNames: [], notes, readFrame,
  };
}

/** Names of the SOAP datasets under `SOAP/`. */
export function listSoapifySoap(f: Group): string[] {
  const s = child(f, 'SOAP');
  if (!isGroup(s)) return [];
  return s.keys().filter((k) => isDataset(child(s, k)));
}

/** Metadata of a SOAPify SOAP dataset (formats.md §12). */
export interface SoapifySoapInfo {
  name: string;
  nFrames: number;
  nCentres: number;
  /** Features per centre (compact dscribe layout). */
  width: number;
  dtype: 'float32' | 'float64';
  engine?: string;
  lMax?: number;
  nMax?: number;
  rCut?: number;
  /** Species symbols ordered by Z. */
  species: string[];
  /** "A-B" -> [start, stop) column range of that species pair. */
  speciesLocation: Record<string, [number, number]>;
  /** Centre atom indices when the spectra cover a subset. */
  centersIndexes?: Int32Array;
  /** sigma is not stored by SOAPify: 1.0 unless the user says otherwise (formats.md §12). */
  sigmaAssumed: number;
}

/** A SOAPify SOAP dataset: metadata plus per-frame reading of (nCentres x width) rows. */
export interface SoapifySoap {
  info: SoapifySoapInfo;
  /** Frame i's spectra, row-major (centre, feature), as float64. */
  readFrame(i: number): Float64Array;
}

export function readSoapifySoap(f: Group, file: string, name: string): SoapifySoap {
  const d = child(f, `SOAP/${name}`);
  if (!isDataset(d)) throw new FormatError(file, {}, `a SOAP dataset SOAP/${name}`, `SOAP entries ${JSON.stringify(listSoapifySoap(f))}`);
  const shape = d.shape ?? [];
  if (shape.length !== 3) throw new FormatError(file, {}, `SOAP/${name} of shape (F, N_centres, F_soap)`, `shape ${JSON.stringify(shape)}`);
  const [nFrames, nCentres, width] = shape;
  const num = (k: string) => { const v = toFloat64(attr(d, k)); return v.length ? v[0] : undefined; };
  const speciesLocation: Record<string, [number, number]> = {};
  const attrs = (d as unknown as { attrs: Record<string, unknown> }).attrs ?? {};
  for (const k of Object.keys(attrs)) {
    const m = /^species_location_(.+)$/.exec(k);
    if (m) { const v = toFloat64(attr(d, k)); if (v.length === 2) speciesLocation[m[1]] = [v[0], v[1]]; }
  }
  const centres = attr(d, 'centersIndexes');
  const meta = (d as unknown as { metadata: { size: number; type: number } }).metadata;
  const info: SoapifySoapInfo = {
    name, nFrames, nCentres, width,
    dtype: meta?.size === 4 ? 'float32' : 'float64',
    engine: toStrings(attr(d, 'SOAPengine'))[0],
    lMax: num('l_max'), nMax: num('n_max'), rCut: num('r_cut'),
    species: toStrings(attr(d, 'species')),
    speciesLocation,
    centersIndexes: centres === undefined ? undefined : Int32Array.from(toFloat64(centres)),
    sigmaAssumed: 1,
  };
  return {
    info,
    readFrame(i: number): Float64Array {
      checkFrame(i, nFrames);
      const v = toFloat64(h5Try(file, `SOAP/${name} frame ${i}`, () => d.slice([[i, i + 1]])));
      if (v.length !== nCentres * width) throw new FormatError(file, { frame: i }, `${nCentres * width} SOAP values`, `${v.length}`);
      return Float64Array.from(v);
    },
  };
}
