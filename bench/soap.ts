/**
 * `npm run bench -- soap [--frames N] [--workers N]`: SOAP environments per second (issue 3 "Speed").
 *
 * 1. bulk periodic fcc Cu, 2400 atoms (a = 3.615 Å, 10x6x10 cells), r_cut 6, n_max = l_max = 8, GTO:
 *    in this thread (the kernel alone, plus the neighbour search), one pool worker, all workers;
 * 2. the Cu(211) slab (data/cu211 LAMMPS data file, 2400 atoms) with its 900 top-layer atoms (largest z)
 *    as centres, same parameters.
 * Wall-clock figures depend on what else runs on the machine, so CPU-time rates (process.cpuUsage of
 * this thread) and the load average are printed too. The dscribe C++ reference: ~4,000 envs/s per core.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createSoapScratch, planSoap, soapFrame, speciesCodes, type SoapParams } from '../src/core/descriptors/soap/soap.ts';
import { buildNeighbourList, createNeighbourList } from '../src/core/geometry/neighbours.ts';
import { openTrajectory } from '../src/core/io/index.ts';
import { fileSource } from '../src/cli/node-source.ts';
import { createNodePool, nodeParallelism } from '../workers/node-pool.ts';
import { soapOnPool, type SoapFrameInput } from '../workers/soap-jobs.ts';
import { fccCrystal } from './_structures.ts';

const PARAMS: SoapParams = { rCut: 6, nMax: 8, lMax: 8, sigma: 1, rbf: 'gto', species: ['Cu'], periodic: true };
const SHARED = process.env.SOAPLENS_SHARED ?? resolve(import.meta.dirname, '../../shared');

interface System { name: string; positions: Float64Array; cell: Float64Array; pbc: [boolean, boolean, boolean]; species: string[]; centres: Int32Array | null }

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Single-thread kernel rate: neighbour list + soapFrame on all centres, best of `reps`. */
function inThread(sys: System, reps: number): void {
  const plan = planSoap(PARAMS);
  const scratch = createSoapScratch(plan);
  const nl = createNeighbourList();
  const codes = speciesCodes(plan, sys.species);
  const n = sys.species.length;
  const nC = sys.centres ? sys.centres.length : n;
  const out = new Float64Array(nC * plan.width);
  let bestWall = 0, bestCpu = 0, nlMs = Infinity, avgNb = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now(), c0 = cpuSeconds();
    buildNeighbourList(nl, sys.positions, n, sys.cell, sys.pbc, plan.neighbourRadius, sys.centres, true);
    const t1 = performance.now();
    soapFrame(plan, nl, codes, out, 0, scratch);
    const wall = (performance.now() - t0) / 1000, cpu = cpuSeconds() - c0;
    nlMs = Math.min(nlMs, t1 - t0);
    avgNb = nl.count / nC;
    bestWall = Math.max(bestWall, nC / wall);
    bestCpu = Math.max(bestCpu, nC / cpu);
  }
  console.log(`${sys.name}: this thread: ${bestWall.toFixed(0)} envs/s wall, ${bestCpu.toFixed(0)} envs per CPU-second ` +
    `(${nC} centres, ${avgNb.toFixed(0)} neighbours each incl. images, neighbour search ${nlMs.toFixed(0)} ms)`);
}

async function onPool(sys: System, workers: number, frames: number): Promise<void> {
  const pool = createNodePool(workers);
  try {
    const nC = sys.centres ? sys.centres.length : sys.species.length;
    const make = (count: number): SoapFrameInput[] => Array.from({ length: count }, () => ({ positions: sys.positions.slice(), cell: sys.cell, pbc: sys.pbc }));
    const req = { species: sys.species, centres: sys.centres, params: PARAMS };
    // Warm-up: spawn every worker and compile the kernel.
    await soapOnPool(pool, make(workers), { ...req, centres: Int32Array.of(0) }, () => undefined);
    const t0 = performance.now(), c0 = cpuSeconds();
    await soapOnPool(pool, make(frames), req, () => undefined);
    const wall = (performance.now() - t0) / 1000, cpu = cpuSeconds() - c0;
    const rate = (frames * nC) / wall;
    // process.cpuUsage counts every thread of the process: workers plus the main thread's share.
    console.log(`${sys.name}: ${workers} worker${workers > 1 ? 's' : ''}: ${rate.toFixed(0)} envs/s wall (${(rate / workers).toFixed(0)} per worker; ` +
      `${((frames * nC) / cpu).toFixed(0)} envs per CPU-second of the whole process; ${frames} frames x ${nC} centres in ${wall.toFixed(2)} s)`);
  } finally {
    await pool.dispose();
  }
}

async function cu211Slab(): Promise<System> {
  const path = resolve(SHARED, 'data/cu211/DynMetSurf_Cu211_slab_2400atoms.data');
  const src = await fileSource(path);
  try {
    const traj = await openTrajectory([src]);
    const f = await traj.readFrame(0);
    if (!f.cell) throw new Error(`${path}: no cell`);
    const n = traj.nAtoms;
    const byZ = Array.from({ length: n }, (_, i) => i).sort((a, b) => f.positions[3 * b + 2] - f.positions[3 * a + 2]);
    const centres = Int32Array.from(byZ.slice(0, 900)).sort();
    return { name: 'Cu(211) slab, 900 top atoms', positions: f.positions, cell: f.cell, pbc: traj.pbc, species: traj.species.map(() => 'Cu'), centres };
  } finally {
    await src.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const opt = (name: string, dflt: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
  const all = opt('--workers', nodeParallelism());
  const frames = opt('--frames', 2 * all);
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${nodeParallelism()} hardware threads; r_cut 6, n_max = l_max = 8, GTO, sigma 1`);
  const fcc = fccCrystal(3.615, 10, 6, 10);
  const bulk: System = { name: 'bulk fcc Cu 2400', positions: fcc.positions, cell: fcc.cell, pbc: [true, true, true], species: new Array<string>(fcc.n).fill('Cu'), centres: null };
  inThread(bulk, 2);
  await onPool(bulk, 1, 1);
  if (all > 1) await onPool(bulk, all, frames);
  const slab = await cu211Slab();
  inThread(slab, 2);
  await onPool(slab, 1, 2);
  if (all > 1) await onPool(slab, all, frames);
}
