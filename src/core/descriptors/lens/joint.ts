/**
 * The joint SOAP&LENS vector (pipeline.md §5): chi = (xhat_i(t_j), w * lens~_i(t_j)), dimension D + 1,
 * w = 1 in the paper (|xhat| = 1 and lens~ in [0, 1] already weigh alike; recommended UI range 0..10).
 * Pure functions on rows; the caller supplies the filled, L2-normalised SOAP rows of one frame t_j
 * and the smoothed LENS value of each row's atom at the same frame (smoothing/postprocess.ts).
 */

/** Default LENS weight (pipeline.md §5: "w = 1 in the paper"). */
export const DEFAULT_LENS_WEIGHT = 1;

/**
 * Writes nRows joint rows of width D + 1 into out[outOff ..]: row r = soap[soapOff + r*D .. + D]
 * followed by weight * lens[lensOff + r*lensStride]. With `normalise`, the SOAP part is divided
 * by its L2 norm first (zero rows stay zero). `out` is caller-owned and must not overlap `soap`.
 */
export function jointRows(soap: ArrayLike<number>, soapOff: number, nRows: number, width: number,
  lens: ArrayLike<number>, lensOff: number, lensStride: number, out: Float64Array, outOff: number,
  weight: number = DEFAULT_LENS_WEIGHT, normalise = false): void {
  if (!Number.isFinite(weight)) throw new RangeError(`joint vector: LENS weight must be finite, got ${weight}`);
  if (out.length < outOff + nRows * (width + 1)) throw new RangeError(`joint vector: out too short for ${nRows} rows of ${width + 1}`);
  const w1 = width + 1;
  for (let r = 0; r < nRows; r++) {
    const s = soapOff + r * width, o = outOff + r * w1;
    let norm = 1;
    if (normalise) {
      let n2 = 0;
      for (let k = 0; k < width; k++) n2 += soap[s + k] * soap[s + k];
      norm = Math.sqrt(n2);
    }
    if (norm > 0) for (let k = 0; k < width; k++) out[o + k] = soap[s + k] / norm;
    else for (let k = 0; k < width; k++) out[o + k] = 0;
    out[o + width] = weight * lens[lensOff + r * lensStride];
  }
}

/**
 * Joint rows of one kept frame: `soap` holds the nAtoms analysed atoms' rows at frame t_j,
 * `smoothed` is the (nAtoms x count) array of smoothLens, `column` = j. Returns out
 * (allocated as nAtoms x (D + 1) when not given).
 */
export function jointFrame(soap: ArrayLike<number>, nAtoms: number, width: number, smoothed: ArrayLike<number>, count: number,
  column: number, weight: number = DEFAULT_LENS_WEIGHT, out: Float64Array = new Float64Array(nAtoms * (width + 1))): Float64Array {
  if (!(column >= 0 && column < count)) throw new RangeError(`joint vector: column ${column} outside 0..${count - 1}`);
  jointRows(soap, 0, nAtoms, width, smoothed, column, count, out, 0, weight);
  return out;
}
