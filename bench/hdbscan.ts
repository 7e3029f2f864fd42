/**
 * `npm run bench -- hdbscan [--skip-full] [--prim]`: exact HDBSCAN* fit times.
 * - the 20,000 x 5 Cu sample (fixtures/learn/hdbscan), kd-tree Boruvka (and Prim with --prim);
 * - the full Cu(211) joint PCA scores, 431,100 x 4 (fixtures/learn/cu211_pipeline, float32 scores
 *   upcast to float64 as the reference did), min_cluster_size 80, EOM: time per stage, peak RSS,
 *   and agreement with the reference exact-MST hard labels and the paper's soft labels.
 * Reference (fixtures/learn/README.md, 2 busy cores): exact MST fit 161 s + 8.6 s membership;
 * library default 107 s (46-51 s on re-runs) + 5.9 s; cu20k 11.4 s default / 15.2 s Prim.
 */
import { readFileSync } from 'node:fs';
import { readNpy } from '../src/core/io/npy.ts';
import { fitHdbscan, softLabels, softMembership, type HdbscanModel, type HdbscanParams } from '../src/core/learn/hdbscan/index.ts';
import { SHARED } from '../test/helpers/shared.ts';
import { adjustedRandIndex, matchedAgreement } from '../test/core/learn/hdbscan/metrics.ts';

function load(path: string) {
  return readNpy(new Uint8Array(readFileSync(`${SHARED}/${path}`)), path);
}

let peakRss = 0;
function sampleRss(): number {
  const r = process.memoryUsage().rss;
  if (r > peakRss) peakRss = r;
  return r;
}
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

async function timedFit(x: Float64Array, n: number, dim: number, p: HdbscanParams):
  Promise<{ model: HdbscanModel; stages: [string, number][]; total: number }> {
  const stages: [string, number][] = [];
  let stage = '', t = performance.now();
  const t0 = t;
  const model = await fitHdbscan({ x, n, dim }, p, {
    onProgress: (pr) => {
      sampleRss();
      if (pr.stage !== stage) {
        const now = performance.now();
        if (stage) stages.push([stage, (now - t) / 1000]);
        stage = pr.stage; t = now;
      }
    },
  });
  const end = performance.now();
  stages.push([stage, (end - t) / 1000]);
  sampleRss();
  return { model, stages, total: (end - t0) / 1000 };
}

const fmt = (stages: [string, number][]) => stages.map(([s, v]) => `${s} ${v.toFixed(2)} s`).join(', ');
const noise = (l: ArrayLike<number>) => { let c = 0; for (let i = 0; i < l.length; i++) if (l[i] < 0) c++; return c; };

export async function main(args: string[]): Promise<void> {
  const skipFull = args.includes('--skip-full');
  const withPrim = args.includes('--prim');

  // --- cu20k: 20,000 x 5, mcs 80 -------------------------------------------------------------
  const s = load('fixtures/learn/hdbscan/cu_joint_sample20k_5d.npy');
  const xs = s.data as Float64Array;
  const n20 = s.shape[0], d20 = s.shape[1];
  const refLab = load('fixtures/learn/hdbscan/cu20k_mcs80_prims_labels.npy').data as Int32Array;
  const refSoft = load('fixtures/learn/hdbscan/cu20k_mcs80_prims_soft_labels.npy').data as Int32Array;
  for (const alg of withPrim ? (['boruvka', 'prim'] as const) : (['boruvka'] as const)) {
    const r = await timedFit(xs, n20, d20, { minClusterSize: 80, mstAlgorithm: alg });
    const t1 = performance.now();
    const M = softMembership(r.model);
    const tm = (performance.now() - t1) / 1000;
    const soft = softLabels(r.model, M);
    console.log(`cu20k ${n20}x${d20} mcs80 ${alg}: fit ${r.total.toFixed(2)} s (${fmt(r.stages)}); membership ${tm.toFixed(2)} s; ` +
      `${r.model.nClusters} clusters, ${noise(r.model.labels)} noise; ARI vs prims labels ${adjustedRandIndex(r.model.labels, refLab).toFixed(5)}, ` +
      `soft ${adjustedRandIndex(soft, refSoft).toFixed(5)}   [reference: 11.4 s default / 15.2 s Prim]`);
  }
  if (skipFull) return;

  // --- full Cu(211) joint scores: 431,100 x 4 -----------------------------------------------
  const f = load('fixtures/learn/cu211_pipeline/joint_pca_scores_f32.npy');
  const [n, dim] = f.shape;
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n * dim; i++) x[i] = f.data[i]; // float32 -> float64, as the reference


  console.log(`cu211 joint scores: ${n} x ${dim} (float32 upcast); HDBSCAN mcs 80, min_samples 80, EOM (pipeline.md §7.1)`);
  sampleRss();
  const r = await timedFit(x, n, dim, { minClusterSize: 80, clusterSelectionMethod: 'eom' });
  const t1 = performance.now();
  const M = softMembership(r.model);
  const tm = (performance.now() - t1) / 1000;
  sampleRss();
  const soft = softLabels(r.model, M);
  const K = r.model.nClusters;
  // maxRSS (kB) is the process's true peak; the sampled figure is the peak seen at progress callbacks
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`  fit ${r.total.toFixed(1)} s (${fmt(r.stages)}); membership ${tm.toFixed(1)} s; ` +
    `peak RSS ${mb(maxRss)} (sampled during the fit: ${mb(peakRss)})`);
  console.log(`  ${K} clusters, ${noise(r.model.labels)} noise; exemplars ${r.model.prediction.exemplars.length}`);

  const exact = load('fixtures/learn/cu211_pipeline/joint_hdbscan_labels_exact_mst.npy').data as Int32Array;
  const dflt = load('fixtures/learn/cu211_pipeline/joint_hdbscan_labels.npy').data as Int32Array;
  const refS = load('fixtures/learn/cu211_pipeline/joint_hdbscan_soft_labels.npy').data as Int32Array;
  let kExact = 0, kRef = 0;
  for (let i = 0; i < n; i++) { if (exact[i] + 1 > kExact) kExact = exact[i] + 1; if (refS[i] + 1 > kRef) kRef = refS[i] + 1; }
  console.log(`  vs exact-MST reference labels: ARI ${adjustedRandIndex(r.model.labels, exact).toFixed(5)}, ` +
    `noise ${noise(r.model.labels)} vs ${noise(exact)}, agreement after matching ${matchedAgreement(r.model.labels, exact, K, kExact).toFixed(5)}`);
  // non-noise in both, against the library-default hard labels
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < n; i++) if (r.model.labels[i] >= 0 && dflt[i] >= 0) { a.push(r.model.labels[i]); b.push(dflt[i]); }
  console.log(`  vs library-default hard labels: ARI ${adjustedRandIndex(r.model.labels, dflt).toFixed(5)} (all), ` +
    `${adjustedRandIndex(a, b).toFixed(5)} on the ${a.length} points non-noise in both`);
  console.log(`  soft labels (argmax of membership) vs paper soft labels: ARI ${adjustedRandIndex(soft, refS).toFixed(5)}, ` +
    `agreement after matching ${matchedAgreement(soft, refS, K, kRef).toFixed(5)}`);
  console.log('  [reference: exact MST fit 161 s + 8.6 s membership; default 107 s (46-51 s re-runs) + 5.9 s]');
}
