import { describe, expect, it } from 'vitest';
import { computeLode, planLode, type LodeParams } from '../../../../src/core/descriptors/lode/lode.ts';
import { multiScaleRow, multiScaleWidth } from '../../../../src/core/descriptors/lode/multiscale.ts';
import { createSoapScratch, planSoap, soapCoefficients, speciesCodes } from '../../../../src/core/descriptors/soap/soap.ts';
import { buildNeighbourList, createNeighbourList } from '../../../../src/core/geometry/neighbours.ts';
import { flat, loadLode, maxAbs, type LodeFixture } from './fixture.ts';

// lode.md §6: rotation invariance of the rho x V invariant, 1e-12 relative.
const TOL_ROTATION_REL = 1e-12;

const OPEN: [boolean, boolean, boolean] = [false, false, false];
const LODE: LodeParams = { exponent: 1, smearing: 1, cutoff: 3, maxRadial: 2, maxAngular: 3, species: [29, 79] };

function rotate(v: Float64Array): Float64Array {
  // rotation by 1.1 rad about (2, -1, 2)/3
  const ux = 2 / 3, uy = -1 / 3, uz = 2 / 3, t = 1.1, c = Math.cos(t), s = Math.sin(t), C = 1 - c;
  const r = [c + ux * ux * C, ux * uy * C - uz * s, ux * uz * C + uy * s, uy * ux * C + uz * s, c + uy * uy * C, uy * uz * C - ux * s,
    uz * ux * C - uy * s, uz * uy * C + ux * s, c + uz * uz * C];
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i += 3) for (let k = 0; k < 3; k++) out[i + k] = r[3 * k] * v[i] + r[3 * k + 1] * v[i + 1] + r[3 * k + 2] * v[i + 2];
  return out;
}

/** rho x V of every atom with SOAP density coefficients from the SOAP engine. */
function rhoV(pos: Float64Array, z: number[], symbols: string[]): Float64Array {
  const soap = planSoap({ rCut: 4, nMax: 3, lMax: 3, sigma: 0.5, species: ['Cu', 'Au'], periodic: false });
  const nl = createNeighbourList();
  buildNeighbourList(nl, pos, z.length, null, OPEN, soap.neighbourRadius, null, true);
  const codes = speciesCodes(soap, symbols);
  const scratch = createSoapScratch(soap);
  const { values: v, plan } = computeLode(pos, z, null, OPEN, LODE);
  const shape = { nSpecies: soap.species.length, nMax: soap.nMax, lMax: soap.lMax };
  const w = multiScaleWidth(shape, plan);
  const out = new Float64Array(z.length * w);
  for (let i = 0; i < z.length; i++) {
    const rho = soapCoefficients(soap, nl, i, codes, scratch);
    multiScaleRow(shape, rho, plan, v.subarray(i * plan.width, (i + 1) * plan.width), out, i * w);
  }
  return out;
}

describe('LODE rho x V multi-scale invariant (lode.md §4.3)', () => {
  it('layout: with rho = the LODE coefficients rearranged to the SOAP layout, it is kappa_l sum_m c c', () => {
    const fx = loadLode<LodeFixture>('finite_ico13_distorted_AuCu12_gto.json');
    const pos = flat(fx.structure.positions), z = fx.structure.atomic_numbers;
    const { values: c, plan } = computeLode(pos, z, null, OPEN, LODE);
    const N = plan.nRadial, L = plan.basis.lMax, S = plan.nSpecies, nLm = plan.nLm;
    const shape = { nSpecies: S, nMax: N, lMax: L };
    const rho = new Float64Array(S * N * nLm);
    const row0 = c.subarray(0, plan.width);
    for (let a = 0; a < S; a++) for (let l = 0; l <= L; l++) for (let n = 0; n < N; n++) for (let m = -l; m <= l; m++) {
      rho[a * N * nLm + N * l * l + n * (2 * l + 1) + m + l] = row0[(a * N + n) * nLm + l * l + l + m];
    }
    const got = new Float64Array(multiScaleWidth(shape, plan));
    multiScaleRow(shape, rho, plan, row0, got, 0);
    let o = 0;
    for (let a = 0; a < S; a++) for (let n = 0; n < N; n++) for (let b = 0; b < S; b++) for (let q = 0; q < N; q++) for (let l = 0; l <= L; l++) {
      let s = 0;
      for (let m = -l; m <= l; m++) s += row0[(a * N + n) * nLm + l * l + l + m] * row0[(b * N + q) * nLm + l * l + l + m];
      expect(Math.abs(got[o++] - s / Math.sqrt(2 * l + 1))).toBeLessThan(1e-14 * Math.max(1, Math.abs(s)));
    }
  });

  it('is rotation invariant with the SOAP engine\'s density coefficients (open AuCu12 cluster)', () => {
    const fx = loadLode<LodeFixture>('finite_ico13_distorted_AuCu12_gto.json');
    const pos = flat(fx.structure.positions), z = fx.structure.atomic_numbers;
    const symbols = z.map((v) => (v === 79 ? 'Au' : 'Cu'));
    const a = rhoV(pos, z, symbols), b = rhoV(rotate(pos), z, symbols);
    const scale = maxAbs(a);
    expect(scale).toBeGreaterThan(1e-3);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThanOrEqual(TOL_ROTATION_REL * scale);
    expect(planLode(LODE).nLm).toBe(16);
  });
});
