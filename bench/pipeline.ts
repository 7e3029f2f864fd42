/**
 * `npm run bench -- pipeline [--workers N] [--row-cache-mb MB] [--frames N]`: the Cu(211) preset
 * end to end (runRecipe on the Node worker pool) on data/generated/cu211_600K_eam.lammpstrj.gz
 * (500 frames, 900 analysed atoms -> 479 x 900 = 431,100 joint rows of 577 values): time of each
 * stage, peak RSS, and agreement with fixtures/learn/cu211_pipeline (number of PCA components,
 * clusters, macro-clusters; ARI of the soft labels vs joint_hdbscan_soft_labels.npy; max |diff| of
 * the explained-variance ratio, the PCA mean, the scores up to sign and the smoothed LENS).
 * Reference Python pipeline (fixtures/learn/README.md, 2 busy cores): dscribe SOAP 114 s (450,000
 * environments, 2 workers), SOAPify LENS 40 s, sklearn PCA 209 s, hdbscan 107 s (default MST) or
 * 161 s (exact MST) + 5.9 / 8.6 s membership: about 470 s (default) / 530 s (exact) in all.
 * `--row-cache-mb` keeps the pass-A rows as float32 when they fit (default 768, as the CLI; the
 * rows need 534 MiB); 0 recomputes them for the projection pass (pipeline.md §6).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileSource } from '../src/cli/node-source.ts';
import { openTrajectory } from '../src/core/io/index.ts';
import { readNpy } from '../src/core/io/npy.ts';
import { adjustedRandIndex } from '../src/core/learn/compare.ts';
import { CU211_PRESET } from '../src/core/pipeline/recipe.ts';
import { createNodePool, nodeParallelism } from '../workers/node-pool.ts';
import { runRecipe } from '../workers/pipeline-runner.ts';

const SHARED = process.env.SOAPLENS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
const DIR = 'fixtures/learn/cu211_pipeline';

function flag(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} needs a number >= 0`);
  return v;
}

export async function main(args: string[] = []): Promise<void> {
  const workers = flag(args, '--workers', nodeParallelism());
  const cacheMb = flag(args, '--row-cache-mb', 768); // the CLI's default budget (rows need 534 MiB)
  const maxFrames = flag(args, '--frames', Infinity);
  const load = (f: string) => readNpy(new Uint8Array(readFileSync(resolve(SHARED, DIR, f))), f);
  const path = resolve(SHARED, 'data/generated/cu211_600K_eam.lammpstrj.gz');
  const src = await fileSource(path);
  const pool = createNodePool(Math.max(1, workers));
  let peak = 0;
  const memory = () => { const r = process.memoryUsage().rss; peak = Math.max(peak, r); return r; };
  const tick = setInterval(memory, 200);
  const t0 = performance.now();
  try {
    const traj = await openTrajectory([src], { typeElements: CU211_PRESET.typeElements });
    const tOpen = performance.now() - t0;
    console.log(`open (index the .gz in this thread): ${(tOpen / 1000).toFixed(2)} s; ${traj.nFrames} frames x ${traj.nAtoms} atoms; ` +
      `${pool.size} workers; row cache ${cacheMb} MB`);
    let lastLog = 0;
    const res = await runRecipe(CU211_PRESET, { trajectory: traj, sources: [path] }, pool, {
      memory, rowCacheBytes: cacheMb * 2 ** 20, maxFrames: Number.isFinite(maxFrames) ? maxFrames : undefined,
      onStage: (e) => { if (e.state === 'done') console.log(`  ${e.stage}: ${((e.ms ?? 0) / 1000).toFixed(2)} s`); },
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastLog > 30_000) { lastLog = now; console.log(`    ... ${p.stage} ${p.done}/${p.total} (${((now - t0) / 1000).toFixed(0)} s)`); }
      },
    });
    const total = performance.now() - t0;
    memory();
    const maxRss = process.resourceUsage().maxRSS * 1024;
    console.log(`total: ${(total / 1000).toFixed(1)} s wall (reference Python: ~470 s default MST, ~530 s exact MST)`);
    console.log(`peak RSS: ${(Math.max(peak, maxRss) / 2 ** 20).toFixed(0)} MiB (sampled ${(peak / 2 ** 20).toFixed(0)} MiB, getrusage maxRSS ${(maxRss / 2 ** 20).toFixed(0)} MiB; goal < 1536 MiB)`);

    // Agreement with the fixture (fixtures/learn/cu211_pipeline/README.md).
    const pj = JSON.parse(readFileSync(resolve(SHARED, DIR, 'pipeline.json'), 'utf8')) as {
      atoms: { masked_index_to_dump_index: number[] }; hdbscan: { joint: { n_clusters: number; n_macro_clusters: number } };
    };
    const a = res.analysis;
    const refMap = pj.atoms.masked_index_to_dump_index;
    const identity = refMap.length === res.nAtoms && refMap.every((d, i) => d === res.atoms[i]);
    console.log(`rows: ${res.nFrames} frames x ${res.nAtoms} atoms = ${res.nFrames * res.nAtoms} (reference 479 x 900 = 431100); ` +
      `atoms ${identity ? 'identical to' : 'DIFFER from'} the reference mask`);
    const evr = load('joint_pca_explained_variance_ratio.npy').data as Float64Array;
    let dEvr = 0;
    for (let i = 0; i < evr.length; i++) dEvr = Math.max(dEvr, Math.abs(evr[i] - (res.pca?.explainedVarianceRatio[i] ?? NaN)));
    const mean = load('joint_pca_mean.npy').data as Float64Array;
    let dMean = 0;
    for (let i = 0; i < mean.length; i++) dMean = Math.max(dMean, Math.abs(mean[i] - (res.pca?.mean[i] ?? NaN)));
    console.log(`PCA components: ${res.pca?.k} (reference 4); max |EVR - EVR_ref| ${dEvr.toExponential(2)} (fixture tol 1e-8); ` +
      `max |mean - mean_ref| ${dMean.toExponential(2)} (tol 1e-10)`);
    const refScores = load('joint_pca_scores_f32.npy');
    if (res.pca && res.scoreDim === refScores.shape[1] && res.scores.length === refScores.data.length) {
      const k = res.scoreDim, worst: number[] = [];
      for (let c = 0; c < k; c++) {
        let same = 0, flip = 0;
        for (let r = c; r < res.scores.length; r += k) {
          same = Math.max(same, Math.abs(res.scores[r] - refScores.data[r]));
          flip = Math.max(flip, Math.abs(res.scores[r] + refScores.data[r]));
        }
        worst.push(Math.min(same, flip));
      }
      console.log(`max |score - score_ref| up to sign per component: ${worst.map((w) => w.toExponential(2)).join(', ')} (tol 1e-6)`);
    }
    if (res.lens) {
      const lf = load('lens_filtered_clipped.npy');
      let dl = 0;
      for (let j = 0; j < res.nFrames; j++) {
        for (let q = 0; q < res.nAtoms; q++) dl = Math.max(dl, Math.abs(res.lens[j * res.nAtoms + q] - lf.data[q * lf.shape[1] + res.frames[j]]));
      }
      console.log(`max |smoothed LENS - lens_filtered_clipped| over the kept frames: ${dl.toExponential(2)} (tol 1e-12)`);
    }
    const ref = load('joint_hdbscan_soft_labels.npy').data as Int32Array;
    const ari = ref.length === a.cluster.labels.length ? adjustedRandIndex(a.cluster.labels, ref) : NaN;
    console.log(`clusters: ${a.cluster.nClusters} (reference ${pj.hdbscan.joint.n_clusters}); macro-clusters: ${a.macro.nMacro} ` +
      `(reference ${pj.hdbscan.joint.n_macro_clusters}); ARI of the soft labels vs joint_hdbscan_soft_labels.npy: ${ari.toFixed(6)} (fixture: >= 0.99)`);
    console.log(`${a.cluster.description}; noise before the argmax: ${String(a.cluster.figures?.noise)}`);
    for (const w of [...res.warnings, ...a.warnings]) console.log(`warning: ${w}`);
  } finally {
    clearInterval(tick);
    await pool.dispose();
    await src.close();
  }
}
