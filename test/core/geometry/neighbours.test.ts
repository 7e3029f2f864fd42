import { describe, expect, it } from 'vitest';
import { cellFromParameters, cellHeights, invertCell } from '../../../src/core/geometry/cell.ts';
import { buildNeighbourList, createNeighbourList, minimumImage, minimumImageDistance } from '../../../src/core/geometry/neighbours.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

/** Random positions: fractional in [-2, 3) (far outside the cell) or cartesian in a box when no cell. */
function randomPositions(n: number, h: Float64Array | null, rng: () => number, spread = 5): Float64Array {
  const p = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const s0 = rng() * spread - 2, s1 = rng() * spread - 2, s2 = rng() * spread - 2;
    if (h) {
      p[3 * i] = s0 * h[0] + s1 * h[3] + s2 * h[6];
      p[3 * i + 1] = s0 * h[1] + s1 * h[4] + s2 * h[7];
      p[3 * i + 2] = s0 * h[2] + s1 * h[5] + s2 * h[8];
    } else { p[3 * i] = s0 * 4; p[3 * i + 1] = s1 * 4; p[3 * i + 2] = s2 * 4; }
  }
  return p;
}

/** Brute force over images |n_i| <= M_i of the UNWRAPPED positions; independent of the cell list. */
function bruteForce(pos: Float64Array, n: number, h: Float64Array | null, pbc: boolean[], R: number,
  centre: number, includeSelf: boolean): string[] {
  const out: string[] = [];
  const hts = h ? cellHeights(new Float64Array(3), h) : null;
  // Atoms are up to 5 cells apart, so images up to ceil(R/h)+6 cells away can matter.
  const M = [0, 1, 2].map((i) => (h && pbc[i] ? Math.ceil(R / hts![i]) + 6 : 0));
  for (let j = 0; j < n; j++) {
    for (let a = -M[0]; a <= M[0]; a++) for (let b = -M[1]; b <= M[1]; b++) for (let c = -M[2]; c <= M[2]; c++) {
      const tx = h ? a * h[0] + b * h[3] + c * h[6] : 0, ty = h ? a * h[1] + b * h[4] + c * h[7] : 0, tz = h ? a * h[2] + b * h[5] + c * h[8] : 0;
      const dx = pos[3 * j] + tx - pos[3 * centre], dy = pos[3 * j + 1] + ty - pos[3 * centre + 1], dz = pos[3 * j + 2] + tz - pos[3 * centre + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > R * R) continue;
      if (j === centre && a === 0 && b === 0 && c === 0 && !includeSelf) continue;
      out.push(key(j, dx, dy, dz));
    }
  }
  return out.sort();
}

// Vectors agree to rounding (wrapping moves atoms by whole cells: ~1e-13 Å); 1e-6 Å keys.
const key = (j: number, dx: number, dy: number, dz: number) => `${j}:${dx.toFixed(6)},${dy.toFixed(6)},${dz.toFixed(6)}`;

function listed(nl: ReturnType<typeof createNeighbourList>, c: number): string[] {
  const out: string[] = [];
  for (let k = nl.offsets[c]; k < nl.offsets[c + 1]; k++) {
    out.push(key(nl.index[k], nl.dx[k], nl.dy[k], nl.dz[k]));
    expect(nl.r2[k]).toBeCloseTo(nl.dx[k] ** 2 + nl.dy[k] ** 2 + nl.dz[k] ** 2, 10);
  }
  return out.sort();
}

const CASES: { name: string; cell: Float64Array | null; pbc: boolean[]; n: number; R: number }[] = [
  { name: 'orthogonal, R < half cell', cell: cellFromParameters(12, 13, 14, 90, 90, 90), pbc: [true, true, true], n: 60, R: 4 },
  { name: 'triclinic', cell: cellFromParameters(9, 10, 11, 75, 100, 65), pbc: [true, true, true], n: 40, R: 5.5 },
  { name: 'small skewed cell, R > cell', cell: cellFromParameters(3.1, 2.7, 3.5, 60, 110, 70), pbc: [true, true, true], n: 3, R: 7.3 },
  { name: 'LAMMPS-style tilted box', cell: new Float64Array([8, 0, 0, 3.9, 7, 0, -2.5, 3, 6]), pbc: [true, true, true], n: 20, R: 6 },
  { name: 'slab, z not periodic', cell: cellFromParameters(7, 8, 20, 90, 90, 80), pbc: [true, true, false], n: 25, R: 6 },
  { name: 'no cell', cell: null, pbc: [false, false, false], n: 50, R: 5 },
];

