/**
 * The WebAssembly SIMD kernel (src/core/descriptors/soap/wasm) against the TypeScript reference path
 * of soap.ts, on every GTO case of ../shared/fixtures/soap, plus the paths the fixtures do not reach
 * (radial weighting, a second species in a cross block, centres with no neighbour).
 * Agreement with dscribe itself is soap-fixtures.test.ts, which runs on the default (wasm) kernel.
 */
import { describe, expect, it } from 'vitest';
import { createSoapScratch, computeSoap, soapFrame, speciesCodes, planSoap, type SoapKernel, type SoapParams, type SoapPlan } from '../../../../src/core/descriptors/soap/soap.ts';
import { createSoapWasmKernel, soapWasmAvailable } from '../../../../src/core/descriptors/soap/wasm/soap-wasm.ts';
import { createYlmTable } from '../../../../src/core/descriptors/common/ylm.ts';
import { buildNeighbourList, createNeighbourList } from '../../../../src/core/geometry/neighbours.ts';
import { au309Frames, compareRows, cu211Frames, inlineFrames, loadFixture, type FrameInput, type SoapFixture } from './_fixtures.ts';

// Issue 3 / wasm brief: "same spectra as the TS path to <= 1e-12 relative per row" (max|diff| / max|row|).
const TOL_WASM_VS_TS_ROW_REL = 1e-12;

const GTO_CASES = [
  'tiny_h2_rc448_n2l2_s1_gto_compact', 'tiny_h2_rc448_n2l2_s1_gto_filled_normalized',
  'tiny_h2o_rc448_n2l2_s1_gto_compact', 'tiny_h2o_rc448_n2l2_s1_gto_filled_normalized',
  'cu211_rc6_n8l8_s1_gto_compact', 'cu211_rc6_n8l8_s1_gto_filled_normalized',
  'cu211_rc448_n8l8_s05_gto_compact', 'cu211_rc448_n8l8_s05_gto_filled_normalized',
  'cu211_rc6_n4l6_s1_gto_compact', 'cu211_rc6_n4l6_s1_gto_filled_normalized',
  'water_tric_dcdcell_rc45_n8l8_s1_gto_compact', 'water_tric_dcdcell_rc45_n8l8_s1_gto_filled_normalized',
  'water_tric_mdadims_rc45_n8l8_s1_gto_compact', 'water_tric_mdadims_rc45_n8l8_s1_gto_filled_normalized',
  'au309_rc448_n8l8_s1_gto_nonperiodic_compact', 'au309_rc448_n8l8_s1_gto_nonperiodic_filled_normalized',
  'outside_box_cu_wrapped_rc448_n8l8_s1_gto_compact', 'outside_box_cu_wrapped_rc448_n8l8_s1_gto_filled_normalized',
  'outside_box_water_tric_wrapped_rc45_n8l8_s1_gto_compact', 'outside_box_water_tric_wrapped_rc45_n8l8_s1_gto_filled_normalized',
];

function paramsOf(fx: SoapFixture): SoapParams {
  const p = fx.json.params;
  return { rCut: p.r_cut, nMax: p.n_max, lMax: p.l_max, sigma: p.sigma, rbf: p.rbf, species: p.species, periodic: p.periodic,
    layout: fx.json.layout === 'dscribe-compact' ? 'compact' : 'filled' };
}

function inputsOf(fx: SoapFixture): FrameInput[] {
  const file = fx.json.input.file, frames = fx.json.input.frames;
  if (typeof file === 'string' && file.includes('cu211_600K')) { const all = cu211Frames(Math.max(...frames) + 1); return frames.map((f) => all[f]); }
  if (typeof file === 'string' && file.includes('au309')) { const all = au309Frames(Math.max(...frames) + 1); return frames.map((f) => all[f]); }
  return inlineFrames(fx, fx.name.startsWith('outside_box') ? 'positions_unwrapped' : 'positions');
}

