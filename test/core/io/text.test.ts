import { describe, expect, it } from 'vitest';
import { Fields, LineReader, parseInteger, parseNumber } from '../../../src/core/io/text.ts';
import { bytesSource } from '../../../src/core/io/source.ts';
import { seededRng } from './io-helpers.ts';

const enc = new TextEncoder();
function num(s: string): number {
  const b = enc.encode(s);
  return parseNumber(b, 0, b.length);
}

describe('parseNumber agrees with Number()', () => {
  it('on 100,000 random decimal literals (3-17 significant digits, exponents)', () => {
    const rng = seededRng(12345);
    let checked = 0;
    for (let k = 0; k < 100_000; k++) {
      const intDigits = Math.floor(rng() * 6);
      const fracDigits = Math.floor(rng() * 12);
      let s = rng() < 0.4 ? '-' : rng() < 0.1 ? '+' : '';
      for (let i = 0; i < intDigits; i++) s += Math.floor(rng() * 10);
      if (fracDigits > 0 || intDigits === 0) {
        s += '.';
        for (let i = 0; i < Math.max(1, fracDigits); i++) s += Math.floor(rng() * 10);
      }
      if (rng() < 0.3) s += (rng() < 0.5 ? 'e' : 'E') + (rng() < 0.5 ? '-' : '') + Math.floor(rng() * 40);
      const got = num(s);
      const want = Number(s);
      if (!Object.is(got, want)) throw new Error(`${s}: parseNumber ${got}, Number ${want}`);
      checked++;
    }
    expect(checked).toBe(100_000);
  });

  it('on printf-style coordinates (%.3f, %.6f, %.10f, %.16e)', () => {
    const rng = seededRng(7);
    const bad: string[] = [];
    for (let k = 0; k < 25_000; k++) {
      const x = (rng() - 0.5) * 200;
      for (const s of [x.toFixed(3), x.toFixed(6), x.toFixed(10), x.toExponential(16)]) {
        if (!Object.is(num(s), Number(s))) bad.push(s);
      }
    }
    expect(bad).toEqual([]);
  });

  it('on edge cases', () => {
    for (const s of ['0', '-0', '-0.0', '.5', '5.', '1e22', '1e23', '1e-22', '1e-23', '123456789012345',
      '1234567890123456', '12345678901234567890', '9007199254740993', '0.1', '0.30000000000000004',
      '1.7976931348623157e308', '5e-324', '1e400', '-1e400', '00012.5000', '2.5E+3']) {
      expect(Object.is(num(s), Number(s)), s).toBe(true);
    }
  });

  it('rejects what is not a decimal number (Number() would accept some)', () => {
    for (const s of ['', '-', '+', '.', 'e5', '1e', '1e+', '0x10', '0b1', 'Infinity', 'NaN', '1..2', '1.2.3', '--1', '1-', 'abc', '1 2']) {
      expect(num(s), s).toBeNaN();
    }
  });
});

describe('parseInteger', () => {
  it('parses signed integers and rejects the rest', () => {
    const b = (s: string) => { const u = enc.encode(s); return parseInteger(u, 0, u.length); };
    expect(b('0')).toBe(0);
    expect(b('-42')).toBe(-42);
    expect(b('+7')).toBe(7);
    expect(b('2147483647')).toBe(2147483647);
    for (const s of ['', '-', '1.0', '1e3', 'x1', '99999999999999999999']) expect(b(s), s).toBeNaN();
  });
});

describe('Fields and LineReader', () => {
  it('split whitespace fields as byte ranges', () => {
    const f = new Fields();
    const u = enc.encode('  a\tbb  ccc \r');
    expect(f.split(u, 0, u.length)).toBe(3);
    expect([f.text(0), f.text(1), f.text(2)]).toEqual(['a', 'bb', 'ccc']);
  });

  it('reads lines across chunk boundaries, CRLF, and a last line without newline', async () => {
    const text = 'first\r\nsecond line\n\nfourth-' + 'x'.repeat(50) + '\nlast';
    const r = new LineReader(bytesSource('t', enc.encode(text)), undefined, 7);
    const got: string[] = [];
    const offsets: number[] = [];
    while (await r.next()) { got.push(r.text()); offsets.push(r.offset); }
    expect(got).toEqual(text.split(/\r?\n/));
    expect(r.line).toBe(5);
    expect(offsets).toEqual([0, 7, 19, 20, 20 + 58]);
  });

  it('skip() counts lines and stops at the end', async () => {
    const r = new LineReader(bytesSource('t', enc.encode('a\nb\nc\nd')), undefined, 3);
    expect(await r.skip(2)).toBe(2);
    expect(await r.next()).toBe(true);
    expect(r.text()).toBe('c');
    expect(await r.skip(5)).toBe(1);
    expect(await r.next()).toBe(false);
  });
});