describe('buildNeighbourList against brute force over images', () => {
  for (const cs of CASES) {
    for (const includeSelf of [true, false]) {
      it(`${cs.name}, includeSelf=${includeSelf}`, () => {
        const rng = lcg(cs.n * 7 + (includeSelf ? 1 : 0));
        const pos = randomPositions(cs.n, cs.cell, rng);
        const nl = createNeighbourList(4);
        buildNeighbourList(nl, pos, cs.n, cs.cell, cs.pbc, cs.R, null, includeSelf);
        expect(nl.n).toBe(cs.n);
        expect(nl.offsets[cs.n]).toBe(nl.count);
        let total = 0;
        for (let c = 0; c < cs.n; c++) {
          const want = bruteForce(pos, cs.n, cs.cell, cs.pbc, cs.R, c, includeSelf);
          expect(listed(nl, c)).toEqual(want);
          total += want.length;
        }
        expect(total).toBeGreaterThan(cs.n); // the cases are dense enough to have neighbours
      });
    }
  }

  it('centres subset, inclusive boundary, reuse of the same list', () => {
    const h = cellFromParameters(10, 10, 10, 90, 90, 90);
    // Atom 1 at exactly 3 Å from atom 0 (exactly representable): inclusive test keeps it.
    const pos = new Float64Array([1, 1, 1, 4, 1, 1, 9.5, 1, 1]);
    const nl = createNeighbourList();
    buildNeighbourList(nl, pos, 3, h, [true, true, true], 3, new Int32Array([0]), false);
    expect(listed(nl, 0)).toEqual([key(1, 3, 0, 0), key(2, -1.5, 0, 0)].sort());
    buildNeighbourList(nl, pos, 3, null, [true, true, true], 3, new Int32Array([2, 0]), true);
    expect(nl.n).toBe(2);
    expect(listed(nl, 0)).toEqual([key(2, 0, 0, 0)]);
    expect(listed(nl, 1)).toEqual([key(0, 0, 0, 0), key(1, 3, 0, 0)].sort());
  });

  it('rejects bad parameters with RangeError', () => {
    const nl = createNeighbourList();
    expect(() => buildNeighbourList(nl, new Float64Array(3), 1, null, [false, false, false], -1, null, true)).toThrow(RangeError);
    expect(() => buildNeighbourList(nl, new Float64Array(3), 1, null, [false, false, false], 1, new Int32Array([1]), true)).toThrow(RangeError);
    expect(() => buildNeighbourList(nl, new Float64Array([NaN, 0, 0]), 1, null, [false, false, false], 1, null, true)).toThrow(RangeError);
    expect(() => buildNeighbourList(nl, new Float64Array(9), 1, new Float64Array(9), [true, true, true], 1, null, true)).toThrow(RangeError);
    // A 0.01 Å cell with a 10 Å radius would mean ~8e9 images per atom: refused, not a hang.
    expect(() => buildNeighbourList(nl, new Float64Array(3), 1, cellFromParameters(0.01, 0.01, 0.01, 90, 90, 90), [true, true, true], 10, null, true))
      .toThrow(/too small/);
  });
});

describe('minimum image', () => {
  it('matches brute force over images on triclinic cells', () => {
    const rng = lcg(11);
    for (const h of [cellFromParameters(9, 10, 11, 75, 100, 65), new Float64Array([8, 0, 0, 3.9, 7, 0, -2.5, 3, 6]), cellFromParameters(5, 5, 5, 90, 90, 90)]) {
      const inv = invertCell(new Float64Array(9), h);
      const pos = randomPositions(30, h, rng);
      for (let i = 0; i < 30; i++) {
        for (let j = 0; j < 30; j++) {
          let best = Infinity;
          const dx = pos[3 * j] - pos[3 * i], dy = pos[3 * j + 1] - pos[3 * i + 1], dz = pos[3 * j + 2] - pos[3 * i + 2];
          for (let a = -8; a <= 8; a++) for (let b = -8; b <= 8; b++) for (let c = -8; c <= 8; c++) {
            const x = dx + a * h[0] + b * h[3] + c * h[6], y = dy + a * h[1] + b * h[4] + c * h[7], z = dz + a * h[2] + b * h[5] + c * h[8];
            best = Math.min(best, x * x + y * y + z * z);
          }
          const out = new Float64Array(3);
          const got = minimumImage(out, dx, dy, dz, h, inv, [true, true, true]);
          expect(Math.abs(got - best)).toBeLessThan(1e-9);
          expect(out[0] ** 2 + out[1] ** 2 + out[2] ** 2).toBeCloseTo(got, 9);
          expect(minimumImageDistance(pos, i, j, h, [true, true, true], inv)).toBeCloseTo(Math.sqrt(best), 9);
        }
      }
    }
  });

  it('leaves non-periodic axes alone', () => {
    const h = cellFromParameters(5, 5, 5, 90, 90, 90);
    const out = new Float64Array(3);
    expect(minimumImage(out, 4, 4, 4, h, invertCell(new Float64Array(9), h), [true, false, false])).toBeCloseTo(1 + 16 + 16, 12);
    expect(minimumImageDistance(new Float64Array([0, 0, 0, 3, 4, 0]), 0, 1, null, [false, false, false])).toBe(5);
  });
});