/** All frames of a fixture through one kernel; the scratch must really run that kernel. */
function run(plan: SoapPlan, frames: FrameInput[], centres: Int32Array | null, periodic: boolean, kernel: SoapKernel): Float64Array {
  const scratch = createSoapScratch(plan, { kernel });
  expect(scratch.kernel).toBe(kernel);
  const parts = frames.map((fr) => computeSoap(fr.positions, fr.species, periodic ? fr.cell : null, [true, true, true], plan, centres, { scratch }));
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

describe('wasm SOAP kernel', () => {
  it('WebAssembly SIMD is available in this runtime (Node 20)', () => {
    expect(soapWasmAvailable()).toBe(true);
  });

  for (const name of GTO_CASES) {
    it(`${name}: wasm rows equal the TypeScript rows`, () => {
      const fx = loadFixture(name);
      const plan = planSoap(paramsOf(fx));
      const centres = Array.isArray(fx.json.input.centers) ? Int32Array.from(fx.json.input.centers) : null;
      const frames = inputsOf(fx);
      const ts = run(plan, frames, centres, fx.json.params.periodic, 'ts');
      const wasm = run(plan, frames, centres, fx.json.params.periodic, 'wasm');
      expect(wasm.length).toBe(fx.data.length);
      const res = compareRows(wasm, ts, plan.width, true);
      expect(res.worst, `worst row ${res.row} col ${res.col}: wasm ${res.got}, ts ${res.want}`).toBeLessThanOrEqual(TOL_WASM_VS_TS_ROW_REL);
    }, 60_000);
  }

  it('polynomial plans stay on the TypeScript path', () => {
    const plan = planSoap({ rCut: 4, nMax: 3, lMax: 2, rbf: 'polynomial', species: ['Cu'] });
    expect(createSoapScratch(plan, { kernel: 'wasm' }).kernel).toBe('ts');
  });

  it('rejects an unknown kernel name', () => {
    const plan = planSoap({ rCut: 4, nMax: 3, lMax: 2, species: ['Cu'] });
    expect(() => createSoapScratch(plan, { kernel: 'gpu' as SoapKernel })).toThrow(RangeError);
  });

  // Synthetic cluster: two species (cross blocks, crossover off), odd nMax (padded SIMD lane), an
  // isolated centre (zero row), a radial weighting with w0, and an atom of a third, ignored species.
  const pos = new Float64Array([0, 0, 0, 1.1, 0.2, -0.3, -0.7, 1.3, 0.4, 0.3, -1.2, 1.0, 2.1, 1.9, -0.8, 40, 40, 40, 0.5, 0.5, 0.5]);
  const species = ['O', 'H', 'H', 'O', 'C', 'O', 'Xx'];
  const variants: [string, SoapParams][] = [
    ['compact, odd nMax, 3 species', { rCut: 3.5, nMax: 5, lMax: 4, sigma: 0.6, species: ['H', 'O', 'C'], periodic: false }],
    ['filled, nMax 9 (8 + 1 SIMD tail), lMax 3', { rCut: 4, nMax: 9, lMax: 3, sigma: 0.8, species: ['H', 'O', 'C'], periodic: false, layout: 'filled' }],
    ['crossover, weighting poly with w0', { rCut: 3.2, nMax: 4, lMax: 6, species: ['O', 'H', 'C'], periodic: false, compression: 'crossover',
      weighting: { function: 'poly', r0: 3, c: 1, m: 2, w0: 0.5 } }],
    ['weighting pow', { rCut: 3.2, nMax: 6, lMax: 5, species: ['O', 'H', 'C'], periodic: false,
      weighting: { function: 'pow', r0: 2, c: 1, m: 3, d: 1 } }],
  ];
  for (const [label, params] of variants) {
    it(`synthetic ${label}: wasm rows equal the TypeScript rows`, () => {
      const plan = planSoap(params);
      const get = (kernel: SoapKernel) => {
        const scratch = createSoapScratch(plan, { kernel });
        expect(scratch.kernel).toBe(kernel);
        return computeSoap(pos, species, null, [false, false, false], plan, null, { scratch, ignoreUnknownSpecies: true });
      };
      const ts = get('ts'), wasm = get('wasm');
      // The isolated O atom (index 5) sees only itself: a non-zero row, so the comparison is not vacuous.
      expect(Math.max(...ts.subarray(5 * plan.width, 6 * plan.width).map(Math.abs))).toBeGreaterThan(0);
      const res = compareRows(wasm, ts, plan.width, true);
      expect(res.worst, `worst row ${res.row} col ${res.col}`).toBeLessThanOrEqual(TOL_WASM_VS_TS_ROW_REL);
    });
  }

  it('centres split over several kernel calls (small chunks) give the same rows', () => {
    const fr = cu211Frames(1)[0];
    const plan = planSoap({ rCut: 6, nMax: 8, lMax: 8, species: ['Cu'], periodic: true });
    const centres = Int32Array.from({ length: 40 }, (_, i) => 60 * i);
    const nl = createNeighbourList();
    buildNeighbourList(nl, fr.positions, fr.species.length, fr.cell, [true, true, true], plan.neighbourRadius, centres, true);
    const codes = speciesCodes(plan, fr.species);
    const ts = new Float64Array(nl.n * plan.width);
    soapFrame(plan, nl, codes, ts, 0, createSoapScratch(plan, { kernel: 'ts' }));
    const kernel = createSoapWasmKernel({ nMax: 8, lMax: 8, nSpecies: 1, gto: plan.gto!, ylm: createYlmTable(8), blocks: plan.blocks,
      neighbourRadius: plan.neighbourRadius, compactWidth: plan.compactWidth, chunkEntries: 1000 })!;
    const wasm = new Float64Array(nl.n * plan.width);
    const calls: number[] = [];
    kernel.compactRows(nl, codes, null, (c0, c1, rows) => { calls.push(c1 - c0); wasm.set(rows, c0 * plan.width); });
    expect(calls.length).toBeGreaterThan(10); // ~300 neighbours per centre: 3 centres per 1000 entries
    expect(calls.reduce((a, b) => a + b, 0)).toBe(40);
    const res = compareRows(wasm, ts, plan.width, true);
    expect(res.worst).toBeLessThanOrEqual(TOL_WASM_VS_TS_ROW_REL);
  });

  it('one scratch across frames of growing and shrinking neighbour counts stays right', () => {
    const plan = planSoap({ rCut: 6, nMax: 4, lMax: 4, species: ['Cu', 'O', 'H'], periodic: false }); // R_nb 9.7 Å: ~300 Cu neighbours, past the first batch capacity (256)
    const wasmScratch = createSoapScratch(plan, { kernel: 'wasm' }), tsScratch = createSoapScratch(plan, { kernel: 'ts' });
    expect(wasmScratch.kernel).toBe('wasm');
    const small = { positions: pos.subarray(0, 18), species: species.slice(0, 6).map((s) => (s === 'C' ? 'Cu' : s)) };
    const cu = cu211Frames(1)[0];
    const big = { positions: cu.positions, species: cu.species };
    const centres = Int32Array.from({ length: 30 }, (_, i) => 13 * i);
    for (const fr of [small, big, small]) {
      const c = fr === big ? centres : null;
      const ts = computeSoap(fr.positions, fr.species, null, [false, false, false], plan, c, { scratch: tsScratch });
      const wasm = computeSoap(fr.positions, fr.species, null, [false, false, false], plan, c, { scratch: wasmScratch });
      expect(compareRows(wasm, ts, plan.width, true).worst).toBeLessThanOrEqual(TOL_WASM_VS_TS_ROW_REL);
    }
  });

  it('wide cutoff with narrow Gaussians: exponentials below the fast-exp floor (-700) are 0 on both paths', () => {
    // r_cut 15, sigma 0.3: gamma_max R_nb² ~ 800 > 700, so neighbours beyond ~15.1 Å take the clamped branch.
    const plan = planSoap({ rCut: 15, nMax: 3, lMax: 2, sigma: 0.3, species: ['Cu'], periodic: false });
    const gmax = Math.max(...plan.gto!.uniqueGammas);
    expect(gmax * plan.neighbourRadius ** 2).toBeGreaterThan(700);
    const far = new Float64Array([0, 0, 0, 15.6, 0, 0, 0, 15.9, 0.1, 1.2, 0.3, -0.4, 0, 0, 14.8]);
    const sp = ['Cu', 'Cu', 'Cu', 'Cu', 'Cu'];
    const get = (kernel: SoapKernel) => computeSoap(far, sp, null, [false, false, false], plan, null, { scratch: createSoapScratch(plan, { kernel }) });
    const res = compareRows(get('wasm'), get('ts'), plan.width, true);
    expect(res.worst).toBeLessThanOrEqual(TOL_WASM_VS_TS_ROW_REL);
  });
});
