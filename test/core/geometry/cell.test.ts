import { describe, expect, it } from 'vitest';
import { cellFromParameters, cellHeights, cellParameters, cellVolume, invertCell, isPlaceholderCell, wrapPositions } from '../../../src/core/geometry/cell.ts';

describe('cell', () => {
  it('builds an orthogonal cell with exact zeros at 90 degrees', () => {
    expect(Array.from(cellFromParameters(3, 4, 5, 90, 90, 90))).toEqual([3, 0, 0, 0, 4, 0, 0, 0, 5]);
  });

  it('round-trips lengths and angles of a triclinic cell (MDAnalysis tip125 DCD cell angles)', () => {
    const h = cellFromParameters(15.0, 16.0, 17.0, 91.3, 61.7, 44.4);
    const [a, b, c, al, be, ga] = cellParameters(h);
    expect(a).toBeCloseTo(15, 12); expect(b).toBeCloseTo(16, 12); expect(c).toBeCloseTo(17, 12);
    expect(al).toBeCloseTo(91.3, 10); expect(be).toBeCloseTo(61.7, 10); expect(ga).toBeCloseTo(44.4, 10);
  });

  it('hexagonal cell: volume, heights and inverse', () => {
    const h = cellFromParameters(2, 2, 3, 90, 90, 120);
    const v = cellVolume(h);
    expect(v).toBeCloseTo(2 * 2 * Math.sin((120 * Math.PI) / 180) * 3, 12);
    const hs = cellHeights(new Float64Array(3), h);
    expect(hs[2]).toBeCloseTo(3, 12);
    expect(hs[0]).toBeCloseTo(2 * Math.sin((120 * Math.PI) / 180), 12);
    const inv = invertCell(new Float64Array(9), h);
    // H * H^-1 = I
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += h[3 * i + k] * inv[3 * k + j];
      expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
    }
  });

  it('wraps far-away atoms into a triclinic cell, keeping non-periodic axes', () => {
    const h = cellFromParameters(10, 11, 12, 80, 70, 60);
    // r = s H with s = (0.1, 0.2, 0.3), then moved by 3a + 2b - c
    const s = [0.1, 0.2, 0.3];
    const r = [0, 1, 2].map((k) => s[0] * h[k] + s[1] * h[3 + k] + s[2] * h[6 + k]);
    const pos = new Float64Array([0, 1, 2].map((k) => r[k] + 3 * h[k] + 2 * h[3 + k] - h[6 + k]));
    const w = wrapPositions(new Float64Array(3), pos, 1, h, [true, true, true]);
    expect(w[0]).toBeCloseTo(r[0], 10); expect(w[1]).toBeCloseTo(r[1], 10); expect(w[2]).toBeCloseTo(r[2], 10);
    const z = wrapPositions(new Float64Array(3), new Float64Array([12, 1, 40]), 1, [10, 0, 0, 0, 10, 0, 0, 0, 10], [true, true, false]);
    expect(z[0]).toBeCloseTo(2, 12); expect(z[1]).toBeCloseTo(1, 12); expect(z[2]).toBe(40);
  });

  it('recognises placeholder cells', () => {
    expect(isPlaceholderCell([0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(true);
    expect(isPlaceholderCell([1, 0, 0, 0, 1, 0, 0, 0, 1])).toBe(true);
    expect(isPlaceholderCell([2, 0, 0, 0, 1, 0, 0, 0, 1])).toBe(false);
  });
});
