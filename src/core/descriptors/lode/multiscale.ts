/**
 * The multi-scale rho x V invariant of lode.md §4.3:
 *   P_((a n)(b n') l) = kappa_l sum_m rho^a_(i,nlm) V^b_(i,n'lm),  kappa_l = 1/sqrt(2l+1),
 * for l <= min(L_soap, L_lode), with rho the SOAP density coefficients of the same centre.
 *
 * rho comes from the SOAP engine (soap/soap.ts soapCoefficients): layout [species][l][n][m] at
 * sp*N*(L+1)² + N*l² + n*(2l+1) + (m+l), harmonics of common/ylm.ts, i.e. already the LODE
 * convention of lode.md §1.1 (no conversion needed; soap.md §3.1). V is a LODE coefficient row
 * [species][n][lm]. Output layout [a][n][b][n'][l] (all pairs: the two factors differ).
 */
import type { LodePlan } from './lode.ts';

/** Shape of a SOAP density-coefficient block (species channels, radial functions, max degree). */
export interface DensityShape {
  readonly nSpecies: number;
  readonly nMax: number;
  readonly lMax: number;
}

/** Values per centre of multiScaleRow. */
export function multiScaleWidth(d: DensityShape, plan: LodePlan): number {
  return d.nSpecies * d.nMax * plan.nSpecies * plan.nRadial * (Math.min(d.lMax, plan.basis.lMax) + 1);
}

/** Writes one centre's rho x V invariants into out[off .. off + multiScaleWidth). No allocation. */
export function multiScaleRow(d: DensityShape, rho: ArrayLike<number>, plan: LodePlan, v: ArrayLike<number>,
  out: Float64Array, off: number): void {
  const Ls = d.lMax, Ns = d.nMax, Nv = plan.nRadial, nLm = plan.nLm, lTop = Math.min(Ls, plan.basis.lMax);
  const rhoSp = Ns * (Ls + 1) * (Ls + 1);
  let o = off;
  for (let a = 0; a < d.nSpecies; a++) {
    for (let n = 0; n < Ns; n++) {
      for (let b = 0; b < plan.nSpecies; b++) {
        for (let q = 0; q < Nv; q++) {
          const vb = (b * Nv + q) * nLm;
          for (let l = 0; l <= lTop; l++) {
            const rb = a * rhoSp + Ns * l * l + n * (2 * l + 1);
            const vl = vb + l * l;
            let sum = 0;
            for (let m = 0; m <= 2 * l; m++) sum += rho[rb + m] * v[vl + m];
            out[o++] = sum / Math.sqrt(2 * l + 1);
          }
        }
      }
    }
  }
}
