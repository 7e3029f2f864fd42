/** Gauss-Legendre nodes and weights on [-1, 1] (Newton on P_n from the Chebyshev-like guess). */
export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`quadrature order must be a positive integer, got ${n}`);
  const x = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Ascending order: node i is near -cos(pi (i + 0.75)/(n + 0.5)).
    let z = -Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = z;
      for (let k = 2; k <= n; k++) { const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
      if (n === 1) { p1 = z; p0 = 1; }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    // Derivative at the converged node for the weight.
    let p0 = 1, p1 = z;
    for (let k = 2; k <= n; k++) { const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
    dp = n === 1 ? 1 : (n * (z * p1 - p0)) / (z * z - 1);
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}
