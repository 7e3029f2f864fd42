/**
 * `npm run bench -- soap-wasm [--reps N] [--workers N] [--frames N]`: the WebAssembly SIMD SOAP kernel
 * (src/core/descriptors/soap/wasm) against the TypeScript reference path, same process, same input,
 * alternating TS / wasm runs, timed in CPU seconds (process.cpuUsage) because the machine is shared.
 * Cases as bench/soap.ts: bulk fcc Cu 2400 atoms and the Cu(211) slab with its 900 top atoms as
 * centres; r_cut 6, n_max = l_max = 8, sigma 1, GTO. Then both kernels in the worker pool.
 * The neighbour search is done once per case and is not in the kernel figures.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createSoapScratch, planSoap, soapFrame, speciesCodes, type SoapKernel, type SoapParams } from '../src/core/descriptors/soap/soap.ts';
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

function inThread(sys: System, reps: number): void {
  const plan = planSoap(PARAMS);
  const nl = createNeighbourList();
  const n = sys.species.length;
  buildNeighbourList(nl, sys.positions, n, sys.cell, sys.pbc, plan.neighbourRadius, sys.centres, true);
  const codes = speciesCodes(plan, sys.species);
  const nC = nl.n;
  const kernels: SoapKernel[] = ['ts', 'wasm'];
  const scratch = Object.fromEntries(kernels.map((k) => [k, createSoapScratch(plan, { kernel: k })]));
  const out = Object.fromEntries(kernels.map((k) => [k, new Float64Array(nC * plan.width)]));
  const best: Record<string, number> = { ts: 0, wasm: 0 };
  const all: Record<string, number[]> = { ts: [], wasm: [] };
  for (let r = 0; r < reps; r++) {
    for (const k of r % 2 === 0 ? kernels : [...kernels].reverse()) {
      const c0 = cpuSeconds();
      soapFrame(plan, nl, codes, out[k], 0, scratch[k]);
      const rate = nC / (cpuSeconds() - c0);
      all[k].push(rate);
      best[k] = Math.max(best[k], rate);
    }
  }
  let worst = 0;
  for (let c = 0; c < nC; c++) {
    let d = 0, m = 0;
    for (let j = c * plan.width; j < (c + 1) * plan.width; j++) { d = Math.max(d, Math.abs(out.wasm[j] - out.ts[j])); m = Math.max(m, Math.abs(out.ts[j])); }
    worst = Math.max(worst, m > 0 ? d / m : d);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(`${sys.name}: this thread, ${nC} centres, ${(nl.count / nC).toFixed(0)} neighbours each: ` +
    `TS ${best.ts.toFixed(0)} (median ${med(all.ts).toFixed(0)}), wasm ${best.wasm.toFixed(0)} (median ${med(all.wasm).toFixed(0)}) envs per CPU-second; ` +
    `speed-up ${(best.wasm / best.ts).toFixed(2)}x; max row-relative |wasm - TS| ${worst.toExponential(2)}`);
}

async function onPool(sys: System, workers: number, frames: number): Promise<void> {
  const pool = createNodePool(workers);
  try {
    const nC = sys.centres ? sys.centres.length : sys.species.length;
    const make = (count: number): SoapFrameInput[] => Array.from({ length: count }, () => ({ positions: sys.positions.slice(), cell: sys.cell, pbc: sys.pbc }));
    const parts: string[] = [];
    for (const kernel of ['ts', 'wasm'] as SoapKernel[]) {
      const req = { species: sys.species, centres: sys.centres, params: { ...PARAMS, kernel } };
      await soapOnPool(pool, make(workers), { ...req, centres: Int32Array.of(0) }, () => undefined);
      const t0 = performance.now(), c0 = cpuSeconds();
      await soapOnPool(pool, make(frames), req, () => undefined);
      const wall = (performance.now() - t0) / 1000, cpu = cpuSeconds() - c0;
      parts.push(`${kernel} ${((frames * nC) / wall / workers).toFixed(0)} envs/s wall per worker, ${((frames * nC) / cpu).toFixed(0)} per CPU-second`);
    }
    console.log(`${sys.name}: pool of ${workers} (${frames} frames, neighbour search included): ${parts.join('; ')}`);
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
  const reps = opt('--reps', 4);
  const workers = opt('--workers', nodeParallelism());
  const frames = opt('--frames', 2 * workers);
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${nodeParallelism()} hardware threads; r_cut 6, n_max = l_max = 8, GTO, sigma 1`);
  const fcc = fccCrystal(3.615, 10, 6, 10);
  const bulk: System = { name: 'bulk fcc Cu 2400', positions: fcc.positions, cell: fcc.cell, pbc: [true, true, true], species: new Array<string>(fcc.n).fill('Cu'), centres: null };
  const slab = await cu211Slab();
  inThread(bulk, reps);
  inThread(slab, reps);
  if (workers > 0) { await onPool(bulk, workers, frames); await onPool(slab, workers, frames); }
}
