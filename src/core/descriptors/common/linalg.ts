/**
 * Small dense symmetric linear algebra for basis orthonormalisation (soap.md §4, §5; lode.md).
 * Matrices are flat row-major Float64Array(n*n).
 */

/** Jacobi sweeps before giving up; cyclic Jacobi converges quadratically, ~6-10 sweeps for n <= 20. */
const MAX_SWEEPS = 100;

/**
 * Eigen-decomposition of a symmetric n x n matrix by cyclic Jacobi rotations (float64).
 * Writes eigenvalues to `values` (n) and eigenvectors as COLUMNS of `vectors` (n*n, row-major),
 * so that a = V diag(values) V^T. `a` is not modified.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number, values: Float64Array, vectors: Float64Array): void {
  const m = Float64Array.from({ length: n * n }, (_, i) => a[i]);
  vectors.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] * m[i * n + i];
      for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    }
    if (off === 0 || off <= 1e-34 * diag) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const app = m[p * n + p], aqq = m[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p], akq = m[k * n + q];
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k], aqk = m[q * n + k];
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = vectors[k * n + p], vkq = vectors[k * n + q];
          vectors[k * n + p] = c * vkp - s * vkq;
          vectors[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) values[i] = m[i * n + i];
}

/**
 * Symmetric inverse square root S^(-1/2) = V diag(lambda^(-1/2)) V^T (Loewdin), float64.
 * Throws RangeError if S is not positive definite.
 */
export function inverseSqrtSymmetric(s: ArrayLike<number>, n: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  const vals = new Float64Array(n), vecs = new Float64Array(n * n);
  symmetricEigen(s, n, vals, vecs);
  for (let i = 0; i < n; i++) {
    if (!(vals[i] > 0)) throw new RangeError(`overlap matrix is not positive definite (eigenvalue ${vals[i]})`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += vecs[i * n + k] * vecs[j * n + k] / Math.sqrt(vals[k]);
      out[i * n + j] = acc;
    }
  }
  return out;
}

/** Gamma(l + 3/2) for integer l >= 0: Gamma(1/2) = sqrt(pi), Gamma(x + 1) = x Gamma(x). */
export function gammaHalfInteger(l: number): number {
  let g = Math.sqrt(Math.PI) / 2; // Gamma(3/2)
  for (let k = 1; k <= l; k++) g *= k + 0.5;
  return g;
}
