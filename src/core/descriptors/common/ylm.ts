/**
 * Real spherical harmonics by Cartesian recurrence (soap.md §3.1, lode.md §1.1), shared by SOAP and
 * LODE. Convention: associated Legendre functions WITHOUT the Condon-Shortley phase,
 * N_lm = sqrt((2l+1)/(4 pi) (l-m)!/(l+m)!),
 *   Y_l0 = N_l0 P_l(cos t),
 *   Y_lm = sqrt(2) N_lm P_l^m(cos t) cos(m phi)       (m > 0),
 *   Y_lm = sqrt(2) N_l|m| P_l^|m|(cos t) sin(|m| phi) (m < 0).
 * This equals dscribe's sqrt(2)(-1)^m Re/Im of the Condon-Shortley complex harmonics.
 * Column order: index l*l + l + m (m = -l..l), (lMax+1)² values.
 * Checks: l = 1 -> sqrt(3/(4 pi)) (y, z, x)/r.
 *
 * Solid harmonics r^l Y_lm(rhat) are polynomials in x, y, z, evaluated with no trig and no
 * division (well defined at r = 0, where only l = 0 survives: Y_00 = 1/(2 sqrt(pi))).
 */

export interface YlmTable {
  readonly lMax: number;
  /**
   * Recurrence of the normalised Pbar_l^m = N_lm Q_l^m at index l*(l+1)/2 + m (l >= m + 2):
   * Pbar_l^m = a z Pbar_{l-1}^m - b r² Pbar_{l-2}^m.
   */
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** Diagonal ratios Pbar_m^m / Pbar_{m-1}^{m-1} = sqrt((2m+1)/(2m)), m = 1..lMax. */
  readonly diag: Float64Array;
}

/** Precomputes the constants of the recurrence for degrees 0..lMax (lMax <= 40). */
export function createYlmTable(lMax: number): YlmTable {
  if (!Number.isInteger(lMax) || lMax < 0 || lMax > 40) throw new RangeError(`lMax must be an integer in 0..40, got ${lMax}`);
  const size = ((lMax + 1) * (lMax + 2)) / 2;
  const norm = new Float64Array(size), a = new Float64Array(size), b = new Float64Array(size);
  for (let l = 0; l <= lMax; l++) {
    for (let m = 0; m <= l; m++) {
      // (l-m)!/(l+m)! as a product, to stay finite for large l.
      let ratio = 1;
      for (let k = l - m + 1; k <= l + m; k++) ratio /= k;
      norm[(l * (l + 1)) / 2 + m] = Math.sqrt(((2 * l + 1) / (4 * Math.PI)) * ratio);
    }
  }
  const tri = (l: number, m: number) => (l * (l + 1)) / 2 + m;
  for (let l = 2; l <= lMax; l++) {
    for (let m = 0; m <= l - 2; m++) {
      a[tri(l, m)] = ((2 * l - 1) / (l - m)) * (norm[tri(l, m)] / norm[tri(l - 1, m)]);
      b[tri(l, m)] = ((l + m - 1) / (l - m)) * (norm[tri(l, m)] / norm[tri(l - 2, m)]);
    }
  }
  const diag = new Float64Array(lMax + 1);
  for (let m = 1; m <= lMax; m++) diag[m] = Math.sqrt((2 * m + 1) / (2 * m));
  return { lMax, a, b, diag };
}

const Y00 = 1 / (2 * Math.sqrt(Math.PI));

/**
 * Writes r^l Y_lm(rhat) for l = 0..t.lMax into out[outOffset + (l*l + l + m)*stride] ((lMax+1)²
 * values) for the vector (x, y, z) in Å. No allocation. stride > 1 fills one column of a
 * column-major batch.
 *
 * Q_l^m(z, r²) = r^(l-m) P_l^m(z/r)/sin^m obeys Q_m^m = (2m-1)!!, Q_{m+1}^m = (2m+1) z Q_m^m,
 * Q_l^m = ((2l-1) z Q_{l-1}^m - (l+m-1) r² Q_{l-2}^m)/(l-m); here it runs normalised, one m at a
 * time in registers, times (x + i y)^m = C_m + i S_m.
 */
export function solidHarmonics(out: Float64Array, t: YlmTable, x: number, y: number, z: number, outOffset = 0, stride = 1): void {
  const L = t.lMax, ta = t.a, tb = t.b, diag = t.diag;
  const r2 = x * x + y * y + z * z;
  let cm = 1, sm = 0, pmm = Y00;
  for (let m = 0; m <= L; m++) {
    if (m > 0) {
      const c = x * cm - y * sm;
      sm = x * sm + y * cm;
      cm = c;
      pmm *= diag[m];
    }
    // m > 0 carries sqrt(2) (real harmonics); the recurrence is linear, so scale its seeds.
    let p2 = m > 0 ? pmm * Math.SQRT2 : pmm;
    if (m === 0) out[outOffset] = p2;
    else {
      const o = outOffset + (m * m + m) * stride, d = m * stride;
      out[o + d] = p2 * cm; out[o - d] = p2 * sm;
    }
    if (m === L) break;
    let p1 = Math.sqrt(2 * m + 3) * z * p2;
    {
      const l = m + 1, o = outOffset + (l * l + l) * stride;
      if (m === 0) out[o] = p1;
      else { const d = m * stride; out[o + d] = p1 * cm; out[o - d] = p1 * sm; }
    }
    for (let l = m + 2; l <= L; l++) {
      const i = (l * (l + 1)) / 2 + m;
      const p = ta[i] * z * p1 - tb[i] * r2 * p2;
      const o = outOffset + (l * l + l) * stride;
      if (m === 0) out[o] = p;
      else { const d = m * stride; out[o + d] = p * cm; out[o - d] = p * sm; }
      p2 = p1; p1 = p;
    }
  }
}

/** Y_lm(rhat) of a direction (x, y, z) (need not be unit; must be non-zero): solid harmonics / r^l. */
export function sphericalHarmonics(out: Float64Array, t: YlmTable, x: number, y: number, z: number, outOffset = 0): void {
  const r = Math.sqrt(x * x + y * y + z * z);
  if (r === 0) throw new RangeError('spherical harmonics of a zero vector are undefined');
  solidHarmonics(out, t, x / r, y / r, z / r, outOffset);
}
