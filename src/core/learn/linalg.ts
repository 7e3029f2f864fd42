/**
 * Dense float64 linear algebra for the learning algorithms: a symmetric eigensolver (Householder
 * tridiagonalisation, then the implicit QL iteration with Wilkinson shifts), Cholesky factors and
 * triangular inverses. Matrices are flat row-major Float64Arrays of n*n values.
 */

/** Result of `symmetricEigen`: eigenvalues sorted descending, eigenvectors as rows. */
export interface SymmetricEigen {
  /** n eigenvalues, sorted descending. */
  values: Float64Array;
  /** n x n row-major; row k is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/** QL sweeps allowed per eigenvalue before we call the input pathological. */
const MAX_QL_SWEEPS = 60;

/**
 * Eigen-decomposition of the symmetric n x n matrix `a` (row-major; only symmetry is assumed,
 * both triangles are read). `a` is not modified. Eigenvalues come back sorted descending and
 * eigenvectors as rows (an orthonormal basis); signs are whatever the iteration produced.
 * Cost: about 4/3 n^3 for the reduction plus about 3 n^3 for the QL sweeps with vectors.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length < n * n) throw new RangeError(`symmetricEigen: need ${n * n} values, got ${a.length}`);
  const m = new Float64Array(n * n);
  // Symmetrise explicitly: accumulated scatter matrices are symmetric only up to rounding.
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = 0.5 * (a[i * n + j] + a[j * n + i]);
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[i] couples i and i+1; e[n-1] = 0
  const q = tridiagonalise(m, n, d, e); // q: rows are the basis vectors (Q^T), n x n
  qlImplicit(d, e, q, n);
  // Sort descending, carrying vector rows along.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x] || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    values[k] = d[order[k]];
    vectors.set(q.subarray(order[k] * n, order[k] * n + n), k * n);
  }
  return { values, vectors };
}

/**
 * Householder reduction of the symmetric matrix m (destroyed) to tridiagonal form T = Q^T M Q.
 * Writes T's diagonal to d and its off-diagonal to e (e[i] = T[i, i+1]). Returns Q^T row-major, so
 * row i of the result is column i of Q.
 */
function tridiagonalise(m: Float64Array, n: number, d: Float64Array, e: Float64Array): Float64Array {
  const vs = new Float64Array(n * n); // Householder vector of step k stored in row k, entries k+1..n-1
  const hasV = new Uint8Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    // x = column k below the diagonal.
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale += Math.abs(m[i * n + k]);
    if (scale === 0) { e[k] = 0; continue; }
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) { const x = m[i * n + k] / scale; norm2 += x * x; }
    const x0 = m[(k + 1) * n + k];
    const alpha = -(x0 >= 0 ? 1 : -1) * Math.sqrt(norm2) * scale; // reflect x onto alpha * e1
    const v = vs.subarray(k * n, k * n + n);
    for (let i = k + 1; i < n; i++) v[i] = m[i * n + k];
    v[k + 1] -= alpha;
    let vn = 0;
    for (let i = k + 1; i < n; i++) vn += v[i] * v[i];
    if (vn === 0) { e[k] = m[(k + 1) * n + k]; continue; }
    vn = 1 / Math.sqrt(vn);
    for (let i = k + 1; i < n; i++) v[i] *= vn;
    hasV[k] = 1;
    // Trailing block B (k+1..n-1): B <- H B H = B - 2 v w^T - 2 w v^T with p = B v, w = p - (v.p) v.
    let vp = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = k + 1; j < n; j++) s += m[row + j] * v[j];
      p[i] = s;
      vp += v[i] * s;
    }
    for (let i = k + 1; i < n; i++) p[i] -= vp * v[i]; // p now holds w
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi2 = 2 * v[i], wi2 = 2 * p[i];
      for (let j = k + 1; j < n; j++) m[row + j] -= vi2 * p[j] + wi2 * v[j];
    }
    e[k] = alpha;
  }
  for (let i = 0; i < n; i++) d[i] = m[i * n + i];
  if (n >= 2) e[n - 2] = m[(n - 1) * n + (n - 2)];
  if (n >= 1) e[n - 1] = 0;
  // Q = H_0 H_1 ... H_{n-3}; build Q^T = H_{n-3} ... H_0 directly by right-multiplying rows:
  // start from Q = I and apply H_k on the left for k descending, then transpose.
  const qm = new Float64Array(n * n);
  for (let i = 0; i < n; i++) qm[i * n + i] = 1;
  const w = new Float64Array(n);
  for (let k = n - 3; k >= 0; k--) {
    if (!hasV[k]) continue;
    const v = vs.subarray(k * n, k * n + n);
    w.fill(0, k + 1, n);
    for (let i = k + 1; i < n; i++) {
      const vi = v[i];
      if (vi === 0) continue;
      const row = i * n;
      for (let j = k + 1; j < n; j++) w[j] += vi * qm[row + j];
    }
    for (let i = k + 1; i < n; i++) {
      const vi2 = 2 * v[i];
      if (vi2 === 0) continue;
      const row = i * n;
      for (let j = k + 1; j < n; j++) qm[row + j] -= vi2 * w[j];
    }
  }
  // Transpose in place: rows of the result are columns of Q.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const t = qm[i * n + j]; qm[i * n + j] = qm[j * n + i]; qm[j * n + i] = t;
    }
  }
  return qm;
}

