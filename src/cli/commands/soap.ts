/**
 * `npm run cli -- soap <trajectory> [topology] --r-cut 6 --n-max 8 --l-max 8 [--sigma 1]
 *   [--rbf gto|polynomial] [--centers 0-899] [--species Cu] [--layout compact|filled]
 *   [--frames a:b:step] [--workers N] [--f32] --out spectra.npy`
 * Streams SOAP spectra (frames x centres x features) into a NumPy .npy file: the header is written
 * first, then one block per frame as the worker pool delivers frames in order, so memory stays
 * bounded by the frames in flight.
 */
import { npyHeader } from '../../core/io/npy.ts';
import { parseFrameSlice, parseIndexList, trajectoryFrameInputs } from '../args.ts';
import { open } from 'node:fs/promises';
import { computeSoap, createSoapScratch, planSoap, sortSpecies, type SoapParams } from '../../core/descriptors/soap/soap.ts';
import { createNeighbourList } from '../../core/geometry/neighbours.ts';
import { openTrajectory } from '../../core/io/index.ts';
import type { Trajectory } from '../../core/trajectory.ts';
import { nodeParallelism, createNodePool } from '../../../workers/node-pool.ts';
import { soapOnPool } from '../../../workers/soap-jobs.ts';
import { fileSource } from '../node-source.ts';

export const usage = `usage: soaplens soap <trajectory> [topology] --r-cut R --n-max N --l-max L --out spectra.npy [options]

SOAP power spectra (dscribe-compatible, soap.md) of every selected frame, written as a NumPy .npy
of shape (frames, centres, features), float64 (or float32 with --f32).

  --r-cut R            radial basis cutoff in Å (required; neighbours reach R + 3.717 sigma)
  --n-max N            radial functions (required)
  --l-max L            maximum angular degree (required)
  --sigma S            Gaussian width in Å (default 1)
  --rbf B              gto (default) or polynomial
  --species LIST       comma-separated species (default: every species in the file); atoms of
                       other species are left out of the density
  --centers LIST       centre atoms, e.g. 0-899 or 0,5,10-20 (0-based; default all)
  --layout L           compact (dscribe's vector, default) or filled (SOAPify fill + L2 normalisation)
  --crossover          only same-species blocks (dscribe compression "crossover")
  --no-periodic        ignore the cell (default: periodic when the frame has a cell)
  --frames A:B:STEP    frame selection as a Python slice (default all; e.g. 0:100:10, ::5)
  --workers N          worker threads (default ${nodeParallelism()}; 0 computes in this thread)
  --f32                write float32 (values are computed in float64)
  --out FILE           output .npy (required)`;

interface Args {
  files: string[];
  rCut?: number; nMax?: number; lMax?: number; sigma: number; rbf: 'gto' | 'polynomial';
  species?: string[]; centers?: string; layout: 'compact' | 'filled'; crossover: boolean; periodic: boolean;
  frames?: string; workers: number; f32: boolean; out?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { files: [], sigma: 1, rbf: 'gto', layout: 'compact', crossover: false, periodic: true, workers: nodeParallelism(), f32: false };
  const num = (flag: string, v: string): number => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new RangeError(`${flag} needs a number, got "${v}"`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new RangeError(`${f} needs a value`); return v; };
    switch (f) {
      case '--r-cut': a.rCut = num(f, val()); break;
      case '--n-max': a.nMax = num(f, val()); break;
      case '--l-max': a.lMax = num(f, val()); break;
      case '--sigma': a.sigma = num(f, val()); break;
      case '--rbf': {
        const v = val();
        if (v !== 'gto' && v !== 'polynomial') throw new RangeError(`--rbf must be gto or polynomial, got "${v}"`);
        a.rbf = v; break;
      }
      case '--species': a.species = val().split(',').map((s) => s.trim()).filter((s) => s.length > 0); break;
      case '--centers': case '--centres': a.centers = val(); break;
      case '--layout': {
        const v = val();
        if (v !== 'compact' && v !== 'filled') throw new RangeError(`--layout must be compact or filled, got "${v}"`);
        a.layout = v; break;
      }
      case '--crossover': a.crossover = true; break;
      case '--no-periodic': a.periodic = false; break;
      case '--frames': a.frames = val(); break;
      case '--workers': {
        const n = num(f, val());
        if (!Number.isInteger(n) || n < 0) throw new RangeError(`--workers needs a whole number >= 0, got ${n}`);
        a.workers = n; break;
      }
      case '--f32': a.f32 = true; break;
      case '--out': case '-o': a.out = val(); break;
      default:
        if (f.startsWith('-')) throw new RangeError(`unknown option ${f}`);
        a.files.push(f);
    }
  }
  return a;
}

