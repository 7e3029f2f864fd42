/**
 * The shape every learning algorithm takes: n rows of `dim` float64 values, row-major. For the
 * analysis datasets rows are frame-major, row = frame * nAtoms + atom (specs/README.md).
 */
export interface Dataset {
  x: Float64Array;
  n: number;
  dim: number;
}

/** Wraps a flat array as a Dataset after checking that it holds n * dim values. */
export function dataset(x: Float64Array, n: number, dim: number): Dataset {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`dataset: bad shape ${n} x ${dim}`);
  }
  if (x.length < n * dim) throw new RangeError(`dataset: ${n} x ${dim} needs ${n * dim} values, got ${x.length}`);
  return { x, n, dim };
}
