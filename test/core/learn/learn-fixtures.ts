import { readSharedNpy } from '../../helpers/shared.ts';

/**
 * LENS of the Cu(211) pipeline as the 1-D KMeans saw it: lens_filtered_clipped[:, 10:-10]
 * flattened frame-major, 431,100 values (fixtures/learn/gmm_kmeans/README.md "1-D KMeans").
 */
export function cuLensValues(): Float64Array {
  const lens = readSharedNpy('fixtures/learn/cu211_pipeline/lens_filtered_clipped.npy');
  const [nA, nF] = lens.shape;
  const used = nF - 20;
  const v = new Float64Array(used * nA);
  for (let c = 0; c < used; c++) for (let a = 0; a < nA; a++) v[c * nA + a] = lens.data[a * nF + 10 + c];
  return v;
}
