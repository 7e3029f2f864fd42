import { describe, expect, it } from 'vitest';
import { fmtBytes, fmtInt, fmtNum, frameCounterText, frameTimePs } from '../../src/app/format.ts';

describe('text formatters', () => {
  it('counts frames from 1 for people', () => {
    expect(frameCounterText(0, 300)).toBe('frame 1 / 300');
    expect(frameCounterText(299, 300)).toBe('frame 300 / 300');
    expect(frameCounterText(0, 0)).toBe('no frames');
  });

  it('takes the frame time first, then index x timestep, else nothing', () => {
    expect(frameTimePs(4, 12.5, 0.5)).toBe(12.5);
    expect(frameTimePs(4, undefined, 0.5)).toBe(2);
    expect(frameTimePs(4, Number.NaN, undefined)).toBeNull();
    expect(frameTimePs(4, undefined, undefined)).toBeNull();
  });

  it('formats numbers, counts and sizes', () => {
    expect(fmtInt(97556)).toBe('97,556');
    expect(fmtNum(3.21149)).toBe('3.211');
    expect(fmtNum(-0.0004)).toBe('-4.00e-4');
    expect(fmtNum(123456)).toBe('1.23e+5');
    expect(fmtNum(0)).toBe('0.000');
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(8166195)).toBe('7.8 MB');
  });
});
