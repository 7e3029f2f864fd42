import { describe, expect, it } from 'vitest';
import { atomMaskForFrame, buildIndex, mapPoints, nearestPoint, pointInPolygon, selectionCounts, selectLasso, selectRect, tracePath, labelStrip, toData, toPixel, zoomDomain, pointsDomain } from '../../../src/app/views/layout/map-layout.ts';
import { cuResults, smallResults } from './views-fixtures.ts';

/** Brute-force reference counts over a row mask (independent loops over rows, not per frame). */
function bruteCounts(mask: ArrayLike<number>, nAtoms: number) {
  const atoms = new Set<number>(), frames = new Set<number>();
  let points = 0;
  for (let r = 0; r < mask.length; r++) if (mask[r]) { points++; atoms.add(r % nAtoms); frames.add(Math.floor(r / nAtoms)); }
  return { points, atoms: atoms.size, frames: frames.size };
}

describe('brushing on the 431,100 Cu(211) rows (fixtures/learn/cu211_pipeline)', () => {
  const r = cuResults();
  const p = mapPoints(r.scores, r.scoreDim, 0, 1);
  const index = buildIndex(p);
  // points are float32 in the index and in p: the brute force compares the same values
  const inRect = (i: number, x0: number, y0: number, x1: number, y1: number) => p.x[i] >= x0 && p.x[i] <= x1 && p.y[i] >= y0 && p.y[i] <= y1;

  it('has the paper-scale row count', () => { expect(p.n).toBe(431_100); });

  it('rectangle selection equals the brute-force selection (counts of points, atoms, frames)', () => {
    const d = pointsDomain(p, 0);
    const rects: Array<[number, number, number, number]> = [
      [d.x0 + 0.3 * (d.x1 - d.x0), d.y0 + 0.2 * (d.y1 - d.y0), d.x0 + 0.55 * (d.x1 - d.x0), d.y0 + 0.6 * (d.y1 - d.y0)],
      [d.x0 - 1, d.y0 - 1, d.x0 + 0.1 * (d.x1 - d.x0), d.y1 + 1],
      [0, 0, 0.01, 0.01],
    ];
    for (const [x0, y0, x1, y1] of rects) {
      const mask = selectRect(index, p.n, x1, y1, x0, y0); // corners given in any order
      const ref = new Uint8Array(p.n);
      for (let i = 0; i < p.n; i++) if (inRect(i, x0, y0, x1, y1)) ref[i] = 1;
      expect(Buffer.from(mask).equals(Buffer.from(ref))).toBe(true);
      expect(selectionCounts(mask, r.nAtoms, r.nFrames)).toEqual(bruteCounts(ref, r.nAtoms));
    }
  });

  it('lasso selection equals the brute-force point-in-polygon selection', () => {
    const d = pointsDomain(p, 0);
    const cx = (d.x0 + d.x1) / 2, cy = (d.y0 + d.y1) / 2, rx = (d.x1 - d.x0) / 3, ry = (d.y1 - d.y0) / 3;
    // a concave star
    const poly: number[] = [];
    for (let q = 0; q < 10; q++) { const t = (q / 10) * 2 * Math.PI, f = q % 2 ? 0.4 : 1; poly.push(cx + f * rx * Math.cos(t), cy + f * ry * Math.sin(t)); }
    const mask = selectLasso(index, p, poly);
    let points = 0;
    const ref = new Uint8Array(p.n);
    for (let i = 0; i < p.n; i++) if (pointInPolygon(p.x[i], p.y[i], poly)) { ref[i] = 1; points++; }
    expect(points).toBeGreaterThan(1000);
    expect(Buffer.from(mask).equals(Buffer.from(ref))).toBe(true);
    expect(selectionCounts(mask, r.nAtoms, r.nFrames)).toEqual(bruteCounts(ref, r.nAtoms));
  });

  it('the per-atom mask of a frame holds exactly the brushed rows of that frame', () => {
    const d = pointsDomain(p, 0);
    const mask = selectRect(index, p.n, d.x0, d.y0, (d.x0 + d.x1) / 2, d.y1);
    const frame = 100; // trajectory frame 100 = kept frame 90
    const atomMask = atomMaskForFrame(mask, r, frame, 2400);
    let n = 0, ref = 0;
    for (const v of atomMask) n += v;
    for (let a = 0; a < r.nAtoms; a++) ref += mask[90 * r.nAtoms + a];
    expect(n).toBe(ref);
    expect(n).toBeGreaterThan(0);
    for (let a = 0; a < r.nAtoms; a++) expect(atomMask[r.atoms[a]]).toBe(mask[90 * r.nAtoms + a]);
    expect(atomMaskForFrame(mask, r, 5, 2400).reduce((s, v) => s + v, 0)).toBe(0); // frame 5 not analysed
  });

  it('nearest point is the brute-force nearest within the radius', () => {
    const q = [p.x[12345] + 1e-4, p.y[12345] - 1e-4];
    const i = nearestPoint(index, p, q[0], q[1], 0.01);
    let best = -1, bd = Infinity;
    for (let k = 0; k < p.n; k++) { const dd = (p.x[k] - q[0]) ** 2 + (p.y[k] - q[1]) ** 2; if (dd < bd) { bd = dd; best = k; } }
    expect(i).toBe(best);
  });
});

