/**
 * What the binary trajectory providers (XTC, TRR, DCD, H5MD, SOAPify HDF5) share when they turn
 * an index into a `Trajectory`: species, names and ids from a paired topology (formats.md §0.3),
 * or "X" with a note, and the atom-count check between the two files.
 */
import { FormatError } from '../errors.ts';
import type { Topology } from './reader.ts';

export interface AtomLabels {
  species: string[];
  types?: string[];
  ids: Int32Array;
  notes: string[];
}

/**
 * Labels for `nAtoms` atoms of `file`: from the topology when given (its atom count must match,
 * else FormatError naming both files), else species "X" and ids 1..N with a note saying so.
 */
export function labelsFor(file: string, nAtoms: number, topology: Topology | undefined, what: string): AtomLabels {
  if (topology) {
    if (topology.nAtoms !== nAtoms) {
      throw new FormatError(`${file} + ${topology.name}`, {}, `${nAtoms} atoms in the topology, as in the ${what}`,
        `${topology.nAtoms} atoms in ${topology.name}`);
    }
    const ids = topology.ids ?? Int32Array.from({ length: nAtoms }, (_, i) => i + 1);
    return { species: topology.species.slice(), types: topology.types?.slice(), ids, notes: [] };
  }
  return {
    species: new Array<string>(nAtoms).fill('X'),
    ids: Int32Array.from({ length: nAtoms }, (_, i) => i + 1),
    notes: [`${what} has no atom names: species unknown (X); drop a topology file (GRO, PDB, PSF, LAMMPS data) with it`],
  };
}

/** Time between the first two frames, when both are known. */
export function intervalOf(times: ArrayLike<number>): number | undefined {
  return times.length >= 2 && Number.isFinite(times[0]) && Number.isFinite(times[1]) ? times[1] - times[0] : undefined;
}