export async function run(argv: string[]): Promise<number> {
  let a: Args;
  try { a = parseArgs(argv); } catch (e) { console.error(`soaplens soap: ${(e as Error).message}\n\n${usage}`); return 2; }
  if (a.files.length === 0 || a.files.length > 2 || !a.out || a.rCut === undefined || a.nMax === undefined || a.lMax === undefined) {
    console.error(`soaplens soap: need a trajectory (and optionally its topology), --r-cut, --n-max, --l-max and --out\n\n${usage}`);
    return 2;
  }
  const sources = await Promise.all(a.files.map((f) => fileSource(f)));
  try {
    return await runOn({ ...a, rCut: a.rCut, nMax: a.nMax, lMax: a.lMax, out: a.out }, await openTrajectory(sources));
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

async function runOn(a: Args & { rCut: number; nMax: number; lMax: number; out: string }, traj: Trajectory): Promise<number> {
  const fileSpecies = sortSpecies(traj.species.filter((s) => s !== 'virtual'));
  const species = a.species ?? fileSpecies;
  const frame0 = traj.nFrames > 0 ? await traj.readFrame(0) : null;
  const periodic = a.periodic && frame0 !== null && frame0.cell !== null && traj.pbc.some((p) => p);
  const params: SoapParams = {
    rCut: a.rCut, nMax: a.nMax, lMax: a.lMax, sigma: a.sigma, rbf: a.rbf, species, periodic,
    compression: a.crossover ? 'crossover' : 'off', layout: a.layout,
  };
  const plan = planSoap(params); // RangeError on bad parameters, before any work
  const centres = a.centers ? parseIndexList(a.centers, traj.nAtoms, '--centers') : null;
  const nCentres = centres ? centres.length : traj.nAtoms;
  const frames = a.frames ? parseFrameSlice(a.frames, traj.nFrames) : Array.from({ length: traj.nFrames }, (_, i) => i);
  const excluded = traj.species.filter((s) => !plan.species.includes(s.trim()));
  if (excluded.length > 0) console.error(`soaplens soap: ${excluded.length} atoms of species [${sortSpecies(excluded).join(', ')}] left out of the density`);
  console.error(`soaplens soap: ${frames.length} frames x ${nCentres} centres x ${plan.width} features ` +
    `(${a.layout}, species ${plan.species.join(',')}, ${periodic ? 'periodic' : 'non-periodic'}, R_nb ${plan.neighbourRadius.toFixed(4)} Å)`);

  const fh = await open(a.out, 'w');
  const t0 = performance.now();
  let last = t0;
  const onFrame = async (k: number, rows: Float64Array | Float32Array) => {
    await fh.write(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
    const now = performance.now();
    if (now - last > 2000 || k === frames.length - 1) {
      last = now;
      console.error(`soaplens soap: frame ${k + 1}/${frames.length} (${((nCentres * (k + 1)) / ((now - t0) / 1000)).toFixed(0)} environments/s)`);
    }
  };
  try {
    await fh.write(npyHeader(a.f32 ? '<f4' : '<f8', [frames.length, nCentres, plan.width]));
    const req = { species: traj.species, centres, params, ignoreUnknownSpecies: true, f32: a.f32 };
    if (a.workers === 0) {
      let k = 0;
      const reuse = { ignoreUnknownSpecies: true, neighbours: createNeighbourList(), scratch: createSoapScratch(plan) };
      for await (const f of trajectoryFrameInputs(traj, frames)) {
        const rows = computeSoap(f.positions, traj.species, f.cell, f.pbc, plan, centres, reuse);
        await onFrame(k++, a.f32 ? Float32Array.from(rows) : rows);
      }
    } else {
      const pool = createNodePool(Math.min(a.workers, Math.max(1, frames.length)));
      try {
        await soapOnPool(pool, trajectoryFrameInputs(traj, frames), req, onFrame, { total: frames.length });
      } finally {
        await pool.dispose();
      }
    }
  } finally {
    await fh.close();
  }
  console.error(`soaplens soap: wrote ${a.out}`);
  return 0;
}