describe('pointInPolygon', () => {
  const square = [0, 0, 2, 0, 2, 2, 0, 2];
  it('inside and outside a square', () => {
    expect(pointInPolygon(1, 1, square)).toBe(true);
    expect(pointInPolygon(3, 1, square)).toBe(false);
    expect(pointInPolygon(-0.1, 1, square)).toBe(false);
  });
  it('a concave "U": the notch is outside', () => {
    const u = [0, 0, 3, 0, 3, 3, 2, 3, 2, 1, 1, 1, 1, 3, 0, 3];
    expect(pointInPolygon(0.5, 2, u)).toBe(true);
    expect(pointInPolygon(1.5, 2, u)).toBe(false);
    expect(pointInPolygon(1.5, 0.5, u)).toBe(true);
    expect(pointInPolygon(2.5, 2.5, u)).toBe(true);
  });
  it('fewer than 3 vertices select nothing', () => {
    const r = smallResults();
    const p = mapPoints(r.scores, 2, 0, 1);
    expect(selectLasso(buildIndex(p), p, [0, 0, 1, 1]).reduce((s, v) => s + v, 0)).toBe(0);
  });
});

describe('small map helpers', () => {
  const r = smallResults(4, 5, [3, 7, 8, 20]);
  const p = mapPoints(r.scores, 2, 0, 1);
  it('trace path follows one atom through the frames', () => {
    const t = tracePath(p, 4, 5, 2);
    expect(Array.from(t)).toEqual([2, -0.1, 2.1, 0.9, 2.2, 1.9, 2.3, 2.9, 2.4, 3.9].map((v) => Math.fround(v)));
    expect(() => tracePath(p, 4, 5, 4)).toThrow(RangeError);
  });
  it('label strip', () => {
    expect(Array.from(labelStrip(r.analysis.cluster.labels, 4, 5, 1))).toEqual([1, 1, 2, 2, 0]);
  });
  it('pixel <-> data round trip and zoom about a point', () => {
    const d = { x0: -1, x1: 3, y0: 0, y1: 2 }, f = { left: 10, top: 5, width: 400, height: 200 };
    expect(toPixel(d, f, -1, 2)).toEqual([10, 5]);
    expect(toPixel(d, f, 3, 0)).toEqual([410, 205]);
    const [x, y] = toData(d, f, ...toPixel(d, f, 0.7, 1.3));
    expect(x).toBeCloseTo(0.7, 12); expect(y).toBeCloseTo(1.3, 12);
    expect(zoomDomain(d, 0.5, 1, 1)).toEqual({ x0: 0, x1: 2, y0: 0.5, y1: 1.5 });
  });
  it('components out of range are refused', () => {
    expect(() => mapPoints(r.scores, 2, 0, 2)).toThrow(RangeError);
  });
});
