import { describe, expect, it } from 'vitest';
import { computeLode, createLodeScratch, lambda0Row, lodeFrame, planLode, powerSpectrumRow, speciesChannels, type LodeParams,
  type LodePlan } from '../../../../src/core/descriptors/lode/lode.ts';
import { cellOf, flat, loadLode, maxAbs, paramsOf, type LodeFixture } from './fixture.ts';

// lode.md §6: rotation invariance (invariants, lambda = 0, l = 1 as a (y, z, x) vector): 1e-12 relative;
// translation / wrapping one atom across the cell: 1e-12; 2x2x2 supercell = primitive per atom: 1e-10;
// p = 6: 5-atom cluster in a 40 Å box, k_c = 2 pi/sigma, vs open boundaries: 1e-7 absolute.
const TOL_ROTATION_REL = 1e-12;
const TOL_TRANSLATION_REL = 1e-12;
const TOL_SUPERCELL_REL = 1e-10;
const TOL_BOX_ABS = 1e-7;

const PBC: [boolean, boolean, boolean] = [true, true, true];
const OPEN: [boolean, boolean, boolean] = [false, false, false];

/** Coefficients, lambda0 and power spectrum of every atom with one plan (the open-boundary table is built once). */
function all(plan: LodePlan, pos: Float64Array, z: number[], cell: Float64Array | null, pbc: [boolean, boolean, boolean]) {
  const n = z.length, K = plan.nSpecies * plan.nRadial, psW = ((K * (K + 1)) / 2) * (plan.basis.lMax + 1);
  const c = new Float64Array(n * plan.width), ps = new Float64Array(n * psW), l0 = new Float64Array(n * K);
  lodeFrame(plan, { positions: pos, cell, pbc, speciesIndex: speciesChannels(plan, z) }, Int32Array.from(z, (_, i) => i), c, 0, createLodeScratch(plan));
  for (let i = 0; i < n; i++) {
    const row = c.subarray(i * plan.width, (i + 1) * plan.width);
    powerSpectrumRow(plan, row, row, ps, i * psW);
    lambda0Row(plan, row, l0, i * K);
  }
  return { c, ps, l0 };
}

/** A fixed proper rotation (axis (1, 2, 3)/|.|, angle 0.7 rad), row-major. */
function rotation(): Float64Array {
  const n = Math.hypot(1, 2, 3), ux = 1 / n, uy = 2 / n, uz = 3 / n, t = 0.7, c = Math.cos(t), s = Math.sin(t), C = 1 - c;
  return Float64Array.from([
    c + ux * ux * C, ux * uy * C - uz * s, ux * uz * C + uy * s,
    uy * ux * C + uz * s, c + uy * uy * C, uy * uz * C - ux * s,
    uz * ux * C - uy * s, uz * uy * C + ux * s, c + uz * uz * C,
  ]);
}

function rotateRows(v: Float64Array, r: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i += 3) {
    for (let k = 0; k < 3; k++) out[i + k] = r[3 * k] * v[i] + r[3 * k + 1] * v[i + 1] + r[3 * k + 2] * v[i + 2];
  }
  return out;
}

function expectRel(got: Float64Array, ref: Float64Array, tol: number, what: string): void {
  const scale = maxAbs(ref);
  let worst = 0, wi = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(got[i] - ref[i]);
    if (e > worst) { worst = e; wi = i; }
  }
  expect(worst, `${what}: worst at ${wi}: ${got[wi]} vs ${ref[wi]}`).toBeLessThanOrEqual(tol * scale);
}

/** Checks that the l = 1 block of every (centre, species, n) rotates as the vector (c_11, c_1-1, c_10) = (x, y, z). */
function expectL1Rotates(c0: Float64Array, c1: Float64Array, r: Float64Array, nLm: number, what: string): void {
  const rows = c0.length / nLm;
  const v0 = new Float64Array(3 * rows), v1 = new Float64Array(3 * rows);
  for (let q = 0; q < rows; q++) {
    // lm index of (l=1, m) is 2 + m: m = -1 (y), 0 (z), 1 (x)
    v0[3 * q] = c0[q * nLm + 3]; v0[3 * q + 1] = c0[q * nLm + 1]; v0[3 * q + 2] = c0[q * nLm + 2];
    v1[3 * q] = c1[q * nLm + 3]; v1[3 * q + 1] = c1[q * nLm + 1]; v1[3 * q + 2] = c1[q * nLm + 2];
  }
  expectRel(rotateRows(v0, r), v1, TOL_ROTATION_REL, what);
}

