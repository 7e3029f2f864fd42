/**
 * `npm run bench -- learn`: figures of the learning algorithms (issue 5), on real data from
 * ../shared/fixtures/learn. Wall time and this process's CPU time are both printed: on a shared
 * machine the CPU figure is the per-core speed.
 * - PCA: streaming accumulation (rows/s at 577 columns: the 576 SOAP values of fixtures/learn/pca
 *   plus the Cu(211) LENS column), the 577 x 577 eigen-decomposition, projection rows/s;
 * - KMeans / exact 1-D k-means on the 431,100 Cu(211) LENS values; GMM (6 components, 20,000 x 5,
 *   the fixture's initialisation, to convergence); transitions + macro-clusters on 431,100 labels.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy } from '../src/core/io/npy.ts';
import { createPcaAccumulator, pcaAccumulate, pcaFinish, pcaMerge, pcaProject } from '../src/core/learn/pca.ts';
import { symmetricEigen } from '../src/core/learn/linalg.ts';
import { kmeans1dOptimal, lloyd } from '../src/core/learn/kmeans.ts';
import { fitGmm } from '../src/core/learn/gmm.ts';
import { transitionMatrix } from '../src/core/learn/transitions.ts';
import { macroClusters } from '../src/core/learn/hclust.ts';

const SHARED = process.env.SOAPLENS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
const PAPER_ROWS = 432_900; // issue 5: 900 atoms x 481 frames
const REFERENCE_PCA_S = 209; // fixtures/learn/README.md: sklearn PCA full SVD, 431,100 x 577

function load(rel: string) {
  return readNpy(new Uint8Array(readFileSync(resolve(SHARED, rel))), rel);
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timed<T>(label: string, f: () => T | Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const w0 = performance.now(), c0 = cpuMs();
  const value = await f();
  const wall = performance.now() - w0, cpu = cpuMs() - c0;
  console.log(`${label}: wall ${(wall / 1000).toFixed(3)} s, cpu ${(cpu / 1000).toFixed(3)} s`);
  return { value, wall, cpu };
}

export async function main(): Promise<void> {
  const soap = load('fixtures/learn/pca/soap_input_f32.npy');
  const lens = load('fixtures/learn/cu211_pipeline/lens_filtered_clipped.npy');
  const nS = soap.shape[0], D = 577;
  // 577-column rows: SOAP row (cycled) + a LENS value, 9,000 rows (two workers' worth of chunks).
  const rows = 9000;
  const x = new Float64Array(rows * D);
  for (let r = 0; r < rows; r++) {
    const s = r % nS;
    for (let c = 0; c < 576; c++) x[r * D + c] = soap.data[s * 576 + c];
    x[r * D + 576] = lens.data[(r % 900) * 499 + 10 + Math.floor(r / 900)];
  }
  const acc = createPcaAccumulator(D);
  const t1 = await timed(`PCA accumulate ${rows} x ${D} in 900-row frames`, () => {
    for (let r0 = 0; r0 < rows; r0 += 900) pcaAccumulate(acc, x.subarray(r0 * D, (r0 + 900) * D), 900);
  });
  const perCore = rows / (t1.cpu / 1000);
  console.log(`  -> ${perCore.toFixed(0)} rows/s per core (CPU); ${PAPER_ROWS} rows: ${(PAPER_ROWS / perCore).toFixed(1)} s on one core, `
    + `${(PAPER_ROWS / perCore / 2).toFixed(1)} s on two workers (reference sklearn full SVD: ${REFERENCE_PCA_S} s)`);
  const other = createPcaAccumulator(D);
  pcaAccumulate(other, x.subarray(0, 900 * D), 900);
  await timed('PCA merge of two 577-column accumulators', () => pcaMerge(acc, other));
  const cov = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = i; j < D; j++) { cov[i * D + j] = acc.m2[i * D + j] / (acc.n - 1); cov[j * D + i] = cov[i * D + j]; }
  await timed(`symmetric eigen-decomposition ${D} x ${D} (Householder + implicit QL, vectors)`, () => symmetricEigen(cov, D));
  const model = pcaFinish(acc, { varianceRatio: 0.995 });
  console.log(`  k for 99.5 %: ${model.k}`);
  const out = new Float64Array(rows * model.k);
  const tp = await timed(`PCA projection of ${rows} rows onto ${model.k} components`, () => pcaProject(model, x, rows, out));
  console.log(`  -> ${(rows / (tp.cpu / 1000)).toFixed(0)} rows/s per core (CPU)`);

  const nA = 900, used = 479;
  const v = new Float64Array(nA * used);
  for (let c = 0; c < used; c++) for (let a = 0; a < nA; a++) v[c * nA + a] = lens.data[a * 499 + 10 + c];
  await timed(`exact 1-D k-means (k = 3) on ${v.length} LENS values`, () => kmeans1dOptimal(v, 3));
  await timed(`Lloyd 1-D (k = 3, tol 0, from 0.01/0.03/0.06) on ${v.length} values`, () => lloyd({ x: v, n: v.length, dim: 1 }, new Float64Array([0.01, 0.03, 0.06]), 3, 3000, 0));

  const g = load('fixtures/learn/hdbscan/cu_joint_sample20k_5d.npy').data as Float64Array;
  const f64 = (n: string) => load(`fixtures/learn/gmm_kmeans/${n}`).data as Float64Array;
  const init = { weights: f64('init_weights.npy'), means: f64('init_means.npy'), precisions: f64('init_precisions.npy') };
  const gm = await timed('GMM 6 components, 20,000 x 5, to convergence (tol 1e-10)', () => fitGmm({ x: g, n: 20000, dim: 5 }, { nComponents: 6, init, maxIter: 1000, tol: 1e-10 }));
  console.log(`  -> ${gm.value.model.nIter} EM iterations, ${(gm.cpu / gm.value.model.nIter).toFixed(1)} ms CPU each`);

  const soft = load('fixtures/learn/cu211_pipeline/joint_hdbscan_soft_labels.npy').data as Int32Array;
  await timed(`transitions + macro-clusters on ${soft.length} labels`, () => {
    const t = transitionMatrix(soft, { nAtoms: 900 });
    return macroClusters(t.probabilities, t.k);
  });
  const mem = process.memoryUsage();
  console.log(`memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
}
