import { describe, expect, it } from 'vitest';
import { computeLode, createLodeScratch, lodeFrame, planLode, speciesChannels } from '../../../../src/core/descriptors/lode/lode.ts';
import { buildKSpace } from '../../../../src/core/descriptors/lode/periodic.ts';
import { cellOf, expectClose, flat, loadLode, loadNpy, maxAbs, paramsOf, type LodeFixture } from './fixture.ts';

// fixtures/lode/README.md §4 "Suggested test criteria": elementwise |d| <= 1e-6 |ref| + 1e-9 max|ref of the entry|.
const TOL_REL = 1e-6;
const TOL_ABS_OF_MAX = 1e-9;
// README §3 featomic row / §4: "featomic values: 1e-6 |ref| + 1e-8, because they are rounded to 10 digits".
const TOL_FEATOMIC_REL = 1e-6;
const TOL_FEATOMIC_ABS = 1e-8;
// README §3 Madelung row: |M - exact| <= 5e-5.
const TOL_MADELUNG = 5e-5;

const PBC: [boolean, boolean, boolean] = [true, true, true];

function runEntry(fx: LodeFixture, r: LodeFixture['results'][number], output: 'coefficients' | 'power-spectrum' = 'coefficients') {
  const s = fx.structure;
  const pos = flat(s.positions);
  return computeLode(pos, s.atomic_numbers, cellOf(s), PBC, { ...paramsOf(r.hypers.common, fx.species_order), output }).values;
}

function checkJsonFixture(name: string) {
  const fx = loadLode(name);
  for (const r of fx.results) {
    it(`${name} p=${r.exponent_p} w=${r.hypers.common.center_atom_weight_w}`, () => {
      const ref = flat(r.coefficients);
      const got = runEntry(fx, r);
      const err = expectClose(got, ref, TOL_REL, TOL_ABS_OF_MAX * maxAbs(ref), 'coefficients');
      expect(err).toBeLessThan(1e-6); // informative upper bound; the real check is above
      if (r.invariants) {
        const ps = flat(r.invariants.power_spectrum);
        expectClose(runEntry(fx, r, 'power-spectrum'), ps, TOL_REL, TOL_ABS_OF_MAX * maxAbs(ps), 'power spectrum');
        const l0 = flat(r.invariants.direct_lambda0);
        const s = fx.structure;
        const lam = computeLode(flat(s.positions), s.atomic_numbers, cellOf(s), PBC,
          { ...paramsOf(r.hypers.common, fx.species_order), output: 'lambda0' }).values;
        expectClose(lam, l0, TOL_REL, TOL_ABS_OF_MAX * maxAbs(l0), 'lambda0');
      }
      if (r.n_kvectors !== undefined) {
        const plan = planLode(paramsOf(r.hypers.common, fx.species_order));
        const ks = buildKSpace(cellOf(fx.structure)!, plan.basis, plan.quad, plan.params.exponent, plan.params.smearing, plan.params.kCutoff);
        expect(ks.nk).toBe(r.n_kvectors);
      }
      for (let n = 0; n < r.center_contribution_C_n.length; n++) {
        const plan = planLode(paramsOf(r.hypers.common, fx.species_order));
        expect(Math.abs(plan.centerC[n] - r.center_contribution_C_n[n])).toBeLessThan(1e-12 * Math.max(1, Math.abs(r.center_contribution_C_n[n])));
      }
    });
  }
}

describe('LODE periodic: pyLODE fixtures', () => {
  checkJsonFixture('pylode_box4_NaCl_gto.json');
  checkJsonFixture('pylode_box4_NaCl_monomial.json');
  checkJsonFixture('pylode_nacl_rocksalt_gto.json');
  checkJsonFixture('pylode_nacl_rocksalt_monomial.json');
  checkJsonFixture('pylode_cu32_gto.json');
  checkJsonFixture('pylode_cu32_monomial.json');

  for (const basis of ['gto', 'monomial']) {
    const name = `pylode_water_tip125_${basis}.json`;
    const fx = loadLode<LodeFixture & { results: (LodeFixture['results'][number] & { coefficients: { file: string }; invariants: { power_spectrum: { file: string } } })[] }>(name);
    for (const r of fx.results) {
      it(`${name} (triclinic, 375 atoms) p=${r.exponent_p}`, () => {
        const s = fx.structure;
        const plan = planLode({ ...paramsOf(r.hypers.common, fx.species_order), output: 'coefficients' });
        const scratch = createLodeScratch(plan);
        const frame = { positions: flat(s.positions), cell: cellOf(s), pbc: PBC, speciesIndex: speciesChannels(plan, s.atomic_numbers) };
        const centres = Int32Array.from({ length: s.atomic_numbers.length }, (_, i) => i);
        const got = new Float64Array(centres.length * plan.width);
        lodeFrame(plan, frame, centres, got, 0, scratch);
        expect(scratch.kspace!.nk).toBe(r.n_kvectors);
        const ref = loadNpy(r.coefficients.file);
        expectClose(got, ref, TOL_REL, TOL_ABS_OF_MAX * maxAbs(ref), 'coefficients');
        // power spectrum from the same coefficients
        const psPlan = planLode({ ...paramsOf(r.hypers.common, fx.species_order), output: 'power-spectrum' });
        const ps = new Float64Array(centres.length * psPlan.width);
        lodeFrame(psPlan, frame, centres, ps, 0, createLodeScratch(psPlan));
        const psRef = loadNpy(r.invariants.power_spectrum.file);
        expectClose(ps, psRef, TOL_REL, TOL_ABS_OF_MAX * maxAbs(psRef), 'power spectrum');
      });
    }
  }
});