describe('LODE invariance', () => {
  const cl = loadLode<LodeFixture>('finite_ico13_distorted_AuCu12_gto.json');
  const box = loadLode<LodeFixture>('pylode_box4_NaCl_gto.json');
  const R = rotation();

  for (const p of [1, 6]) {
    it(`open cluster p=${p}: rotation leaves lambda0 and the power spectrum unchanged, l = 1 rotates as (y, z, x)`, () => {
      const h = cl.results.find((r) => r.exponent_p === p)!.hypers.common;
      const plan = planLode(paramsOf(h, cl.species_order));
      const pos = flat(cl.structure.positions), z = cl.structure.atomic_numbers;
      const a = all(plan, pos, z, null, OPEN), b = all(plan, rotateRows(pos, R), z, null, OPEN);
      expectL1Rotates(a.c, b.c, R, (h.max_angular_L + 1) ** 2, 'l = 1');
      expectRel(b.l0, a.l0, TOL_ROTATION_REL, 'lambda0');
      expectRel(b.ps, a.ps, TOL_ROTATION_REL, 'power spectrum');
      // translation
      const shifted = pos.map((v, i) => v + [3.1, -7.4, 12.9][i % 3]);
      expectRel(all(plan, shifted, z, null, OPEN).c, a.c, TOL_TRANSLATION_REL, 'translation');
    });

    it(`periodic box p=${p}: rotating positions and cell, translating, and wrapping one atom`, () => {
      const r = box.results.find((e) => e.exponent_p === p && e.hypers.common.center_atom_weight_w === 1)!;
      const params = paramsOf(r.hypers.common, box.species_order);
      const pos = flat(box.structure.positions), z = box.structure.atomic_numbers, cell = cellOf(box.structure)!;
      const c0 = computeLode(pos, z, cell, PBC, params).values;
      const c1 = computeLode(rotateRows(pos, R), z, rotateRows(cell, R), PBC, params).values;
      expectL1Rotates(c0, c1, R, (r.hypers.common.max_angular_L + 1) ** 2, 'l = 1 (periodic)');
      const ps0 = computeLode(pos, z, cell, PBC, { ...params, output: 'power-spectrum' }).values;
      const ps1 = computeLode(rotateRows(pos, R), z, rotateRows(cell, R), PBC, { ...params, output: 'power-spectrum' }).values;
      expectRel(ps1, ps0, TOL_ROTATION_REL, 'power spectrum (periodic)');
      const shifted = pos.map((v, i) => v + [0.37, -1.9, 2.45][i % 3]);
      expectRel(computeLode(shifted, z, cell, PBC, params).values, c0, TOL_TRANSLATION_REL, 'translation (periodic)');
      const wrapped = Float64Array.from(pos);
      for (let k = 0; k < 3; k++) wrapped[3 + k] += cell[k] - 2 * cell[6 + k]; // atom 1 moved by a - 2c
      expectRel(computeLode(wrapped, z, cell, PBC, params).values, c0, TOL_TRANSLATION_REL, 'wrapping');
    });
  }

  it('2x2x2 supercell gives the primitive cell values per atom (cu32, p = 1 and 6, same k_c)', () => {
    const cu = loadLode<LodeFixture>('pylode_cu32_gto.json');
    const pos = flat(cu.structure.positions), z = cu.structure.atomic_numbers, cell = cellOf(cu.structure)!;
    const n = z.length;
    const big = new Float64Array(8 * 3 * n), bigZ: number[] = [];
    let o = 0;
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let c = 0; c < 2; c++) {
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 3; k++) big[o++] = pos[3 * i + k] + a * cell[k] + b * cell[3 + k] + c * cell[6 + k];
        bigZ.push(z[i]);
      }
    }
    const bigCell = cell.map((v) => 2 * v);
    for (const p of [1, 6]) {
      const h = cu.results.find((r) => r.exponent_p === p)!.hypers.common;
      const params = paramsOf(h, cu.species_order);
      const prim = computeLode(pos, z, cell, PBC, params).values;
      // centres: the last image block (a = b = c = 1), a different translate than the primitive's
      const centres = Int32Array.from({ length: n }, (_, i) => 7 * n + i);
      const sup = computeLode(big, bigZ, bigCell, PBC, params, centres).values;
      expectRel(sup, prim, TOL_SUPERCELL_REL, `supercell p=${p}`);
    }
  });

  it('p = 6: a 5-atom cluster in a 40 Å box (k_c = 2 pi/sigma) matches open boundaries to 1e-7', () => {
    const pos = Float64Array.from([20, 20, 20, 21.3, 20.2, 19.6, 19.1, 21.2, 20.4, 20.5, 18.9, 21.1, 19.4, 19.5, 18.8]);
    const z = [29, 29, 79, 29, 79];
    // The residual is the periodic images, ~ L^-6: 8.1e-8 at 40 Å, 12x smaller at 60 Å (measured).
    const params: LodeParams = { exponent: 6, smearing: 1, cutoff: 2.5, maxRadial: 2, maxAngular: 2, species: [29, 79] };
    const open = computeLode(pos, z, null, OPEN, params).values;
    const cell = Float64Array.from([40, 0, 0, 0, 40, 0, 0, 0, 40]);
    const periodic = computeLode(pos, z, cell, PBC, { ...params, kCutoff: (2 * Math.PI) / params.smearing }).values;
    let worst = 0;
    for (let i = 0; i < open.length; i++) worst = Math.max(worst, Math.abs(open[i] - periodic[i]));
    expect(worst).toBeLessThan(TOL_BOX_ABS);
    expect(maxAbs(open)).toBeGreaterThan(1e-3); // the comparison is not between two near-zero arrays
  });
});
