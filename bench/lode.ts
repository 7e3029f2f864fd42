/**
 * `npm run bench -- lode`: environments per second of LODE(p) (lode.md §5) for
 *  - a periodic box of 512 rigid waters (1536 atoms, 24.8 Å cube, ~1 g/cm³): sigma 1.5, GTO N 4,
 *    r_c 3, L 3, k_c = 1.2 pi/sigma, p = 1 and 6 (the spec's worked example);
 *  - an open 1000-atom cluster (10 x 10 x 10 jittered lattice, 2.6 Å spacing, two species):
 *    sigma 1, GTO N 4, r_c 3, L 3, p = 1 and 6.
 * One thread. The first frame pays the per-cell k-space (periodic) or the pair-integral table
 * (open boundaries); "steady" frames reuse them (same cell, moved atoms), as in a trajectory.
 * Options: --frames N (steady frames per case, default 2). Prints wall-clock and CPU-time rates.
 */
import { createLodeScratch, lodeFrame, planLode, type LodeParams } from '../src/core/descriptors/lode/lode.ts';

/** Small deterministic generator (no Math.random in measured inputs). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function waterBox(): { positions: Float64Array; species: Int32Array; cell: Float64Array } {
  const n = 8, a = 3.1; // 512 molecules, 29.79 Å³ each
  const rnd = lcg(7);
  const pos: number[] = [], sp: number[] = [];
  const oh = 0.9572, half = (104.52 / 2) * (Math.PI / 180);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
    const ox = (i + 0.5) * a, oy = (j + 0.5) * a, oz = (k + 0.5) * a;
    // a random orientation: two orthonormal vectors u, v
    const t = 2 * Math.PI * rnd(), c = 2 * rnd() - 1, s = Math.sqrt(1 - c * c);
    const u = [s * Math.cos(t), s * Math.sin(t), c];
    const w0 = Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    const d = w0[0] * u[0] + w0[1] * u[1] + w0[2] * u[2];
    let v = [w0[0] - d * u[0], w0[1] - d * u[1], w0[2] - d * u[2]];
    const vn = Math.hypot(v[0], v[1], v[2]);
    v = v.map((x) => x / vn);
    pos.push(ox, oy, oz);
    sp.push(8);
    for (const sg of [1, -1]) {
      pos.push(ox + oh * (Math.cos(half) * u[0] + sg * Math.sin(half) * v[0]),
        oy + oh * (Math.cos(half) * u[1] + sg * Math.sin(half) * v[1]),
        oz + oh * (Math.cos(half) * u[2] + sg * Math.sin(half) * v[2]));
      sp.push(1);
    }
  }
  const L = n * a;
  return { positions: Float64Array.from(pos), species: Int32Array.from(sp), cell: Float64Array.from([L, 0, 0, 0, L, 0, 0, 0, L]) };
}

function cluster(): { positions: Float64Array; species: Int32Array } {
  const rnd = lcg(11), pos: number[] = [], sp: number[] = [];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) for (let k = 0; k < 10; k++) {
    pos.push(2.6 * i + 0.3 * (rnd() - 0.5), 2.6 * j + 0.3 * (rnd() - 0.5), 2.6 * k + 0.3 * (rnd() - 0.5));
    sp.push((i + j + k) % 5 === 0 ? 79 : 29);
  }
  return { positions: Float64Array.from(pos), species: Int32Array.from(sp) };
}

function jiggle(pos: Float64Array, seed: number): Float64Array {
  const rnd = lcg(seed);
  return pos.map((x) => x + 0.05 * (rnd() - 0.5));
}

function runCase(label: string, params: LodeParams, positions: Float64Array, species: Int32Array, cell: Float64Array | null, steady: number): void {
  const t0 = performance.now();
  const plan = planLode(params);
  const scratch = createLodeScratch(plan);
  const t1 = performance.now();
  const n = species.length;
  const speciesIndex = Int32Array.from(species, (z) => params.species.indexOf(z));
  const centres = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Float64Array(n * plan.width);
  const pbc: [boolean, boolean, boolean] = cell ? [true, true, true] : [false, false, false];
  lodeFrame(plan, { positions, cell, pbc, speciesIndex }, centres, out, 0, scratch);
  const t2 = performance.now();
  let tSteady = 0, cpuSteady = 0;
  for (let f = 0; f < steady; f++) {
    const moved = jiggle(positions, 100 + f);
    const a = performance.now(), c = process.cpuUsage();
    lodeFrame(plan, { positions: moved, cell, pbc, speciesIndex }, centres, out, 0, scratch);
    tSteady += performance.now() - a;
    const d = process.cpuUsage(c);
    cpuSteady += (d.user + d.system) / 1000;
  }
  const extra = cell ? `${scratch.kspace!.nk} k-vectors` : `pair table ${plan.pairTable ? plan.pairTable.count : 0} points`;
  console.log(`${label}: ${n} atoms, width ${plan.width}, ${extra}; plan ${(t1 - t0).toFixed(0)} ms, first frame ` +
    `${(t2 - t1).toFixed(0)} ms (${(n / ((t2 - t1) / 1000)).toFixed(0)} env/s), steady ${(tSteady / steady).toFixed(0)} ms/frame = ` +
    `${((n * steady) / (tSteady / 1000)).toFixed(0)} environments/s wall, ${((n * steady) / (cpuSteady / 1000)).toFixed(0)} per CPU-second ` +
    `(the machine is shared: CPU time is the closer figure for an idle core)`);
}

export async function main(args: string[]): Promise<void> {
  const i = args.indexOf('--frames');
  const steady = i >= 0 ? Math.max(1, Number(args[i + 1]) || 2) : 2;
  const water = waterBox();
  for (const p of [1, 6]) {
    runCase(`water box periodic p=${p} (sigma 1.5, GTO N 4, rc 3, L 3)`,
      { exponent: p, smearing: 1.5, cutoff: 3, maxRadial: 4, maxAngular: 3, species: [1, 8], output: 'power-spectrum' },
      water.positions, water.species, water.cell, steady);
  }
  const cl = cluster();
  for (const p of [1, 6]) {
    runCase(`1000-atom open cluster p=${p} (sigma 1, GTO N 4, rc 3, L 3)`,
      { exponent: p, smearing: 1, cutoff: 3, maxRadial: 4, maxAngular: 3, species: [29, 79], output: 'power-spectrum' },
      cl.positions, cl.species, null, steady);
  }
}