describe('LODE periodic: featomic reference values', () => {
  const fx = loadLode<LodeFixture & { results: (LodeFixture['results'][number] & { values_featomic_layout: number[][] })[]; layout: { columns: number[][] } }>('featomic_CHOC4H2_values.json');
  const plan0 = planLode(paramsOf(fx.results[0].hypers.common, fx.species_order));
  it('k-set: 3573 half-space vectors with the strict |k|² < k_c² split of README §4', () => {
    const ks = buildKSpace(cellOf(fx.structure)!, plan0.basis, plan0.quad, 1, plan0.params.smearing, plan0.params.kCutoff);
    expect(ks.nk).toBe(fx.results[0].n_kvectors);
  });
  for (const r of fx.results) {
    it(`CHOC4H2 p=${r.exponent_p}: coefficients and featomic column order`, () => {
      const got = runEntry(fx, r);
      expectClose(got, flat(r.coefficients), TOL_FEATOMIC_REL, TOL_FEATOMIC_ABS, 'coefficients');
      // featomic layout: columns (l, m, Z, n)
      const N = r.hypers.common.n_radial_functions, nLm = (r.hypers.common.max_angular_L + 1) ** 2, nS = fx.species_order.length;
      const cols = fx.layout.columns;
      const re = new Float64Array(got.length);
      for (let i = 0; i < fx.structure.atomic_numbers.length; i++) {
        cols.forEach(([l, m, z, n], c) => {
          re[i * cols.length + c] = got[i * nS * N * nLm + (fx.species_order.indexOf(z) * N + n) * nLm + l * l + l + m];
        });
      }
      expectClose(re, flat(r.values_featomic_layout), TOL_FEATOMIC_REL, TOL_FEATOMIC_ABS, 'featomic layout');
    });
  }
});

describe('LODE periodic: NaCl Madelung constant', () => {
  interface Mad { structure: LodeFixture['structure']; species_order: number[]; hypers: { common: LodeFixture['results'][number]['hypers']['common'] };
    coefficients: number[][][][]; madelung_exact: number; n_kvectors: number }
  const fx = loadLode<Mad>('pylode_nacl_madelung.json');
  it('M = -(c_own - c_other)/(4 pi rc²)^(3/4) within 5e-5 of 1.747564595 at both centres', () => {
    const s = fx.structure;
    const { values } = computeLode(flat(s.positions), s.atomic_numbers, cellOf(s), PBC, paramsOf(fx.hypers.common, fx.species_order));
    const rc = fx.hypers.common.basis_radius_rc;
    const scale = Math.pow(4 * Math.PI * rc * rc, 0.75);
    // centre 0 is Na (channel 0 = Na, Z 11), centre 1 is Cl (channel 1)
    const mNa = -(values[0] - values[1]) / scale;
    const mCl = -(values[3] - values[2]) / scale;
    expect(Math.abs(mNa - fx.madelung_exact)).toBeLessThan(TOL_MADELUNG);
    expect(Math.abs(mCl - fx.madelung_exact)).toBeLessThan(TOL_MADELUNG);
    const ref = flat(fx.coefficients);
    expectClose(values, ref, TOL_REL, TOL_ABS_OF_MAX * maxAbs(ref), 'coefficients');
  });
});

describe('LODE periodic: featomic position gradients (by central differences of our values)', () => {
  // README §3 featomic_CHOC4H2_gradients row: "Rec.: 1e-6 |ref| + 1e-7". soaplens has no analytic
  // gradients (the explorer does not need them); this checks that our values move with positions
  // exactly as featomic's stored d(sum_i c_i)/d r_j say, by central differences (step 1e-4 Å).
  const TOL_GRAD_REL = 1e-6;
  const TOL_GRAD_ABS = 1e-7;
  const FD_STEP = 1e-4;
  const gx = loadLode<LodeFixture & { results: (LodeFixture['results'][number] & { gradient_of_row_sum: number[][][] })[];
    layout: { columns: number[][] } }>('featomic_CHOC4H2_gradients.json');
  const pos0 = flat(gx.structure.positions), cell = cellOf(gx.structure)!, Z = gx.structure.atomic_numbers, n = Z.length;
  for (const r of gx.results) {
    it(`CHOC4H2 p=${r.exponent_p}: d(sum_i c_i)/d r_j for all 9 atoms and 144 columns`, () => {
      const plan = planLode(paramsOf(r.hypers.common, gx.species_order));
      const scratch = createLodeScratch(plan), speciesIndex = speciesChannels(plan, Z);
      const centres = Int32Array.from(Z, (_, i) => i), out = new Float64Array(n * plan.width);
      const rowSum = (p: Float64Array): Float64Array => {
        lodeFrame(plan, { positions: p, cell, pbc: PBC, speciesIndex }, centres, out, 0, scratch);
        const s = new Float64Array(plan.width);
        for (let i = 0; i < n; i++) for (let c = 0; c < plan.width; c++) s[c] += out[i * plan.width + c];
        return s;
      };
      const cols = gx.layout.columns, N = plan.nRadial, nLm = plan.nLm;
      const got = new Float64Array(n * 3 * cols.length);
      for (let j = 0; j < n; j++) for (let x = 0; x < 3; x++) {
        const pp = Float64Array.from(pos0), pm = Float64Array.from(pos0);
        pp[3 * j + x] += FD_STEP; pm[3 * j + x] -= FD_STEP;
        const a = rowSum(pp), b = rowSum(pm);
        cols.forEach(([l, m, z, nn], c) => {
          const col = (gx.species_order.indexOf(z) * N + nn) * nLm + l * l + l + m;
          got[(j * 3 + x) * cols.length + c] = (a[col] - b[col]) / (2 * FD_STEP);
        });
      }
      expectClose(got, flat(r.gradient_of_row_sum), TOL_GRAD_REL, TOL_GRAD_ABS, 'gradient');
    });
  }
});
