/**
 * SOAP engine properties (soap.md): intermediates, layouts, invariances, parameter errors.
 */
import { describe, expect, it } from 'vitest';
import { buildNeighbourList, createNeighbourList } from '../../../../src/core/geometry/neighbours.ts';
import {
  computeSoap, createSoapScratch, fillSoapRow, normalizeRow, planSoap, soapCoefficients, soapFrame, speciesCodes, type SoapParams,
} from '../../../../src/core/descriptors/soap/soap.ts';
import { compareRows, inlineFrames, loadFixture } from './_fixtures.ts';

// soap.md §11 "intermediates (alpha, beta, R_nb)": alpha, R_nb <= 1e-14 rel; beta <= 1e-6 rel (GTO);
// exact-precision polynomial basis vs fixture <= 1e-5.
const TOL_ALPHA_REL = 1e-14;
const TOL_BETA_REL = 1e-6;
const TOL_POLY_BASIS_REL = 1e-5;
// soap.md §11 "wrapping invariance": <= 1e-12 relative.
const TOL_WRAP_REL = 1e-12;
// Rotation, permutation and supercells re-order floating-point sums: fixtures README "GTO compact"
// observed 2e-12..1.8e-10 between two float64 implementations; 1e-10 per row is ample and binding.
const TOL_REORDER_REL = 1e-10;
// tiny fixture c_nlm are an independent float64 evaluation agreeing to 2.3e-12 (fixture note).
const TOL_CNLM_ABS = 1e-10;

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('SOAP plan and intermediates', () => {
  it('GTO alphas, betas and neighbour radius match dscribe (tiny_h2)', () => {
    const fx = loadFixture('tiny_h2_rc448_n2l2_s1_gto_compact');
    const im = fx.json.intermediates as { gto_alphas: { values: number[][] }; gto_betas: { values: number[][][] }; gto_decay_radii_a_k: number[] };
    const plan = planSoap({ rCut: 4.48, nMax: 2, lMax: 2, species: ['H'] });
    expect(relDiff(plan.neighbourRadius, fx.json.params.neighbour_radius)).toBeLessThanOrEqual(TOL_ALPHA_REL);
    expect(Array.from(plan.gto!.decayRadii)).toEqual(im.gto_decay_radii_a_k);
    im.gto_alphas.values.forEach((row, l) => row.forEach((v, k) => expect(relDiff(plan.gto!.alphas[l * 2 + k], v)).toBeLessThanOrEqual(TOL_ALPHA_REL)));
    im.gto_betas.values.forEach((m, l) => m.forEach((row, n) => row.forEach((v, k) => expect(relDiff(plan.gto!.betas[(l * 2 + n) * 2 + k], v)).toBeLessThanOrEqual(TOL_BETA_REL))));
  });

  it('polynomial quadrature radii and g_n(r) match dscribe within its own beta error', () => {
    for (const name of ['tiny_h2_rc448_n2l2_s1_poly_compact', 'cu211_rc6_n8l8_s1_poly_compact', 'cu211_rc448_n8l8_s1_poly_compact']) {
      const fx = loadFixture(name);
      const im = fx.json.intermediates as { rx: number[]; g_n_at_rx: number[][] };
      const p = fx.json.params;
      const plan = planSoap({ rCut: p.r_cut, nMax: p.n_max, lMax: p.l_max, rbf: 'polynomial', species: p.species });
      im.rx.forEach((r, q) => expect(relDiff(plan.poly!.radii[q], r)).toBeLessThanOrEqual(1e-13));
      // dscribe's float64 beta is off by ~7e-6 relative to its largest entries (soap.md §5.1), so its
      // error in the small g_0 is large relative to g_0 itself: compare against the whole basis' scale.
      const scale = Math.max(...im.g_n_at_rx.flat().map(Math.abs));
      im.g_n_at_rx.forEach((row, n) => {
        row.forEach((v, q) => expect(Math.abs(plan.poly!.values[n * 100 + q] - v) / scale).toBeLessThanOrEqual(TOL_POLY_BASIS_REL));
      });
    }
  });

  it('c_nlm of the tiny H2 case match the fixture (column l*l + m + l)', () => {
    const fx = loadFixture('tiny_h2_rc448_n2l2_s1_gto_compact');
    const cn = (fx.json.intermediates as { expansion_coefficients: { values: number[][][] } }).expansion_coefficients.values;
    const plan = planSoap({ rCut: 4.48, nMax: 2, lMax: 2, species: ['H'] });
    const nl = buildNeighbourList(createNeighbourList(), [0, 0, 0, 0, 0, 2], 2, null, [false, false, false], plan.neighbourRadius, null, true);
    const s = createSoapScratch(plan);
    for (let c = 0; c < 2; c++) {
      const got = soapCoefficients(plan, nl, c, speciesCodes(plan, ['H', 'H']), s);
      for (let n = 0; n < 2; n++) for (let l = 0; l <= 2; l++) for (let m = -l; m <= l; m++) {
        expect(Math.abs(got[2 * l * l + n * (2 * l + 1) + m + l] - cn[c][n][l * l + m + l])).toBeLessThanOrEqual(TOL_CNLM_ABS);
      }
    }
  });

  it('worked example of soap.md §10: compact, filled and normalised vectors', () => {
    const p: SoapParams = { rCut: 4.48, nMax: 2, lMax: 2, species: ['H'], periodic: false };
    const compact = computeSoap([0, 0, 0, 0, 0, 2], ['H', 'H'], null, [false, false, false], p, new Int32Array([0]));
    const want = [0.1716009673873, 4.092141320698, 97.58465143600, 0.04962696328103, -0.6702516164708, 9.052281253594,
      0.009970870253688, -0.2008111764038, 4.044293782057];
    // fixtures README: tiny n = l = 2 cases 1e-10, per row relative to its largest value.
    want.forEach((v, i) => expect(Math.abs(compact[i] - v) / 97.58465143600).toBeLessThan(1e-10));
    const plan = planSoap(p), filled = new Float64Array(12);
    fillSoapRow(plan, compact, 0, filled, 0);
    expect(Math.hypot(...filled)).toBeCloseTo(98.26274308716476, 10);
    normalizeRow(filled, 0, 12);
    const norm = [1.746348229207e-03, 4.164489197160e-02, 4.164489197160e-02, 9.930991988432e-01, 5.050435365621e-04,
      -6.821014714359e-03, -6.821014714359e-03, 9.212322971245e-02, 1.014715235951e-04, -2.043614599947e-03, -2.043614599947e-03, 4.115795727857e-02];
    norm.forEach((v, i) => expect(Math.abs(filled[i] - v)).toBeLessThan(1e-10)); // README: tiny cases 1e-10
    const direct = computeSoap([0, 0, 0, 0, 0, 2], ['H', 'H'], null, [false, false, false], { ...p, layout: 'filled' }, new Int32Array([0]));
    direct.forEach((v, i) => expect(Math.abs(v - filled[i])).toBeLessThan(1e-15));
  });

  it('feature counts and block slices (soap.md §6.2, §8.1)', () => {
    const one = planSoap({ rCut: 6, nMax: 8, lMax: 8, species: ['Cu'] });
    expect([one.compactWidth, one.filledWidth]).toEqual([324, 576]);
    const two = planSoap({ rCut: 6, nMax: 8, lMax: 8, species: ['O', 'H', 'O'] });
    expect(two.species).toEqual(['H', 'O']);
    expect(two.blocks.map((b) => [b.a, b.b, b.start, b.stop])).toEqual([[0, 0, 0, 324], [0, 1, 324, 900], [1, 1, 900, 1224]]);
    const twoF = planSoap({ rCut: 6, nMax: 8, lMax: 8, species: ['H', 'O'], layout: 'filled' });
    expect(twoF.width).toBe(1728);
    expect(twoF.blocks.map((b) => [b.start, b.stop])).toEqual([[0, 576], [576, 1152], [1152, 1728]]);
    expect(planSoap({ rCut: 6, nMax: 4, lMax: 6, species: ['Cu'] }).width).toBe(70);
    expect(planSoap({ rCut: 6, nMax: 8, lMax: 8, species: ['H', 'O'], compression: 'crossover' }).width).toBe(2 * 324);
  });

  it('crossover keeps exactly the same-species blocks of the full vector', () => {
    const fx = loadFixture('tiny_h2o_rc448_n2l2_s1_gto_compact');
    const [fr] = inlineFrames(fx);
    const base: SoapParams = { rCut: 4.48, nMax: 2, lMax: 2, species: ['H', 'O'], periodic: false };
    const full = computeSoap(fr.positions, fr.species, null, [false, false, false], base);
    const cross = computeSoap(fr.positions, fr.species, null, [false, false, false], { ...base, compression: 'crossover' });
    for (let c = 0; c < 3; c++) {
      for (let k = 0; k < 9; k++) {
        expect(cross[c * 18 + k]).toBe(full[c * 30 + k]);
        expect(cross[c * 18 + 9 + k]).toBe(full[c * 30 + 21 + k]);
      }
    }
  });

  it('rejects bad parameters and unknown species', () => {
    expect(() => planSoap({ rCut: 0.9, nMax: 8, lMax: 8, species: ['Cu'] })).toThrow(RangeError);
    expect(() => planSoap({ rCut: 6, nMax: 0, lMax: 8, species: ['Cu'] })).toThrow(RangeError);
    expect(() => planSoap({ rCut: 6, nMax: 8, lMax: 21, species: ['Cu'] })).toThrow(RangeError);
    expect(() => planSoap({ rCut: 6, nMax: 8, lMax: 8, sigma: 0, species: ['Cu'] })).toThrow(RangeError);
    expect(() => planSoap({ rCut: 6, nMax: 8, lMax: 8, species: [] })).toThrow(RangeError);
    const plan = planSoap({ rCut: 6, nMax: 2, lMax: 2, species: ['Cu'] });
    expect(() => speciesCodes(plan, ['Cu', 'Au'])).toThrow(/not in the SOAP species/);
    expect(Array.from(speciesCodes(plan, ['Cu', 'Au'], true))).toEqual([0, -1]);
    expect(() => computeSoap([0, 0, 0], ['Cu'], null, [true, true, true], { ...plan.params, periodic: true })).toThrow(RangeError);
  });
});

