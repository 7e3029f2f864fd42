/**
 * `npm run cli -- lode <trajectory> [topology] --exponent P --smearing S --cutoff RC --max-radial N
 *   --max-angular L [--basis gto|monomial] [--k-cutoff K] [--center-atom-weight W]
 *   [--output coefficients|lambda0|power-spectrum] [--species LIST] [--centers LIST] [--frames A:B:STEP]
 *   [--f32] --out lode.npy`
 * Streams LODE(p) rows (lode.md) of every selected frame into a NumPy .npy of shape
 * (frames, centres, features): the header first, then one block per frame.
 */
import { npyHeader } from '../../core/io/npy.ts';
import { open } from 'node:fs/promises';
import { createLodeScratch, lodeFrame, planLode, speciesChannels, type LodeOutput, type LodeParams } from '../../core/descriptors/lode/lode.ts';
import { openTrajectory } from '../../core/io/index.ts';
import { atomicNumber } from '../../core/descriptors/common/elements.ts';
import { createNodePool, nodeParallelism } from '../../../workers/node-pool.ts';
import { lodeOnPool } from '../../../workers/lode-jobs.ts';
import { fileSource } from '../node-source.ts';
import { parseFrameSlice, parseIndexList, trajectoryFrameInputs } from '../args.ts';

export const usage = `usage: soaplens lode <trajectory> [topology] --out lode.npy [options]

Generalised LODE(p) long-range descriptors (lode.md): the smeared 1/r^p potential of each species
projected on R_nl Y_lm around every centre. Periodic frames (cell, pbc on all axes) use the
reciprocal-space sum; frames without a cell use real space with the multipole far field.
Output: NumPy .npy (frames, centres, features), float64 (float32 with --f32).

  --exponent P           potential exponent p, 1..6 (default 1; 6 = dispersion-like)
  --smearing S           smearing sigma in Å (default 1)
  --cutoff RC            radial basis radius r_c in Å (default 3)
  --max-radial N         number of radial functions (pyLODE's count; default 4; monomial: 1)
  --max-angular L        maximum angular degree (default 2)
  --basis B              gto (default) or monomial
  --k-cutoff K           reciprocal cutoff in 1/Å (default 1.2 pi / sigma; strict |k| < K)
  --center-atom-weight W weight of the centre's own potential (default 1; pyLODE subtract = 0)
  --output O             power-spectrum (default), lambda0 or coefficients ([species][n][lm])
  --species LIST         comma-separated element symbols for the channels (default: all in the file);
                         atoms of other species are left out of the potential
  --centers LIST         centre atoms, e.g. 0-899 or 0,5,10-20 (0-based; default all)
  --frames A:B:STEP      frame selection as a Python slice (default all)
  --workers N            worker threads, frames spread over them (default ${nodeParallelism()}; 0 = this thread)
  --f32                  write float32 (computed in float64)
  --out FILE             output .npy (required)`;

