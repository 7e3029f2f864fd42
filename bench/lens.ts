/**
 * `npm run bench -- lens [--frames N]`: LENS atom-frames per second on the 2400-atom Cu(211)
 * trajectory (data/generated/cu211_600K_eam.lammpstrj.gz), cutoff 6 Å, SOAPify convention.
 * File parsing is timed separately and excluded from the LENS figures. Wall time and this
 * thread's CPU time are both printed: on a shared machine the CPU figure is the per-core speed.
 * Issue 4 goal: >= 20x SOAP's per-atom-frame speed (SOAP: ~4,000 environments/s/core).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildNeighbourSets, createLensFrameOut, createLensScratch, createLensState, createNeighbourSets, lensCompare, lensFrame, planLens,
} from '../src/core/descriptors/lens/lens.ts';
import { createSoapScratch, planSoap, soapFrame, speciesCodes } from '../src/core/descriptors/soap/soap.ts';
import { universeMask } from '../src/core/descriptors/lens/compute-lens.ts';
import { buildNeighbourList, createNeighbourList } from '../src/core/geometry/neighbours.ts';
import { bytesSource, openTrajectory } from '../src/core/io/index.ts';
import type { FrameData } from '../src/core/trajectory.ts';

const SOAP_ENVS_PER_S_PER_CORE = 4000; // issue 3: the reference C++ SOAP speed per core
const GOAL_FACTOR = 20; // issue 4: LENS >= 20x SOAP per atom-frame

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Run { wallMs: number; cpuMs: number; nlMs: number; atomFrames: number }

function runLens(frames: FrameData[], nAtoms: number, pbc: readonly boolean[], centres: Int32Array | null,
  universe: Uint8Array | null): Run {
  const plan = planLens({ cutoff: 6 });
  const nC = centres ? centres.length : nAtoms;
  const state = createLensState(plan, nAtoms);
  const nl = createNeighbourList(nC * 128);
  const out = createLensFrameOut(nC);
  let nlMs = 0, sink = 0;
  const w0 = performance.now(), c0 = cpuMs();
  for (const f of frames) {
    const a = performance.now();
    buildNeighbourList(nl, f.positions, nAtoms, f.cell, pbc, plan.cutoff, centres, false);
    nlMs += performance.now() - a;
    lensFrame(state, nl, centres, out, universe);
    sink += out.lens[0];
  }
  const wallMs = performance.now() - w0, cpu = cpuMs() - c0;
  if (Number.isNaN(sink)) console.log('(unreachable)');
  return { wallMs, cpuMs: cpu, nlMs, atomFrames: nC * frames.length };
}

function report(label: string, r: Run): void {
  const perWall = r.atomFrames / (r.wallMs / 1000), perCpu = r.atomFrames / (r.cpuMs / 1000);
  console.log(`${label}: ${r.atomFrames} atom-frames in ${r.wallMs.toFixed(0)} ms wall / ${r.cpuMs.toFixed(0)} ms CPU ` +
    `(neighbour search ${(100 * r.nlMs / r.wallMs).toFixed(0)} % of wall)`);
  console.log(`  ${Math.round(perWall).toLocaleString('en-US')} atom-frames/s wall, ${Math.round(perCpu).toLocaleString('en-US')} atom-frames/s per CPU-second ` +
    `= ${(perCpu / SOAP_ENVS_PER_S_PER_CORE).toFixed(0)}x SOAP's ${SOAP_ENVS_PER_S_PER_CORE} envs/s/core (goal >= ${GOAL_FACTOR}x)`);
  // In the joint SOAP+LENS pass the neighbour list is SOAP's, so LENS only adds sets + comparison.
  const setsMs = r.wallMs - r.nlMs;
  console.log(`  sets + comparison alone (the marginal cost when sharing SOAP's neighbour list): ` +
    `${Math.round(r.atomFrames / (setsMs / 1000)).toLocaleString('en-US')} atom-frames/s wall`);
}

export async function main(args: string[]): Promise<void> {
  const fi = args.indexOf('--frames');
  const nFrames = fi >= 0 ? Number(args[fi + 1]) : 100;
  const shared = process.env.SOAPLENS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
  const file = resolve(shared, 'data/generated/cu211_600K_eam.lammpstrj.gz');
  const p0 = performance.now();
  const traj = await openTrajectory([bytesSource('cu211_600K_eam.lammpstrj.gz', new Uint8Array(readFileSync(file)))]);
  const frames: FrameData[] = [];
  for (let t = 0; t < Math.min(nFrames, traj.nFrames); t++) {
    const f = await traj.readFrame(t);
    frames.push({ positions: f.positions.slice(), cell: f.cell ? f.cell.slice() : null });
  }
  console.log(`parsing (excluded below): opened + decoded ${frames.length} frames of ${traj.nAtoms} atoms in ${(performance.now() - p0).toFixed(0)} ms`);

  runLens(frames.slice(0, 5), traj.nAtoms, traj.pbc, null, null); // JIT warm-up
  report(`LENS all ${traj.nAtoms} atoms, cutoff 6, ${frames.length} frames`, runLens(frames, traj.nAtoms, traj.pbc, null, null));

  // The paper's parity mode: the 900 top atoms (learn fixture: z > 2.28 Å in frame 0) as centres and universe.
  const top: number[] = [];
  const p = frames[0].positions;
  for (let i = 0; i < traj.nAtoms; i++) if (p[3 * i + 2] > 2.28) top.push(i);
  const centres = Int32Array.from(top);
  report(`LENS ${centres.length} top atoms (universe = the same atoms)`,
    runLens(frames, traj.nAtoms, traj.pbc, centres, universeMask(centres, traj.nAtoms)));

  // Joint pass: SOAP's neighbour list (R_nb, centre included) also feeds the LENS sets.
  const jf = frames.slice(0, 4);
  const sp = planSoap({ rCut: 6, nMax: 8, lMax: 8, sigma: 1, species: ['Cu'], periodic: true, layout: 'filled' });
  const ss = createSoapScratch(sp);
  const codes = speciesCodes(sp, new Array<string>(traj.nAtoms).fill('Cu'));
  const lp = planLens({ cutoff: 6 });
  const ls = createLensScratch(traj.nAtoms);
  const sets = [createNeighbourSets(), createNeighbourSets()];
  const rows = new Float64Array(centres.length * sp.width);
  const lens = new Float64Array(centres.length);
  const nl = createNeighbourList(centres.length * 256);
  let soapMs = 0, nlMs = 0, lensMs = 0; // CPU time of this process (one thread here)
  for (let t = 0; t < jf.length; t++) {
    const a = cpuMs();
    buildNeighbourList(nl, jf[t].positions, traj.nAtoms, jf[t].cell, traj.pbc, sp.neighbourRadius, centres, true);
    const b = cpuMs();
    soapFrame(sp, nl, codes, rows, 0, ss);
    const c = cpuMs();
    buildNeighbourSets(lp, nl, centres, traj.nAtoms, sets[t % 2], ls, null);
    if (t > 0) lensCompare(sets[(t - 1) % 2], sets[t % 2], ls, lens, null, null);
    const d = cpuMs();
    if (t > 0) { nlMs += b - a; soapMs += c - b; lensMs += d - c; } // frame 0 warms up
  }
  const af = centres.length * (jf.length - 1);
  console.log(`joint SOAP+LENS pass, ${centres.length} centres x ${jf.length - 1} frames (one neighbour search, R_nb ${sp.neighbourRadius.toFixed(2)} Å), CPU time: ` +
    `search ${nlMs.toFixed(0)} ms, SOAP ${soapMs.toFixed(0)} ms (${Math.round(af / (soapMs / 1000))} envs/s per CPU-second), ` +
    `LENS sets + comparison ${lensMs.toFixed(1)} ms = ${(100 * lensMs / (nlMs + soapMs + lensMs)).toFixed(2)} % of the pass`);
}