describe('SOAP invariances (issue 3 "Accuracy")', () => {
  const fx = loadFixture('outside_box_cu_wrapped_rc448_n8l8_s1_gto_compact');
  const [fr] = inlineFrames(fx, 'positions_unwrapped');
  const n = fr.species.length;
  const cell = fr.cell!;
  const pbc = [true, true, true];
  const params: SoapParams = { rCut: 4.48, nMax: 8, lMax: 8, species: ['Cu'] };
  const centres = new Int32Array([0, 5, 17, 40, 77, 100]);
  const ref = computeSoap(fr.positions, fr.species, cell, pbc, params, centres);

  it('translating all atoms (arbitrary vector and a lattice vector) and moving one atom by (3,2,0) cells', () => {
    for (const t of [[1.7, -0.3, 12.2], [cell[0] + cell[3], cell[4], -cell[8]]]) {
      const p = fr.positions.map((v, i) => v + t[i % 3]);
      expect(compareRows(computeSoap(p, fr.species, cell, pbc, params, centres), ref, 324, true).worst).toBeLessThanOrEqual(TOL_WRAP_REL);
    }
    const p = fr.positions.slice();
    for (let k = 0; k < 3; k++) p[3 * 5 + k] += 3 * cell[k] + 2 * cell[3 + k];
    expect(compareRows(computeSoap(p, fr.species, cell, pbc, params, centres), ref, 324, true).worst).toBeLessThanOrEqual(TOL_WRAP_REL);
  });

  it('rotating positions and cell together', () => {
    const [a, b, c] = [0.3, -1.1, 2.0];
    const rz = [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];
    const ry = [Math.cos(b), 0, Math.sin(b), 0, 1, 0, -Math.sin(b), 0, Math.cos(b)];
    const rx = [1, 0, 0, 0, Math.cos(c), -Math.sin(c), 0, Math.sin(c), Math.cos(c)];
    const mul = (m: number[], k: number[]) => Array.from({ length: 9 }, (_, i) => [0, 1, 2].reduce((s, j) => s + m[3 * Math.floor(i / 3) + j] * k[3 * j + (i % 3)], 0));
    const r = mul(mul(rz, ry), rx);
    const rot = (v: Float64Array) => { const o = new Float64Array(v.length); for (let i = 0; i < v.length; i += 3) for (let k = 0; k < 3; k++) o[i + k] = r[3 * k] * v[i] + r[3 * k + 1] * v[i + 1] + r[3 * k + 2] * v[i + 2]; return o; };
    const got = computeSoap(rot(fr.positions), fr.species, rot(cell), pbc, params, centres);
    expect(compareRows(got, ref, 324, true).worst).toBeLessThanOrEqual(TOL_REORDER_REL);
  });

  it('permuting atom order', () => {
    const perm = Array.from({ length: n }, (_, i) => (i * 37 + 11) % n); // 37 is coprime with 108
    const p = new Float64Array(3 * n);
    perm.forEach((src, dst) => { for (let k = 0; k < 3; k++) p[3 * dst + k] = fr.positions[3 * src + k]; });
    const inv = new Int32Array(n);
    perm.forEach((src, dst) => { inv[src] = dst; });
    const got = computeSoap(p, fr.species, cell, pbc, params, Int32Array.from(centres, (c) => inv[c]));
    expect(compareRows(got, ref, 324, true).worst).toBeLessThanOrEqual(TOL_REORDER_REL);
  });

  it('a 2x1x2 supercell gives the same spectra for corresponding atoms', () => {
    const big = new Float64Array(3 * n * 4), species: string[] = [];
    let k = 0;
    for (const [i, j] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      for (let at = 0; at < n; at++) {
        for (let d = 0; d < 3; d++) big[3 * k + d] = fr.positions[3 * at + d] + i * cell[d] + j * cell[6 + d];
        species.push('Cu'); k++;
      }
    }
    const bigCell = Float64Array.from([2 * cell[0], 2 * cell[1], 2 * cell[2], cell[3], cell[4], cell[5], 2 * cell[6], 2 * cell[7], 2 * cell[8]]);
    for (const copy of [0, 3]) {
      const got = computeSoap(big, species, bigCell, pbc, params, Int32Array.from(centres, (c) => c + copy * n));
      expect(compareRows(got, ref, 324, true).worst).toBeLessThanOrEqual(TOL_REORDER_REL);
    }
  });

  it('a neighbour list built with a larger radius gives the same rows (entries beyond R_nb skipped)', () => {
    const plan = planSoap(params);
    for (const rbf of ['gto', 'polynomial'] as const) {
      const p = planSoap({ ...params, rbf });
      const nl = buildNeighbourList(createNeighbourList(), fr.positions, n, cell, pbc, plan.neighbourRadius + 2.5, centres, true);
      const out = new Float64Array(centres.length * p.width);
      soapFrame(p, nl, speciesCodes(p, fr.species), out, 0, createSoapScratch(p));
      const want = computeSoap(fr.positions, fr.species, cell, pbc, p, centres);
      expect(Array.from(out)).toEqual(Array.from(want));
    }
  });

  it('periodic=false ignores the cell', () => {
    const p = { ...params, periodic: false };
    const a = computeSoap(fr.positions, fr.species, cell, pbc, p, centres);
    const b = computeSoap(fr.positions, fr.species, null, pbc, p, centres);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(compareRows(a, ref, 324, true).worst).toBeGreaterThan(1e-3);
  });

  it('weighting w0 = 0 removes the centre, c = 1 with huge r0 "pow" keeps weights ~1', () => {
    const centre = new Int32Array([0]);
    const tiny = [0, 0, 0, 0, 0, 2];
    const base: SoapParams = { rCut: 4.48, nMax: 2, lMax: 2, species: ['H'], periodic: false };
    const noCentre = computeSoap(tiny, ['H', 'H'], null, pbc, { ...base, weighting: { function: 'pow', r0: 1e9, c: 1, m: 1, d: 1, w0: 0 } }, centre);
    const onlyOther = computeSoap([0, 0, 0, 0, 0, 2], ['X', 'H'], null, pbc, base, centre, { ignoreUnknownSpecies: true });
    expect(compareRows(noCentre, onlyOther, 9, true).worst).toBeLessThan(1e-8);
  });
});
