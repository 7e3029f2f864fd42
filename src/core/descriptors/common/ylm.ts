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
  /** Per (l, m >= 0) at index l*(l+1)/2 + m: normalisation N_lm, times sqrt(2) for m > 0. */
  readonly norm: Float64Array;
  /** Recurrence coefficients for Q_l^m, l >= m + 2: (2l-1)/(l-m) and (l+m-1)/(l-m). */
  readonly ca: Float64Array;
  readonly cb: Float64Array;
  /** Scratch: Q_l^m (index l*(l+1)/2 + m), cos-part C_m and sin-part S_m of (x + i y)^m. */
  readonly q: Float64Array;
  readonly cm: Float64Array;
  readonly sm: Float64Array;
}

/** Precomputes the constants of the recurrence for degrees 0..lMax (lMax <= 40). */
export function createYlmTable(lMax: number): YlmTable {
  if (!Number.isInteger(lMax) || lMax < 0 || lMax > 40) throw new RangeError(`lMax must be an integer in 0..40, got ${lMax}`);
  const size = ((lMax + 1) * (lMax + 2)) / 2;
  const norm = new Float64Array(size), ca = new Float64Array(size), cb = new Float64Array(size);
  for (let l = 0; l <= lMax; l++) {
    for (let m = 0; m <= l; m++) {
      // (l-m)!/(l+m)! as a product, to stay finite for large l.
      let ratio = 1;
      for (let k = l - m + 1; k <= l + m; k++) ratio /= k;
      const i = (l * (l + 1)) / 2 + m;
      norm[i] = Math.sqrt(((2 * l + 1) / (4 * Math.PI)) * ratio) * (m > 0 ? Math.SQRT2 : 1);
      if (l >= m + 2) { ca[i] = (2 * l - 1) / (l - m); cb[i] = (l + m - 1) / (l - m); }
    }
  }
  return { lMax, norm, ca, cb, q: new Float64Array(size), cm: new Float64Array(lMax + 1), sm: new Float64Array(lMax + 1) };
}

/**
 * Writes r^l Y_lm(rhat) for l = 0..t.lMax into out[outOffset + (l*l + l + m)*stride] ((lMax+1)²
 * values) for the vector (x, y, z) in Å. No allocation; uses the table's scratch (one table per
 * thread). stride > 1 fills one column of a column-major batch.
 */
export function solidHarmonics(out: Float64Array, t: YlmTable, x: number, y: number, z: number, outOffset = 0, stride = 1): void {
  const L = t.lMax, q = t.q, cm = t.cm, sm = t.sm, norm = t.norm, ca = t.ca, cb = t.cb;
  const r2 = x * x + y * y + z * z;
  // Q_l^m(z, r²) = r^(l-m) P_l^m(z/r) / sin^m: Q_m^m = (2m-1)!!, Q_{m+1}^m = (2m+1) z Q_m^m,
  // Q_l^m = ((2l-1) z Q_{l-1}^m - (l+m-1) r² Q_{l-2}^m)/(l-m).
  cm[0] = 1; sm[0] = 0;
  let dfact = 1;
  for (let m = 0; m <= L; m++) {
    if (m > 0) {
      dfact *= 2 * m - 1;
      cm[m] = x * cm[m - 1] - y * sm[m - 1];
      sm[m] = x * sm[m - 1] + y * cm[m - 1];
    }
    const imm = (m * (m + 1)) / 2 + m;
    q[imm] = dfact;
    if (m + 1 <= L) {
      const i1 = ((m + 1) * (m + 2)) / 2 + m;
      q[i1] = (2 * m + 1) * z * dfact;
      let i2 = imm, iPrev = i1;
      for (let l = m + 2; l <= L; l++) {
        const i = (l * (l + 1)) / 2 + m;
        q[i] = ca[i] * z * q[iPrev] - cb[i] * r2 * q[i2];
        i2 = iPrev; iPrev = i;
      }
    }
  }
  for (let l = 0; l <= L; l++) {
    const base = outOffset + (l * l + l) * stride, tri = (l * (l + 1)) / 2;
    out[base] = norm[tri] * q[tri];
    for (let m = 1; m <= l; m++) {
      const v = norm[tri + m] * q[tri + m];
      out[base + m * stride] = v * cm[m];
      out[base - m * stride] = v * sm[m];
    }
  }
}

/** Y_lm(rhat) of a direction (x, y, z) (need not be unit; must be non-zero): solid harmonics / r^l. */
export function sphericalHarmonics(out: Float64Array, t: YlmTable, x: number, y: number, z: number, outOffset = 0): void {
  const r = Math.sqrt(x * x + y * y + z * z);
  if (r === 0) throw new RangeError('spherical harmonics of a zero vector are undefined');
  solidHarmonics(out, t, x / r, y / r, z / r, outOffset);
}
