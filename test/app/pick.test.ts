import { describe, expect, it } from 'vitest';
import { pickSphere } from '../../src/app/viewer/pick.ts';

describe('pickSphere', () => {
  // three unit spheres on the z axis at z = -5, -10 and one off axis at x = 3, z = -2
  const pos = Float32Array.from([0, 0, -10, 0, 0, -5, 3, 0, -2]);
  const radii = Float32Array.from([1, 1, 1]);

  it('returns the nearest sphere along the ray', () => {
    expect(pickSphere(pos, radii, 1, 3, 0, 0, 0, 0, 0, -1)).toBe(1);
    // from behind (looking along +z from z = -20): the far one of before is now first
    expect(pickSphere(pos, radii, 1, 3, 0, 0, -20, 0, 0, 1)).toBe(0);
  });

  it('misses by the radius, times the scale', () => {
    // a ray parallel to the axis at x = 1.5 misses unit spheres, hits them at scale 2
    expect(pickSphere(pos, radii, 1, 3, 1.5, 0, 0, 0, 0, -1)).toBe(-1);
    // at scale 2 the off-axis sphere (x = 3, z = -2) is met first, at z = -(2 - sqrt(4 - 1.5^2)) = -0.68
    expect(pickSphere(pos, radii, 2, 3, 1.5, 0, 0, 0, 0, -1)).toBe(2);
  });

  it('grazes: a ray exactly at the radius still hits', () => {
    expect(pickSphere(pos, radii, 1, 3, 1, 0, 0, 0, 0, -1)).toBe(1);
  });

  it('ignores spheres behind the origin and atoms beyond n', () => {
    expect(pickSphere(pos, radii, 1, 3, 0, 0, -7, 0, 0, -1)).toBe(0);
    expect(pickSphere(pos, radii, 1, 1, 0, 0, 0, 0, 0, -1)).toBe(0);
    expect(pickSphere(pos, radii, 1, 3, 0, 0, 0, 0, 0, 1)).toBe(-1);
  });

  it('takes the nearest of many candidates on a diagonal ray', () => {
    const n = 1000;
    const p = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) { p[3 * i] = i; p[3 * i + 1] = i; p[3 * i + 2] = i; }
    const r = new Float32Array(n).fill(0.5);
    const s = 1 / Math.sqrt(3);
    // from (-10,-10,-10) towards +(1,1,1): atom 0 is the first on the line
    expect(pickSphere(p, r, 1, n, -10, -10, -10, s, s, s)).toBe(0);
    // from (500.2, 500.2, 500.2): atom 500's centre is behind, 501 is ahead
    expect(pickSphere(p, r, 1, n, 500.2, 500.2, 500.2, s, s, s)).toBe(501);
  });
});
