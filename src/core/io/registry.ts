/**
 * Every format the explorer reads: ONE plain list. Binary formats (XTC, TRR, DCD, H5MD...) are
 * appended here; sniffing tries providers in this order, so put providers with a reliable magic
 * number before those that only look at text or extensions. See reader.ts for the contract.
 */
import type { FormatProvider } from './reader.ts';
import { lammpsDump } from './formats/lammps-dump.ts';
import { lammpsData } from './formats/lammps-data.ts';
import { pdb } from './formats/pdb.ts';
import { gro } from './formats/gro.ts';
import { xyz } from './formats/xyz.ts';
import { xtcFormat } from './xtc.ts';
import { trrFormat } from './trr.ts';
import { dcdFormat } from './dcd.ts';
import { psfFormat } from './psf.ts';
import { hdf5Format } from './h5md.ts';

export const FORMATS: FormatProvider[] = [
  lammpsDump,
  lammpsData,
  pdb,
  gro,
  xyz,
  // binary formats and PSF (issue 7): magic-number sniffers
  xtcFormat,
  trrFormat,
  dcdFormat,
  psfFormat,
  hdf5Format,
];
