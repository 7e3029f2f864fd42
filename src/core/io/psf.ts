/**
 * Minimal CHARMM/NAMD PSF reader: the `!NATOM` section only, for the species, names and masses a
 * DCD (or any coordinates file) needs. Bonds and the rest are ignored.
 *
 * Atom lines are whitespace-separated (standard, EXT and CHEQ layouts all are):
 *   id segid resid resname name type charge mass [imove ...]
 * and files without a segment id have one field less. Species (formats.md §0.3): from the atom
 * name (water and virtual-site names, longest element prefix), checked against the mass
 * (nearest standard weight within 0.1 u: used when the name gives nothing, or an element more than
 * 3.1 u away, as for CHARMM's SOD/CLA/POT ions); a zero mass is a virtual site.
 */
import { FormatError } from '../errors.ts';
import type { RunOptions } from '../progress.ts';
import { ATOMIC_WEIGHTS, ELEMENTS, elementFromMass, elementFromName, UNKNOWN, VIRTUAL } from './elements.ts';
import type { BinarySource } from './binary-io.ts';
import type { FormatProvider, Topology } from './reader.ts';

export interface PsfAtoms extends Topology {
  names: string[];
  resNames: string[];
  masses: Float64Array;
  charges: Float64Array;
}

/**
 * A name-derived element is overruled by the mass only when they disagree by more than this (u):
 * CHARMM ion names (SOD, CLA, POT) map to the wrong element by prefix, while united-atom groups
 * (CH2 14.03, CH3 15.03) carry up to 3 H in their mass and must stay carbon.
 */
const NAME_MASS_SLACK = 3.1;

function weightOf(el: string): number {
  const z = ELEMENTS.indexOf(el);
  return z > 0 ? ATOMIC_WEIGHTS[z] : NaN;
}

/** Most atoms a PSF line budget allows: an atom line has at least ~30 characters. */
const MIN_ATOM_LINE = 16;

/** Parses the !NATOM section of a PSF text. */
export function parsePsf(text: string, file: string): PsfAtoms {
  const lines = text.split(/\r?\n/);
  if (!/^\s*PSF\b/.test(lines[0] ?? '')) {
    throw new FormatError(file, { line: 1 }, 'a PSF file starting with "PSF"', JSON.stringify((lines[0] ?? '').slice(0, 40)));
  }
  let at = lines.findIndex((l) => /!NATOM\b/.test(l));
  if (at < 0) throw new FormatError(file, { line: lines.length }, 'a "!NATOM" section', 'end of file');
  const n = Number(lines[at].trim().split(/\s+/)[0]);
  if (!Number.isInteger(n) || n < 0 || n > text.length / MIN_ATOM_LINE) {
    throw new FormatError(file, { line: at + 1 }, 'an atom count before !NATOM', lines[at].trim());
  }
  const ids = new Int32Array(n), masses = new Float64Array(n), charges = new Float64Array(n);
  const names: string[] = [], resNames: string[] = [], types: string[] = [], species: string[] = [];
  for (let i = 0; i < n; i++) {
    at++;
    const l = lines[at];
    if (l === undefined) throw new FormatError(file, { line: at + 1 }, `${n} atom lines after !NATOM`, `end of file after ${i}`);
    const f = l.trim().split(/\s+/);
    if (f.length < 7) throw new FormatError(file, { line: at + 1 }, 'an atom line "id segid resid resname name type charge mass"', JSON.stringify(l.trim()));
    // 9+ fields: id segid resid resname name type charge mass imove...; 8 fields are either that
    // without imove, or no segid with imove (then the last field is an integer, the 6th a decimal)
    const o = f.length >= 9 || (f.length === 8 && !(/^-?\d+$/.test(f[7]) && /[.eE]/.test(f[5]))) ? 0 : -1;
    const id = Number(f[0]), charge = Number(f[6 + o]), mass = Number(f[7 + o]);
    if (!Number.isInteger(id) || !Number.isFinite(charge) || !Number.isFinite(mass)) {
      throw new FormatError(file, { line: at + 1 }, 'an integer id, a numeric charge and mass', JSON.stringify(l.trim()));
    }
    ids[i] = id; charges[i] = charge; masses[i] = mass;
    const resName = f[3 + o], name = f[4 + o];
    names.push(name); resNames.push(resName); types.push(name);
    let el = elementFromName(name, resName);
    const byMass = elementFromMass(mass);
    if (mass === 0) el = VIRTUAL;
    else if (el === UNKNOWN) el = byMass ?? UNKNOWN;
    else if (byMass && byMass !== el && Math.abs(mass - weightOf(el)) > NAME_MASS_SLACK) el = byMass; // SOD, CLA, POT, CAL
    
    species.push(el);
  }
  return { name: file, format: 'psf', nAtoms: n, species, types, ids, names, resNames, masses, charges };
}

async function readPsfTopology(src: BinarySource, o?: RunOptions): Promise<Topology> {
  void o;
  const bytes = await src.read(0, src.size);
  return parsePsf(new TextDecoder().decode(bytes), src.name);
}

export const psfFormat: FormatProvider = {
  id: 'psf',
  label: 'PSF topology (CHARMM/NAMD)',
  extensions: ['psf'],
  role: 'topology',
  sniff(head: Uint8Array): boolean {
    let i = 0;
    while (i < head.length && (head[i] === 32 || head[i] === 9)) i++;
    return head[i] === 0x50 && head[i + 1] === 0x53 && head[i + 2] === 0x46; // "PSF"
  },
  readTopology: readPsfTopology,
};
