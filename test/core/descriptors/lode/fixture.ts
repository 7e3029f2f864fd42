/** Helpers shared by the LODE tests: fixture loading, flattening, tolerance checks with worst-entry reports. */
import { expect } from 'vitest';
import { readSharedJson, readSharedNpy } from '../../../helpers/shared.ts';
import type { LodeParams } from '../../../../src/core/descriptors/lode/lode.ts';

export interface Hypers {
  potential_exponent_p: number; smearing_sigma: number; radial_basis: 'gto' | 'monomial'; n_radial_functions: number;
  basis_radius_rc: number; max_angular_L: number; k_cutoff: number | null; center_atom_weight_w: number;
}
export interface Structure { n_atoms?: number; atomic_numbers: number[]; positions: number[][] | string; cell: number[][] | null; pbc: boolean[] }
export interface ResultEntry {
  exponent_p: number; center_atom_weight_w?: number; hypers: { common: Hypers }; n_kvectors?: number;
  center_contribution_C_n: number[];
  coefficients: unknown; invariants?: { direct_lambda0: unknown; power_spectrum: unknown };
}
export interface LodeFixture { structure: Structure; species_order: number[]; basis: string; results: ResultEntry[] }

export function loadLode<T = LodeFixture>(name: string): T {
  return readSharedJson<T>('fixtures', 'lode', name);
}

export function loadNpy(name: string): Float64Array {
  const a = readSharedNpy('fixtures', 'lode', name);
  return Float64Array.from(a.data as ArrayLike<number>);
}

export function flat(x: unknown): Float64Array {
  const out: number[] = [];
  const walk = (v: unknown): void => { if (Array.isArray(v)) v.forEach(walk); else out.push(v as number); };
  walk(x);
  return Float64Array.from(out);
}

export function paramsOf(h: Hypers, species: number[]): LodeParams {
  return {
    exponent: h.potential_exponent_p, smearing: h.smearing_sigma, cutoff: h.basis_radius_rc, maxRadial: h.n_radial_functions,
    maxAngular: h.max_angular_L, radialBasis: h.radial_basis, kCutoff: h.k_cutoff ?? undefined,
    centerAtomWeight: h.center_atom_weight_w, species,
  };
}

export function cellOf(s: Structure): Float64Array | null {
  return s.cell ? flat(s.cell) : null;
}

/** |got - ref| <= rel |ref| + abs elementwise; reports the worst entry; returns the worst |got - ref|. */
export function expectClose(got: ArrayLike<number>, ref: ArrayLike<number>, rel: number, abs: number, what: string): number {
  expect(got.length, `${what}: length`).toBe(ref.length);
  let worst = -Infinity, wi = -1, maxErr = 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i] - ref[i]);
    if (!(err <= rel * Math.abs(ref[i]) + abs)) { // NaN-safe
      const excess = Number.isNaN(err) ? Infinity : err - (rel * Math.abs(ref[i]) + abs);
      if (excess > worst) { worst = excess; wi = i; }
    }
    if (err > maxErr || Number.isNaN(err)) maxErr = Number.isNaN(err) ? Infinity : err;
  }
  expect(wi, `${what}: worst entry ${wi}: got ${got[wi]} ref ${ref[wi]}`).toBe(-1);
  return maxErr;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