interface Args {
  files: string[]; exponent: number; smearing: number; cutoff: number; maxRadial: number; maxAngular: number;
  basis: 'gto' | 'monomial'; kCutoff?: number; w: number; output: LodeOutput; species?: string[]; centers?: string;
  frames?: string; workers: number; f32: boolean; out?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { files: [], exponent: 1, smearing: 1, cutoff: 3, maxRadial: 4, maxAngular: 2, basis: 'gto', w: 1, output: 'power-spectrum',
    workers: nodeParallelism(), f32: false };
  const num = (flag: string, v: string): number => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new RangeError(`${flag} needs a number, got "${v}"`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new RangeError(`${f} needs a value`); return v; };
    switch (f) {
      case '--exponent': case '-p': a.exponent = num(f, val()); break;
      case '--smearing': case '--sigma': a.smearing = num(f, val()); break;
      case '--cutoff': a.cutoff = num(f, val()); break;
      case '--max-radial': a.maxRadial = num(f, val()); break;
      case '--max-angular': a.maxAngular = num(f, val()); break;
      case '--basis': {
        const v = val();
        if (v !== 'gto' && v !== 'monomial') throw new RangeError(`--basis must be gto or monomial, got "${v}"`);
        a.basis = v; break;
      }
      case '--k-cutoff': a.kCutoff = num(f, val()); break;
      case '--center-atom-weight': case '--centre-atom-weight': a.w = num(f, val()); break;
      case '--output': {
        const v = val();
        if (v !== 'coefficients' && v !== 'lambda0' && v !== 'power-spectrum') throw new RangeError(`--output must be coefficients, lambda0 or power-spectrum, got "${v}"`);
        a.output = v; break;
      }
      case '--species': a.species = val().split(',').map((s) => s.trim()).filter((s) => s.length > 0); break;
      case '--centers': case '--centres': a.centers = val(); break;
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
  try { a = parseArgs(argv); } catch (e) { console.error(`soaplens lode: ${(e as Error).message}\n\n${usage}`); return 2; }
  if (a.files.length === 0 || a.files.length > 2 || !a.out) {
    console.error(`soaplens lode: need a trajectory (and optionally its topology) and --out\n\n${usage}`);
    return 2;
  }
  const out = a.out;
  const sources = await Promise.all(a.files.map((f) => fileSource(f)));
  try {
    const traj = await openTrajectory(sources);
    const z = Int32Array.from(traj.species, (s) => atomicNumber(s) || -1);
    const chosen = a.species ? a.species.map((s) => {
      const zz = atomicNumber(s) || -1;
      if (zz < 0) throw new RangeError(`--species: "${s}" is not an element symbol`);
      return zz;
    }) : [...new Set(Array.from(z).filter((v) => v > 0))];
    const species = [...new Set(chosen)].sort((p, q) => p - q);
    const params: LodeParams = {
      exponent: a.exponent, smearing: a.smearing, cutoff: a.cutoff, maxRadial: a.maxRadial, maxAngular: a.maxAngular,
      radialBasis: a.basis, kCutoff: a.kCutoff, centerAtomWeight: a.w, output: a.output, species,
    };
    const plan = planLode(params); // RangeError on bad parameters, before any work
    const speciesIndex = speciesChannels(plan, z, true);
    let left = 0;
    for (let i = 0; i < speciesIndex.length; i++) if (speciesIndex[i] < 0) left++;
    if (left > 0) console.error(`soaplens lode: ${left} atoms of other species left out of the potential`);
    const centres = a.centers ? parseIndexList(a.centers, traj.nAtoms, '--centers') : Int32Array.from({ length: traj.nAtoms }, (_, i) => i);
    const frames = a.frames ? parseFrameSlice(a.frames, traj.nFrames) : Array.from({ length: traj.nFrames }, (_, i) => i);
    console.error(`soaplens lode: ${frames.length} frames x ${centres.length} centres x ${plan.width} features ` +
      `(p ${plan.params.exponent}, sigma ${plan.params.smearing} Å, ${plan.params.radialBasis} N ${plan.nRadial} L ${plan.basis.lMax}, ` +
      `species Z ${species.join(',')}, ${a.output})`);
    if (traj.pbc.some((p) => p) && plan.params.exponent <= 3) {
      console.error('soaplens lode: note: for p <= 3 the periodic l = 0 features include a cell-volume-dependent constant (lode.md §2.1)');
    }
    const fh = await open(out, 'w');
    const t0 = performance.now();
    const onFrame = async (k: number, rows: Float64Array | Float32Array) => {
      const block = a.f32 && rows instanceof Float64Array ? Float32Array.from(rows) : rows;
      await fh.write(new Uint8Array(block.buffer, block.byteOffset, block.byteLength));
      if (k === frames.length - 1 || k % 10 === 9) {
        const s = (performance.now() - t0) / 1000;
        console.error(`soaplens lode: frame ${k + 1}/${frames.length} (${((centres.length * (k + 1)) / s).toFixed(0)} environments/s)`);
      }
    };
    try {
      await fh.write(npyHeader(a.f32 ? '<f4' : '<f8', [frames.length, centres.length, plan.width]));
      if (a.workers === 0) {
        const scratch = createLodeScratch(plan);
        const rows = new Float64Array(centres.length * plan.width);
        let k = 0;
        for await (const f of trajectoryFrameInputs(traj, frames)) {
          lodeFrame(plan, { ...f, speciesIndex }, centres, rows, 0, scratch);
          await onFrame(k++, rows);
        }
      } else {
        const pool = createNodePool(Math.min(a.workers, Math.max(1, frames.length)));
        try {
          await lodeOnPool(pool, trajectoryFrameInputs(traj, frames), { atomicNumbers: z, centres, params, ignoreUnknownSpecies: true, f32: a.f32 },
            onFrame, { total: frames.length });
        } finally {
          await pool.dispose();
        }
      }
    } finally {
      await fh.close();
    }
    console.error(`soaplens lode: wrote ${out}`);
    return 0;
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}
