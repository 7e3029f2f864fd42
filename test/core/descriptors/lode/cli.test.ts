import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../../src/cli/commands/lode.ts';
import { computeLode } from '../../../../src/core/descriptors/lode/lode.ts';
import { readNpy } from '../../../../src/core/io/npy.ts';
import { cellOf, flat, loadLode, type LodeFixture } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'lode-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cli -- lode', () => {
  it('writes (frames, centres, features) .npy equal to computeLode, for a periodic extended XYZ', async () => {
    const fx = loadLode<LodeFixture>('pylode_box4_NaCl_gto.json');
    const s = fx.structure, cell = cellOf(s)!, pos = flat(s.positions);
    const sym = s.atomic_numbers.map((z) => (z === 11 ? 'Na' : 'Cl'));
    const frame = (shift: number) => [
      String(sym.length),
      `Lattice="${Array.from(cell).join(' ')}" Properties=species:S:1:pos:R:3 pbc="T T T"`,
      ...sym.map((e, i) => `${e} ${pos[3 * i] + shift} ${pos[3 * i + 1]} ${pos[3 * i + 2]}`),
    ].join('\n');
    const xyz = join(dir, 'nacl.xyz'), out = join(dir, 'lode.npy');
    writeFileSync(xyz, `${frame(0)}\n${frame(0.5)}\n`);
    const code = await run([xyz, '--exponent', '6', '--smearing', '1', '--cutoff', '2', '--max-radial', '3', '--max-angular', '2',
      '--centers', '1-3', '--workers', '0', '--out', out]);
    expect(code).toBe(0);
    const arr = readNpy(new Uint8Array(readFileSync(out)), 'lode.npy');
    const params = { exponent: 6, smearing: 1, cutoff: 2, maxRadial: 3, maxAngular: 2, output: 'power-spectrum' as const };
    const ref = computeLode(pos, s.atomic_numbers, cell, [true, true, true], params, Int32Array.from([1, 2, 3]));
    expect(arr.shape).toEqual([2, 3, ref.plan.width]);
    const got = arr.data as Float64Array;
    for (let i = 0; i < ref.values.length; i++) expect(got[i]).toBeCloseTo(ref.values[i], 12);
    // the second frame is a rigid translation: same invariants
    for (let i = 0; i < ref.values.length; i++) expect(Math.abs(got[ref.values.length + i] - ref.values[i])).toBeLessThan(1e-12);
  });

  it('exits 2 with a message on bad options', async () => {
    expect(await run(['x.xyz', '--exponent', '7.5'])).toBe(2);
    expect(await run(['x.xyz', '--basis', 'spline', '--out', 'y.npy'])).toBe(2);
  });
});
