/**
 * Generalised LODE(p) descriptors (lode.md): the projection of the smeared 1/r^p potential of each
 * neighbour species onto R_nl(r) Y_lm(rhat) around each centre, and its invariants (§4).
 *
 *   planLode(params) -> createLodeScratch(plan) -> lodeFrame(plan, frame, centres, out, outOffset, scratch)
 *
 * Periodic frames (cell and pbc on all three axes) use the reciprocal-space sum (§2.1); frames with
 * no cell or no periodicity use the real-space pair integrals with the multipole far field (§2.2,
 * §2.3). Mixed periodicity (slabs) is not defined by the spec and is refused.
 */
import { createYlmTable, sphericalHarmonics, type YlmTable } from '../common/ylm.ts';
import { buildPairIntegralTable, createPairIntegralRule, farFieldCoefficients, farFieldPairIntegrals, farFieldSwitch,
  interpolatePairIntegrals, pairIntegrals, type PairIntegralRule, type PairIntegralTable } from './finite.ts';
import { buildKSpace, createPeriodicWork, periodicCoefficients, type KSpace, type PeriodicWork } from './periodic.ts';
import { centerContribution, createRadialBasis, radialIntegralsAtK, radialQuadrature, type LodeRadialBasis,
  type LodeRadialBasisKind, type RadialQuadrature } from './radial.ts';
import { smearedKernelFourierAtZero } from './special.ts';

/** What one row of output holds. */
export type LodeOutput = 'coefficients' | 'lambda0' | 'power-spectrum';

/** Hyperparameters, named as in lode.md §3 (featomic/pyLODE meaning given per field). */
export interface LodeParams {
  /** p: the potential exponent, integer 1..6 (1 electrostatic, 6 dispersion). */
  exponent: number;
  /** sigma (Å): smearing of the kernel (featomic density.smearing, pyLODE smearing). */
  smearing: number;
  /** r_c (Å): basis radius (featomic basis.radial.radius, pyLODE radial_basis_radius). */
  cutoff: number;
  /** N: the NUMBER of radial functions (pyLODE / rascaline-2023 max_radial; featomic's is N - 1). Ignored for monomial (1). */
  maxRadial: number;
  /** L: the largest angular momentum. */
  maxAngular: number;
  /** Neighbour species channels as atomic numbers, ascending (lode.md §1.1: union over the trajectory). */
  species: readonly number[];
  /** 'gto' (default; featomic Gto, pyLODE gto_analytical) or 'monomial' (pyLODE monomial). */
  radialBasis?: LodeRadialBasisKind;
  /** k_c (1/Å), default 1.2 pi / smearing; strict |k| < k_c. */
  kCutoff?: number;
  /** w: weight of the centre atom's own contribution (default 1; pyLODE subtract_center_contribution = w 0). */
  centerAtomWeight?: number;
  /** Row content (default 'coefficients'). */
  output?: LodeOutput;
  /**
   * Open boundaries: interpolate the pair integrals from a table (default true, fast) or integrate
   * every pair distance directly (slow reference path).
   */
  pairTable?: boolean;
}

/** Default k cutoff factor: k_c = 1.2 pi / sigma (lode.md §2.1, both reference codes). */
export const DEFAULT_K_CUTOFF_FACTOR = 1.2 * Math.PI;

export interface LodePlan {
  readonly params: Readonly<Required<Omit<LodeParams, 'species'>>> & { readonly species: readonly number[] };
  readonly basis: LodeRadialBasis;
  readonly nSpecies: number;
  /** Radial functions per l (N, or 1 for monomial). */
  readonly nRadial: number;
  /** (L+1)². */
  readonly nLm: number;
  /** Coefficients per centre: nSpecies x nRadial x (L+1)². */
  readonly coeffWidth: number;
  /** Values per output row (depends on params.output). */
  readonly width: number;
  /** C_n of §1.5. */
  readonly centerC: Float64Array;
  /** I_n0(0) (for the p > 3 k = 0 term). */
  readonly i0: Float64Array;
  /** Radial quadrature resolving k up to k_c. */
  readonly quad: RadialQuadrature;
  /** Pair-integral rule of the open-boundary path. */
  readonly pairRule: PairIntegralRule;
  /** Open boundaries: d_sw and the far-field coefficients A_(nl,k) ([l][n][k]) used beyond it. */
  readonly dSwitch: number;
  readonly farField: Float64Array;
  /** Lazily built at the first pair closer than d_sw (deterministic; shared by every scratch). */
  pairTable: PairIntegralTable | null;
}

