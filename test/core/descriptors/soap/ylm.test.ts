import { describe, expect, it } from 'vitest';
import { createYlmTable, solidHarmonics, sphericalHarmonics } from '../../../../src/core/descriptors/common/ylm.ts';

const TOL = 1e-13; // float64 recurrence vs closed forms, relative to O(1) values

/** Legendre P_l(x) by Bonnet's recursion: independent of the harmonics' code. */
function legendre(l: number, x: number): number {
  let p0 = 1, p1 = x;
  if (l === 0) return 1;
  for (let k = 2; k <= l; k++) { const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
  return p1;
}

describe('real spherical harmonics (soap.md §3.1, lode.md §1.1)', () => {
  it('matches the closed forms of lode.md §1.1 for l <= 2', () => {
    const t = createYlmTable(2);
    const out = new Float64Array(9);
    const [x, y, z] = [0.3, -1.2, 0.7];
    const r = Math.hypot(x, y, z);
    sphericalHarmonics(out, t, x, y, z);
    const c1 = Math.sqrt(3 / (4 * Math.PI)), c2 = Math.sqrt(15 / (4 * Math.PI));
    const want = [1 / (2 * Math.sqrt(Math.PI)), c1 * y / r, c1 * z / r, c1 * x / r,
      c2 * x * y / r ** 2, c2 * y * z / r ** 2, Math.sqrt(5 / (16 * Math.PI)) * (3 * z * z - r * r) / r ** 2,
      c2 * x * z / r ** 2, Math.sqrt(15 / (16 * Math.PI)) * (x * x - y * y) / r ** 2];
    for (let i = 0; i < 9; i++) expect(Math.abs(out[i] - want[i])).toBeLessThan(TOL);
  });

  it('solid harmonics are r^l Y_lm, and only l = 0 survives at the origin', () => {
    const L = 10, t = createYlmTable(L);
    const a = new Float64Array((L + 1) ** 2), b = new Float64Array((L + 1) ** 2);
    const [x, y, z] = [1.1, 2.3, -0.4], r = Math.hypot(x, y, z);
    solidHarmonics(a, t, x, y, z);
    sphericalHarmonics(b, t, x, y, z);
    for (let l = 0; l <= L; l++) for (let m = -l; m <= l; m++) {
      const i = l * l + l + m;
      expect(Math.abs(a[i] - b[i] * r ** l)).toBeLessThan(1e-12 * r ** l);
    }
    solidHarmonics(a, t, 0, 0, 0);
    expect(a[0]).toBeCloseTo(1 / (2 * Math.sqrt(Math.PI)), 15);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBe(0);
  });

  it('obeys the addition theorem sum_m Y_lm(u) Y_lm(v) = (2l+1)/(4 pi) P_l(u.v) up to l = 12', () => {
    const L = 12, t = createYlmTable(L);
    const yu = new Float64Array((L + 1) ** 2), yv = new Float64Array((L + 1) ** 2);
    const u = [0.2, 0.5, -0.8], v = [-0.6, 0.1, 0.3];
    sphericalHarmonics(yu, t, u[0], u[1], u[2]);
    sphericalHarmonics(yv, t, v[0], v[1], v[2]);
    const cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (Math.hypot(...u) * Math.hypot(...v));
    for (let l = 0; l <= L; l++) {
      let s = 0;
      for (let m = -l; m <= l; m++) s += yu[l * l + l + m] * yv[l * l + l + m];
      expect(Math.abs(s - ((2 * l + 1) / (4 * Math.PI)) * legendre(l, cos))).toBeLessThan(1e-12 * (2 * l + 1));
    }
  });

  it('is orthonormal on the sphere (product Gauss quadrature, l <= 6)', () => {
    const L = 6, n = (L + 1) ** 2, t = createYlmTable(L);
    // 12-point Gauss-Legendre in cos(theta) (exact to degree 23) x 16 equispaced phi (exact to 15).
    const nodes: number[] = [], weights: number[] = [];
    const NQ = 12;
    for (let i = 1; i <= NQ; i++) {
      let x = Math.cos((Math.PI * (i - 0.25)) / (NQ + 0.5));
      for (let it = 0; it < 50; it++) {
        const p = legendre(NQ, x), dp = (NQ * (x * p - legendre(NQ - 1, x))) / (x * x - 1);
        x -= p / dp;
      }
      const dp = (NQ * (x * legendre(NQ, x) - legendre(NQ - 1, x))) / (x * x - 1);
      nodes.push(x); weights.push(2 / ((1 - x * x) * dp * dp));
    }
    const gram = new Float64Array(n * n), y = new Float64Array(n);
    for (let i = 0; i < NQ; i++) for (let k = 0; k < 16; k++) {
      const ct = nodes[i], st = Math.sqrt(1 - ct * ct), ph = (2 * Math.PI * k) / 16;
      sphericalHarmonics(y, t, st * Math.cos(ph), st * Math.sin(ph), ct);
      const w = weights[i] * (2 * Math.PI / 16);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) gram[a * n + b] += w * y[a] * y[b];
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) expect(Math.abs(gram[a * n + b] - (a === b ? 1 : 0))).toBeLessThan(1e-12);
  });

  it('rejects a bad lMax', () => {
    expect(() => createYlmTable(-1)).toThrow(RangeError);
    expect(() => createYlmTable(1.5)).toThrow(RangeError);
  });
});
