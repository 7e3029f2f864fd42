/**
 * Transition counts and probabilities between the cluster labels of the same atom at two times
 * (pipeline.md §8, SOAPify `calculateTransitionMatrix` + `normalizeMatrixByRow` conventions).
 */

export interface TransitionParams {
  /** Analysed atoms per frame (labels are frame-major: index = frame * nAtoms + atom). */
  nAtoms: number;
  /** Step between the later frames of successive pairs (SOAPify `stride`); default 1. */
  stride?: number;
  /** Lag in frames between the two labels of a pair (SOAPify `window`); default = stride (SOAPify). */
  window?: number;
  /** Number of classes K (labels 0..K-1); default max label + 1. */
  nClasses?: number;
  /**
   * What to do with negative labels (HDBSCAN noise): 'error' (default) throws a RangeError,
   * 'last' counts them as an extra class K (the fixtures' "noise as the last class").
   */
  noise?: 'error' | 'last';
}

export interface TransitionMatrix {
  /** Matrix dimension (including the noise class when noise = 'last' and noise occurs). */
  k: number;
  /** k x k row-major: counts[a * k + b] = number of (atom, t) with label a at t - window and b at t. */
  counts: Float64Array;
  /** counts divided by their row sums; a row without counts stays all zero. */
  probabilities: Float64Array;
  /** Number of pairs counted. */
  pairs: number;
}

/**
 * Counts pairs (L[j - w, i], L[j, i]) for j = w, w + s, w + 2s, ... < nFrames and every atom i
 * (pipeline.md §8), with w = window and s = stride. `labels` holds nFrames * nAtoms entries.
 */
export function transitionMatrix(labels: Int32Array, p: TransitionParams): TransitionMatrix {
  const nAtoms = p.nAtoms;
  const s = p.stride ?? 1;
  const w = p.window ?? s;
  if (!Number.isInteger(nAtoms) || nAtoms < 1) throw new RangeError(`transitions: nAtoms must be a positive integer, got ${nAtoms}`);
  if (!Number.isInteger(w) || w < 1) throw new RangeError(`transitions: window must be a positive integer, got ${w}`);
  if (!Number.isInteger(s) || s < 1) throw new RangeError(`transitions: stride must be a positive integer, got ${s}`);
  if (w < s) throw new RangeError(`transitions: window (${w}) must be >= stride (${s}), as in SOAPify (pipeline.md §8)`);
  if (labels.length % nAtoms !== 0) throw new RangeError(`transitions: ${labels.length} labels are not whole frames of ${nAtoms} atoms`);
  const nFrames = labels.length / nAtoms;
  let maxLabel = -1, hasNoise = false;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < 0) hasNoise = true;
    else if (l > maxLabel) maxLabel = l;
  }
  if (hasNoise && (p.noise ?? 'error') === 'error') {
    throw new RangeError('transitions: negative (noise) labels; assign them first or pass noise: "last"');
  }
  let kBase = p.nClasses ?? maxLabel + 1;
  if (maxLabel >= kBase) throw new RangeError(`transitions: label ${maxLabel} outside 0..${kBase - 1}`);
  if (kBase < 1 && !hasNoise) kBase = 1; // only noise: the matrix is just the noise class
  const k = hasNoise ? kBase + 1 : kBase;
  const counts = new Float64Array(k * k);
  let pairs = 0;
  for (let j = w; j < nFrames; j += s) {
    const a0 = (j - w) * nAtoms, b0 = j * nAtoms;
    for (let i = 0; i < nAtoms; i++) {
      let a = labels[a0 + i], b = labels[b0 + i];
      if (a < 0) a = kBase;
      if (b < 0) b = kBase;
      counts[a * k + b]++;
    }
    pairs += nAtoms;
  }
  return { k, counts, probabilities: rowNormalise(counts, k), pairs };
}

/** Each row divided by its sum; zero rows stay zero (pipeline.md §8). */
export function rowNormalise(m: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    let sum = 0;
    for (let b = 0; b < k; b++) sum += m[a * k + b];
    if (sum > 0) for (let b = 0; b < k; b++) out[a * k + b] = m[a * k + b] / sum;
  }
  return out;
}

/** Replaces every label l >= 0 by map[l] (e.g. micro -> macro); negative labels are kept. */
export function relabel(labels: Int32Array, map: Int32Array, out = new Int32Array(labels.length)): Int32Array {
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l >= map.length) throw new RangeError(`relabel: label ${l} has no entry in a map of ${map.length}`);
    out[i] = l < 0 ? l : map[l];
  }
  return out;
}

/** Runs of constant label per atom (pipeline.md §13). */
export interface Residences {
  /** Atom of each run (runs are listed atom by atom, in time order). */
  atom: Int32Array;
  label: Int32Array;
  /**
   * Length in frames (times the caller's frame spacing for a time). The first and the last run of
   * each atom are cut by the trajectory ends and stored negative (SOAPify convention), so they can
   * be excluded or flagged; an atom that never changes has one run, stored negative.
   */
  length: Int32Array;
}

/** Residence runs of frame-major labels (index = frame * nAtoms + atom). */
export function residenceTimes(labels: Int32Array, nAtoms: number): Residences {
  if (!Number.isInteger(nAtoms) || nAtoms < 1 || labels.length % nAtoms !== 0) {
    throw new RangeError(`residenceTimes: ${labels.length} labels are not whole frames of ${nAtoms} atoms`);
  }
  const nFrames = labels.length / nAtoms;
  const atom: number[] = [], label: number[] = [], length: number[] = [];
  for (let a = 0; a < nAtoms && nFrames > 0; a++) {
    let start = 0;
    for (let t = 1; t <= nFrames; t++) {
      if (t === nFrames || labels[t * nAtoms + a] !== labels[start * nAtoms + a]) {
        const len = t - start;
        const cut = start === 0 || t === nFrames;
        atom.push(a); label.push(labels[start * nAtoms + a]); length.push(cut ? -len : len);
        start = t;
      }
    }
  }
  return { atom: Int32Array.from(atom), label: Int32Array.from(label), length: Int32Array.from(length) };
}
