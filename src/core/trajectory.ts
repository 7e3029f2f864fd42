/**
 * The one trajectory model every reader produces (formats.md §0.1).
 *
 * Conventions (specs/README.md): lengths in Å, angles in degrees, 0-based indices, atoms in the
 * order of their stable ids (readers sort frames by id), time in ps.
 * A cell is 9 numbers, row-major, rows = lattice vectors a, b, c (Å): cell[3*i + k] is component k
 * of vector i. `null` means no cell.
 */
export type FormatId = string;

export interface FrameData {
  /** 3N positions, xyz interleaved, Å, atom order of the trajectory (sorted by id). */
  positions: Float64Array;
  /** 9 numbers, rows a, b, c in Å; null when the frame has no cell. */
  cell: Float64Array | null;
  /** Optional cell origin (Å), e.g. LAMMPS xlo/ylo/zlo. */
  origin?: Float64Array | null;
  /** Time in ps when known. */
  time?: number;
  /** MD step when the file gives it. */
  step?: number;
  /** Extra per-atom numeric columns of this frame (name -> N values). */
  properties?: Record<string, Float64Array>;
  /** Per-frame scalars the file gives (extended XYZ `energy=...`, GRO title...). */
  info?: Record<string, number | string | boolean>;
}

export interface TrajectoryHeader {
  /** File name(s) it was read from, for messages. */
  name: string;
  format: FormatId;
  nAtoms: number;
  nFrames: number;
  /** Per-atom element symbol ("X" when unknown, "virtual" for massless sites). */
  species: string[];
  /** Per-atom type or atom name as written in the file, when it has one. */
  types?: string[];
  /** Stable atom ids as in the file (sorted ascending when the file has ids). */
  ids: Int32Array;
  /** Periodicity along a, b, c. */
  pbc: [boolean, boolean, boolean];
  /** Names of per-atom properties available per frame. */
  propertyNames: string[];
  /** Time between frames in ps when known. */
  timestep?: number;
  /** MD steps between the first two frames when the file gives steps (LAMMPS TIMESTEP, GRO step=). */
  stepInterval?: number;
  /** Compression the file was read through ('gzip' | 'bzip2'), when any. */
  compression?: string;
  /** Free-form remarks a reader wants to show (units assumed, columns ignored...). */
  notes?: string[];
}

/** A trajectory whose frames are decoded on demand. */
export interface Trajectory extends TrajectoryHeader {
  readFrame(i: number): Promise<FrameData>;
}
