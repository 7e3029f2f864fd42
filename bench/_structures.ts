/** Structures built in code for benchmarks. */

/** fcc crystal of nx x ny x nz conventional cells (lattice constant a, Å): 4 nx ny nz atoms, orthogonal cell. */
export function fccCrystal(a: number, nx: number, ny: number, nz: number): { positions: Float64Array; cell: Float64Array; n: number } {
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const n = 4 * nx * ny * nz;
  const positions = new Float64Array(3 * n);
  let k = 0;
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) for (let l = 0; l < nz; l++) {
    for (const b of basis) {
      positions[3 * k] = (i + b[0]) * a; positions[3 * k + 1] = (j + b[1]) * a; positions[3 * k + 2] = (l + b[2]) * a;
      k++;
    }
  }
  return { positions, cell: new Float64Array([nx * a, 0, 0, 0, ny * a, 0, 0, 0, nz * a]), n };
}