/**
 * Implicit QL iteration with Wilkinson-type shifts on the symmetric tridiagonal (d, e), applying
 * every plane rotation to the rows of `z` (z holds basis vectors as rows). On return d holds the
 * eigenvalues and row i of z the eigenvector of d[i].
 */
function qlImplicit(d: Float64Array, e: Float64Array, z: Float64Array, n: number): void {
  const EPS = Number.EPSILON;
  // Deflate against the norm of the whole matrix, not the local diagonal: rank-deficient
  // covariances (the 576 filled SOAP columns hold at most 324 distinct ones) have clusters of
  // eigenvalues near 0 where a purely local test never fires.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  const tiny = EPS * norm;
  for (let l = 0; l < n; l++) {
    let sweeps = 0;
    for (;;) {
      // Find the first negligible off-diagonal element at or after l.
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= EPS * dd || Math.abs(e[m]) <= tiny) break;
      }
      if (m === l) break;
      if (++sweeps > MAX_QL_SWEEPS) throw new RangeError('symmetricEigen: QL iteration did not converge (non-finite input?)');
      // Shift from the leading 2x2 block, chosen towards d[l].
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) { // underflow: split the problem here and restart
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        // Rotate basis rows i and i+1.
        const ri = i * n, rj = (i + 1) * n;
        for (let k = 0; k < n; k++) {
          const zi = z[ri + k], zj = z[rj + k];
          z[rj + k] = s * zi + c * zj;
          z[ri + k] = c * zi - s * zj;
        }
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/**
 * Lower Cholesky factor L (row-major n x n, upper triangle zero) with L L^T = a. Throws a
 * RangeError naming `what` if a is not numerically positive definite.
 */
export function cholesky(a: Float64Array, n: number, out = new Float64Array(n * n), what = 'matrix'): Float64Array {
  out.fill(0);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= out[j * n + k] * out[j * n + k];
    if (!(s > 0)) throw new RangeError(`${what} is not positive definite (pivot ${j} = ${s})`);
    const ljj = Math.sqrt(s);
    out[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= out[i * n + k] * out[j * n + k];
      out[i * n + j] = t / ljj;
    }
  }
  return out;
}

/** Inverse of the lower-triangular L (row-major), itself lower triangular. */
export function invertLower(l: Float64Array, n: number, out = new Float64Array(n * n)): Float64Array {
  out.fill(0);
  for (let j = 0; j < n; j++) {
    out[j * n + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k] * out[k * n + j];
      out[i * n + j] = s / l[i * n + i];
    }
  }
  return out;
}
