/**
 * `npm run bench -- views-brush`: the PCA map's brush at paper scale (issue 6: "a brush over
 * 432,900 points should update within 100 ms"). Points: the Cu(211) joint PCA scores
 * (fixtures/learn/cu211_pipeline/joint_pca_scores_f32.npy, 431,100 x 4) plus their first two
 * frames again (900 x 481 = 432,900 rows). Prints the median of 7 runs of: index build, rectangle
 * and lasso selection, counts, the per-atom mask through the store (what the 3D view reads), the
 * point colours and a full redraw of the point layer at 1000 x 800 pixels.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy } from '../src/core/io/npy.ts';
import { analyseLabels } from '../src/core/pipeline/analysis.ts';
import { CU211_PRESET } from '../src/core/pipeline/recipe.ts';
import type { Results } from '../src/core/pipeline/results.ts';
import { buildIndex, mapPoints, pointColours, pointsDomain, rasterisePoints, selectionCounts, selectLasso, selectRect } from '../src/app/views/layout/map-layout.ts';
import { createAppStore, loadedTrajectory } from '../src/app/store.ts';
import type { ViewsState } from '../src/app/views/views-slice.ts';

const SHARED = process.env.SOAPLENS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
const DIR = 'fixtures/learn/cu211_pipeline';
const RUNS = 7;

function median(f: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) { const a = performance.now(); f(); t.push(performance.now() - a); }
  return t.sort((x, y) => x - y)[RUNS >> 1];
}

export async function main(): Promise<void> {
  const load = (f: string) => readNpy(new Uint8Array(readFileSync(resolve(SHARED, DIR, f))), f);
  const s0 = load('joint_pca_scores_f32.npy').data as Float32Array;
  const l0 = load('joint_hdbscan_soft_labels.npy').data as Int32Array;
  const nAtoms = 900, nFrames = 481, extra = 2 * nAtoms;
  const scores = new Float64Array(nAtoms * nFrames * 4);
  scores.set(s0); scores.set(s0.subarray(0, extra * 4), s0.length);
  const labels = new Int32Array(nAtoms * nFrames);
  labels.set(l0); labels.set(l0.subarray(0, extra), l0.length);
  const n = nAtoms * nFrames;
  console.log(`points: ${n}`);
  let p = mapPoints(scores, 4, 0, 1);
  const tIndex = median(() => { p = mapPoints(scores, 4, 0, 1); buildIndex(p); });
  const index = buildIndex(p);
  const d = pointsDomain(p, 0);
  const W = d.x1 - d.x0, H = d.y1 - d.y0;
  const rects: Array<[string, number, number, number, number]> = [
    ['small rect', d.x0 + 0.45 * W, d.y0 + 0.45 * H, d.x0 + 0.55 * W, d.y0 + 0.55 * H],
    ['half rect', d.x0, d.y0, d.x0 + 0.5 * W, d.y1],
    ['everything', d.x0, d.y0, d.x1, d.y1],
  ];
  console.log(`index build (kdbush, incl. point extraction): ${tIndex.toFixed(1)} ms`);
  for (const [name, x0, y0, x1, y1] of rects) {
    let mask: Uint8Array = new Uint8Array(0);
    const t = median(() => { mask = selectRect(index, n, x0, y0, x1, y1); });
    const tc = median(() => selectionCounts(mask, nAtoms, nFrames));
    const c = selectionCounts(mask, nAtoms, nFrames);
    console.log(`${name}: select ${t.toFixed(1)} ms + counts ${tc.toFixed(1)} ms (${c.points} points, ${c.atoms} atoms, ${c.frames} frames)`);
  }
  const poly: number[] = [];
  for (let q = 0; q < 40; q++) { const a = (q / 40) * 2 * Math.PI, f = q % 2 ? 0.5 : 1; poly.push(d.x0 + W / 2 + f * (W / 3) * Math.cos(a), d.y0 + H / 2 + f * (H / 3) * Math.sin(a)); }
  let lmask: Uint8Array = new Uint8Array(0);
  const tl = median(() => { lmask = selectLasso(index, p, poly); });
  console.log(`lasso (40-vertex star): ${tl.toFixed(1)} ms (${selectionCounts(lmask, nAtoms, nFrames).points} points)`);

  // through the store: setBrush computes the per-atom mask of the current frame for the 3D view
  const analysis = analyseLabels({ labels, nClusters: 6, description: 'reference soft labels' }, nAtoms, nFrames, { transitions: CU211_PRESET.transitions, macro: CU211_PRESET.macro });
  const r: Results = { version: 1, recipe: CU211_PRESET, atoms: Int32Array.from({ length: nAtoms }, (_, a) => a), frames: Int32Array.from({ length: nFrames }, (_, j) => j + 10),
    nAtoms, nFrames, lens: null, pca: null, scores, scoreDim: 4, analysis, timings: [], warnings: [] };
  const store = createAppStore();
  store.getState().setTrajectory(loadedTrajectory({ name: 'bench', format: 'xyz', nAtoms: 2400, nFrames: 500, species: Array(2400).fill('Cu'),
    ids: Int32Array.from({ length: 2400 }, (_, i) => i + 1), pbc: [true, true, true], propertyNames: [] }, 1, []));
  store.getState().setResults(r);
  store.getState().setFrameIndex(200);
  const s = () => store.getState() as ViewsState;
  const [, x0, y0, x1, y1] = rects[1];
  const tb = median(() => s().setBrush(selectRect(index, n, x0, y0, x1, y1)));
  console.log(`rect brush -> store (row mask + 3D atom mask): ${tb.toFixed(1)} ms`);
  const tcol = median(() => pointColours('micro', r, labels, analysis.macro.labels, analysis.macro.nMacro, 0.1));
  const rgba = new Uint8ClampedArray(1000 * 800 * 4);
  const colours = pointColours('micro', r, labels, analysis.macro.labels, analysis.macro.nMacro, 0.1);
  const tr = median(() => { rgba.fill(0); rasterisePoints(rgba, 1000, 800, p, colours, d, 1); });
  console.log(`point colours: ${tcol.toFixed(1)} ms; redraw 1000 x 800: ${tr.toFixed(1)} ms`);
}
