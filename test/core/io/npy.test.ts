import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../../src/core/io/npy.ts';
import { readSharedNpy } from '../../helpers/shared.ts';

describe('npy', () => {
  it('round-trips float64, float32 and int32 arrays with their shapes', () => {
    const f8 = new Float64Array([1.5, -2.25, 3e-300, Math.PI, 0, 7]);
    const back = readNpy(writeNpy(f8, [2, 3]));
    expect(back.dtype).toBe('f8');
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(f8));
    const i4 = new Int32Array([-1, 0, 5]);
    const b2 = readNpy(writeNpy(i4, [3]));
    expect(b2.dtype).toBe('i4');
    expect(b2.shape).toEqual([3]);
    expect(Array.from(b2.data)).toEqual([-1, 0, 5]);
    const f4 = readNpy(writeNpy(new Float32Array([0.5, 0.25]), [1, 2]));
    expect(f4.dtype).toBe('f4');
    expect(Array.from(f4.data)).toEqual([0.5, 0.25]);
  });

  it('writes headers padded to 64 bytes as numpy expects', () => {
    const bytes = writeNpy(new Float64Array(4), [4]);
    expect((bytes.length - 32) % 64).toBe(0);
    expect(bytes[bytes.length - 32 - 1]).toBe(0x0a);
  });

  it('reads a reference fixture written by numpy (dynsight LENS, 7 x 200 float64)', () => {
    const a = readSharedNpy('data', 'reference_toy_dynsight', 'lens.npy');
    expect(a.dtype).toBe('f8');
    expect(a.shape).toEqual([7, 200]);
    for (const v of a.data) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('rejects a file that is not npy with the project error', () => {
    expect(() => readNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'junk.npy')).toThrow(/junk\.npy \(byte 0\): expected the NumPy magic/);
  });
});
