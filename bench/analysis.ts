/**
 * `npm run bench -- analysis`: the post-descriptor half of the Cu(211) preset (pipeline.md §7-§9)
 * on the reference joint PCA scores (fixtures/learn/cu211_pipeline/joint_pca_scores_f32.npy,
 * 431,100 x 4, float32 upcast as the reference did): exact HDBSCAN* + soft argmax, transitions,
 * macro-clusters. Prints time per stage, peak RSS, and agreement with the reference: number of
 * clusters and macro-clusters, ARI of the soft labels, and the transition probabilities after
 * Hungarian matching. Reference (fixtures/learn/README.md, 2 busy cores): hdbscan exact-MST fit
 * 161 s + 8.6 s membership; default 107 s + 5.9 s.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy } from '../src/core/io/npy.ts';
import { adjustedRandIndex, matchLabels } from '../src/core/learn/compare.ts';
import { analyseScores } from '../src/core/pipeline/analysis.ts';
import { clustererFor } from '../src/core/pipeline/clusterers.ts';
import { CU211_PRESET } from '../src/core/pipeline/recipe.ts';

const SHARED = process.env.SOAPLENS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
const DIR = 'fixtures/learn/cu211_pipeline';

export async function main(): Promise<void> {
  const load = (f: string) => readNpy(new Uint8Array(readFileSync(resolve(SHARED, DIR, f))), f);
  const scores = Float64Array.from(load('joint_pca_scores_f32.npy').data);
  const ref = load('joint_hdbscan_soft_labels.npy').data as Int32Array;
  const pj = JSON.parse(readFileSync(resolve(SHARED, DIR, 'pipeline.json'), 'utf8')) as
    { hdbscan: { joint: { transition_probabilities_soft: number[][]; n_macro_clusters: number; n_clusters: number } } };
  let peak = 0;
  const stages: [string, number][] = [];
  let stage = '', t = performance.now();
  const t0 = t;
  const a = await analyseScores({ scores, dim: 4, nAtoms: 900, nFrames: 479 },
    { transitions: CU211_PRESET.transitions, macro: CU211_PRESET.macro }, clustererFor(CU211_PRESET.cluster, CU211_PRESET.seed), {
      onProgress: (p) => {
        peak = Math.max(peak, process.memoryUsage().rss);
        if (p.stage !== stage) {
          const now = performance.now();
          if (stage) stages.push([stage, now - t]);
          stage = p.stage; t = now;
        }
      },
    });
  const end = performance.now();
  stages.push([`${stage} + transitions + macro`, end - t]);
  peak = Math.max(peak, process.memoryUsage().rss);
  for (const [s, ms] of stages) console.log(`${s}: ${(ms / 1000).toFixed(2)} s`);
  console.log(`total: ${((end - t0) / 1000).toFixed(1)} s wall, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  const refSide = pj.hdbscan.joint;
  console.log(`clusters: ${a.cluster.nClusters} (reference ${refSide.n_clusters}); macro-clusters: ${a.macro.nMacro} (reference ${refSide.n_macro_clusters})`);
  console.log(`ARI of the soft labels vs the paper's (approximate-MST) reference: ${adjustedRandIndex(a.cluster.labels, ref).toFixed(6)}`);
  const map = matchLabels(a.cluster.labels, ref);
  const k = a.transitions.k, P = a.transitions.probabilities, Pr = refSide.transition_probabilities_soft;
  let worst = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) worst = Math.max(worst, Math.abs(P[i * k + j] - Pr[map[i]][map[j]]));
  console.log(`max |P - P_ref| after Hungarian matching: ${worst.toFixed(5)}`);
  console.log(`${a.cluster.description}; noise before the argmax: ${String(a.cluster.figures?.noise)}`);
}