export interface LodeScratch {
  kspace: KSpace | null;
  readonly periodic: PeriodicWork;
  readonly ylmTable: YlmTable;
  readonly ylm: Float64Array;
  readonly pair: Float64Array;
  readonly w6: Float64Array;
  coeffs: Float64Array;
  /** Open boundaries: output row of each atom (-1 = not a centre). */
  rowOf: Int32Array;
}

/** Validates params and precomputes everything that does not depend on a frame. Throws RangeError. */
export function planLode(params: LodeParams): LodePlan {
  const p = params.exponent;
  if (!Number.isInteger(p) || p < 1 || p > 6) throw new RangeError(`LODE exponent p must be an integer 1..6, got ${p}`);
  const sigma = params.smearing;
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`LODE smearing must be > 0, got ${sigma}`);
  const kind = params.radialBasis ?? 'gto';
  const species = [...params.species];
  if (species.length === 0) throw new RangeError('LODE needs at least one species');
  for (let i = 0; i < species.length; i++) {
    if (!Number.isInteger(species[i]) || species[i] < 0) throw new RangeError(`LODE species must be atomic numbers, got ${species[i]}`);
    if (i > 0 && species[i] <= species[i - 1]) throw new RangeError('LODE species must be strictly ascending atomic numbers');
  }
  const kCutoff = params.kCutoff ?? DEFAULT_K_CUTOFF_FACTOR / sigma;
  if (!(kCutoff > 0) || !Number.isFinite(kCutoff)) throw new RangeError(`LODE kCutoff must be > 0, got ${kCutoff}`);
  const w = params.centerAtomWeight ?? 1;
  if (!Number.isFinite(w)) throw new RangeError(`LODE centerAtomWeight must be finite, got ${w}`);
  const output = params.output ?? 'coefficients';
  if (output !== 'coefficients' && output !== 'lambda0' && output !== 'power-spectrum') throw new RangeError(`unknown LODE output ${String(output)}`);
  const basis = createRadialBasis(kind, kind === 'monomial' ? 1 : params.maxRadial, params.maxAngular, params.cutoff);
  const N = basis.nRadial, L = basis.lMax, nLm = (L + 1) * (L + 1), nS = species.length;
  const coeffWidth = nS * N * nLm;
  const K = nS * N;
  const width = output === 'coefficients' ? coeffWidth : output === 'lambda0' ? nS * N : ((K * (K + 1)) / 2) * (L + 1);
  const quad = radialQuadrature(basis, sigma, kCutoff);
  const i0 = radialIntegralsAtK(new Float64Array((L + 1) * N), basis, quad, 0, new Float64Array(L + 2)).slice(0, N);
  return {
    params: { exponent: p, smearing: sigma, cutoff: params.cutoff, maxRadial: N, maxAngular: L, species, radialBasis: kind,
      kCutoff, centerAtomWeight: w, output, pairTable: params.pairTable ?? true },
    basis, nSpecies: nS, nRadial: N, nLm, coeffWidth, width,
    centerC: centerContribution(basis, p, sigma), i0, quad, pairRule: createPairIntegralRule(basis, p, sigma),
    dSwitch: farFieldSwitch(basis, sigma), farField: farFieldCoefficients(basis, p, sigma), pairTable: null,
  };
}

export function createLodeScratch(plan: LodePlan): LodeScratch {
  const L = plan.basis.lMax, W = (L + 1) * plan.nRadial;
  return {
    kspace: null, periodic: createPeriodicWork(), ylmTable: createYlmTable(L), ylm: new Float64Array(plan.nLm),
    pair: new Float64Array(W), w6: new Float64Array(6), coeffs: new Float64Array(0), rowOf: new Int32Array(0),
  };
}

/** One frame: positions (3N, Å), cell rows (9) or null, pbc, and each atom's species CHANNEL index (0..nSpecies-1, -1 = ignored). */
export interface LodeFrameInput {
  positions: Float64Array;
  cell: Float64Array | null;
  pbc: readonly [boolean, boolean, boolean];
  speciesIndex: Int32Array;
}

function isPeriodic(f: LodeFrameInput): boolean {
  const all = f.pbc[0] && f.pbc[1] && f.pbc[2];
  const any = f.pbc[0] || f.pbc[1] || f.pbc[2];
  if (f.cell && any && !all) throw new RangeError('LODE: mixed periodicity (e.g. slabs) is not supported; use all-periodic or open boundaries');
  return !!f.cell && all;
}

function sameCell(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < 9; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes centres.length rows of plan.width values, row-major, from out[outOffset]. Coefficient
 * rows are [species a][n][lm] (lm = l² + l + m, lode.md §1.1 harmonics, pair vector r_j - r_i);
 * lambda0 rows [a][n]; power-spectrum rows [pair][l] with pairs (a,n) <= (b,n') in a*N + n.
 * `out` is owned by the caller; the scratch is reused (one per thread).
 */
export function lodeFrame(plan: LodePlan, frame: LodeFrameInput, centres: Int32Array, out: Float64Array, outOffset: number,
  s: LodeScratch): void {
  const nAtoms = frame.speciesIndex.length;
  if (frame.positions.length < 3 * nAtoms) throw new RangeError(`LODE: ${nAtoms} atoms need ${3 * nAtoms} coordinates, got ${frame.positions.length}`);
  for (let c = 0; c < centres.length; c++) {
    if (!(centres[c] >= 0 && centres[c] < nAtoms)) throw new RangeError(`LODE: centre ${centres[c]} out of range 0..${nAtoms - 1}`);
  }
  for (let j = 0; j < nAtoms; j++) {
    if (frame.speciesIndex[j] >= plan.nSpecies) throw new RangeError(`LODE: species index ${frame.speciesIndex[j]} >= ${plan.nSpecies}`);
    if (!Number.isFinite(frame.positions[3 * j]) || !Number.isFinite(frame.positions[3 * j + 1]) || !Number.isFinite(frame.positions[3 * j + 2])) {
      throw new RangeError(`LODE: atom ${j} has a non-finite position`);
    }
  }
  const cw = plan.coeffWidth;
  const direct = plan.params.output === 'coefficients';
  let dst = out, dOff = outOffset;
  if (!direct) {
    if (s.coeffs.length < centres.length * cw) s.coeffs = new Float64Array(centres.length * cw);
    dst = s.coeffs; dOff = 0;
  }
  if (isPeriodic(frame)) periodicFrame(plan, frame, centres, dst, dOff, s);
  else finiteFrame(plan, frame, centres, dst, dOff, s);
  if (!direct) {
    for (let c = 0; c < centres.length; c++) {
      const src = dst.subarray(c * cw, (c + 1) * cw);
      if (plan.params.output === 'lambda0') lambda0Row(plan, src, out, outOffset + c * plan.width);
      else powerSpectrumRow(plan, src, src, out, outOffset + c * plan.width);
    }
  }
}

function periodicFrame(plan: LodePlan, f: LodeFrameInput, centres: Int32Array, out: Float64Array, off: number, s: LodeScratch): void {
  const cell = f.cell!;
  const P = plan.params;
  if (!s.kspace || !sameCell(s.kspace.cell, cell)) {
    s.kspace = buildKSpace(cell, plan.basis, plan.quad, P.exponent, P.smearing, P.kCutoff);
  }
  const nAtoms = f.speciesIndex.length;
  // atoms of an ignored species (-1) do not contribute: give them a dummy channel past the end
  let idx = f.speciesIndex;
  let nS = plan.nSpecies;
  for (let j = 0; j < nAtoms; j++) if (idx[j] < 0) { idx = Int32Array.from(idx, (v) => (v < 0 ? plan.nSpecies : v)); nS += 1; break; }
  if (nS === plan.nSpecies) {
    periodicCoefficients(s.kspace, f.positions, nAtoms, idx, nS, centres, out, off, plan.coeffWidth, s.periodic);
  } else {
    const wide = (plan.nSpecies + 1) * plan.nRadial * plan.nLm;
    const tmp = new Float64Array(centres.length * wide);
    periodicCoefficients(s.kspace, f.positions, nAtoms, idx, nS, centres, tmp, 0, wide, s.periodic);
    for (let c = 0; c < centres.length; c++) out.set(tmp.subarray(c * wide, c * wide + plan.coeffWidth), off + c * plan.coeffWidth);
  }
  const N = plan.nRadial, nLm = plan.nLm, p = P.exponent;
  const counts = new Float64Array(plan.nSpecies);
  for (let j = 0; j < nAtoms; j++) if (f.speciesIndex[j] >= 0) counts[f.speciesIndex[j]]++;
  const f0 = p > 3 ? smearedKernelFourierAtZero(p, P.smearing) : 0;
  const k0 = (Math.sqrt(4 * Math.PI) * f0) / s.kspace.volume;
  for (let c = 0; c < centres.length; c++) {
    const row = off + c * plan.coeffWidth;
    const own = f.speciesIndex[centres[c]];
    for (let a = 0; a < plan.nSpecies; a++) {
      for (let n = 0; n < N; n++) {
        let add = p > 3 ? counts[a] * k0 * plan.i0[n] : 0;
        if (a === own) add -= (1 - P.centerAtomWeight) * plan.centerC[n];
        out[row + (a * N + n) * nLm] += add;
      }
    }
  }
}

function finiteFrame(plan: LodePlan, f: LodeFrameInput, centres: Int32Array, out: Float64Array, off: number, s: LodeScratch): void {
  const P = plan.params, N = plan.nRadial, L = plan.basis.lMax, nLm = plan.nLm, cw = plan.coeffWidth, p = P.exponent;
  const useTable = P.pairTable, dSwitch = plan.dSwitch;
  const pos = f.positions, sp = f.speciesIndex, nAtoms = sp.length;
  const ylm = s.ylm, pair = s.pair;
  if (s.rowOf.length < nAtoms) s.rowOf = new Int32Array(nAtoms);
  const rowOf = s.rowOf;
  rowOf.fill(-1, 0, nAtoms);
  for (let c = 0; c < centres.length; c++) {
    rowOf[centres[c]] = c;
    out.fill(0, off + c * cw, off + (c + 1) * cw);
  }
  // Each unordered pair once: Itilde_nl(d) is shared, and Y_lm(r_ji) = (-1)^l Y_lm(r_ij).
  for (let i = 0; i < nAtoms; i++) {
    const ri = rowOf[i], ai = sp[i];
    const xi = pos[3 * i], yi = pos[3 * i + 1], zi = pos[3 * i + 2];
    for (let j = i + 1; j < nAtoms; j++) {
      const rj = rowOf[j], aj = sp[j];
      // i's row receives j's channel (needs aj >= 0), j's row receives i's channel
      const toI = ri >= 0 && aj >= 0, toJ = rj >= 0 && ai >= 0;
      if (!toI && !toJ) continue;
      const dx = pos[3 * j] - xi, dy = pos[3 * j + 1] - yi, dz = pos[3 * j + 2] - zi;
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (d >= dSwitch) farFieldPairIntegrals(pair, plan.farField, L, N, p, d);
      else if (useTable) interpolatePairIntegrals(pair, plan.pairTable ?? (plan.pairTable = buildPairIntegralTable(plan.pairRule)), L, N, d, s.w6);
      else pairIntegrals(pair, plan.pairRule, d);
      const oI = off + ri * cw + aj * N * nLm, oJ = off + rj * cw + ai * N * nLm;
      if (d === 0) {
        // coincident atoms: only l = 0 survives (Itilde_nl(0) = 0 for l > 0)
        for (let n = 0; n < N; n++) {
          if (toI) out[oI + n * nLm] += pair[n] * Y00;
          if (toJ) out[oJ + n * nLm] += pair[n] * Y00;
        }
        continue;
      }
      sphericalHarmonics(ylm, s.ylmTable, dx, dy, dz);
      for (let l = 0; l <= L; l++) {
        const l0 = l * l, l1 = l0 + 2 * l + 1, sign = l % 2 === 0 ? 1 : -1;
        for (let n = 0; n < N; n++) {
          const r = pair[l * N + n], o = n * nLm;
          if (toI) for (let lm = l0; lm < l1; lm++) out[oI + o + lm] += r * ylm[lm];
          if (toJ) {
            const rs = r * sign;
            for (let lm = l0; lm < l1; lm++) out[oJ + o + lm] += rs * ylm[lm];
          }
        }
      }
    }
  }
  for (let c = 0; c < centres.length; c++) {
    const own = sp[centres[c]], row = off + c * cw, first = rowOf[centres[c]];
    // a centre listed twice: its earlier rows were not filled by the pair loop
    if (first !== c) out.copyWithin(row, off + first * cw, off + (first + 1) * cw);
    if (own >= 0) for (let n = 0; n < N; n++) out[row + (own * N + n) * nLm] += P.centerAtomWeight * plan.centerC[n];
  }
}

const Y00 = 1 / (2 * Math.sqrt(Math.PI));

/** lambda = 0 invariants c^a_(n00) (lode.md §4.1) of one coefficient row into out[off .. off + nSpecies*N]. */
export function lambda0Row(plan: LodePlan, coeffs: ArrayLike<number>, out: Float64Array, off: number): void {
  const K = plan.nSpecies * plan.nRadial;
  for (let q = 0; q < K; q++) out[off + q] = coeffs[q * plan.nLm];
}

/**
 * Power spectrum P_((a n)(b n') l) = kappa_l sum_m x^a_nlm y^b_n'lm, kappa_l = 1/sqrt(2l+1)
 * (lode.md §4.2, pyLODE's sign), over pairs (a,n) <= (b,n') of the flat index a*N + n, layout
 * [pair][l]. With x = y = c this is V x V.
 */
export function powerSpectrumRow(plan: LodePlan, x: ArrayLike<number>, y: ArrayLike<number>, out: Float64Array, off: number): void {
  const K = plan.nSpecies * plan.nRadial, L = plan.basis.lMax, nLm = plan.nLm;
  let o = off;
  for (let q1 = 0; q1 < K; q1++) {
    for (let q2 = q1; q2 < K; q2++) {
      const b1 = q1 * nLm, b2 = q2 * nLm;
      for (let l = 0; l <= L; l++) {
        let sum = 0;
        for (let lm = l * l; lm < (l + 1) * (l + 1); lm++) sum += x[b1 + lm] * y[b2 + lm];
        out[o++] = sum / Math.sqrt(2 * l + 1);
      }
    }
  }
}

/** Channel index per atom for the plan's species (atomic numbers); atoms of other species get -1 when `ignoreOthers`, else RangeError. */
export function speciesChannels(plan: LodePlan, atomicNumbers: ArrayLike<number>, ignoreOthers = false): Int32Array {
  const idx = new Int32Array(atomicNumbers.length);
  for (let j = 0; j < atomicNumbers.length; j++) {
    const k = plan.params.species.indexOf(atomicNumbers[j]);
    if (k < 0 && !ignoreOthers) throw new RangeError(`LODE: atom ${j} has atomic number ${atomicNumbers[j]}, not among species [${plan.params.species.join(', ')}]`);
    idx[j] = k;
  }
  return idx;
}

/**
 * Convenience: LODE rows for one structure. `species` are atomic numbers per atom; params.species
 * defaults to their sorted union. Returns centres.length x plan.width values and the plan.
 */
export function computeLode(positions: Float64Array, species: ArrayLike<number>, cell: Float64Array | null,
  pbc: readonly [boolean, boolean, boolean], params: Omit<LodeParams, 'species'> & { species?: readonly number[] },
  centres?: Int32Array): { values: Float64Array; plan: LodePlan } {
  const speciesList = params.species ?? [...new Set(Array.from(species))].sort((a, b) => a - b);
  const plan = planLode({ ...params, species: speciesList });
  const cs = centres ?? Int32Array.from({ length: species.length }, (_, i) => i);
  const values = new Float64Array(cs.length * plan.width);
  lodeFrame(plan, { positions, cell, pbc, speciesIndex: speciesChannels(plan, species) }, cs, values, 0, createLodeScratch(plan));
  return { values, plan };
}
