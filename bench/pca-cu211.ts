/**
 * `npm run bench -- pca-cu211 [--frames N]`: the streaming PCA of the Cu(211) pipeline at full
 * scale (pipeline.md §6): SOAP of the 900 selected atoms in trajectory frames 10..488 (this
 * project's engine), joint rows with the reference filtered LENS
 * (fixtures/learn/cu211_pipeline/lens_filtered_clipped.npy), accumulated through the compact-SOAP
 * embedding (325 + 324 columns), then compared with the reference spectra, means and components
 * (README tolerances: ratios 1e-8, mean 1e-10, components 1e-7, k exact). One thread; slow
 * (SOAP dominates: ~431,100 environments). Measured once: joint k 4 and SOAP k 3, ratio errors
 * 1.2e-11, mean 2.3e-11, components <= 3.6e-11.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jointRows } from '../src/core/descriptors/lens/joint.ts';
import { computeSoap, createSoapScratch, fillSoapRow, planSoap } from '../src/core/descriptors/soap/soap.ts';
import { createNeighbourList } from '../src/core/geometry/neighbours.ts';
import { bytesSource, openTrajectory } from '../src/core/io/index.ts';
import { readNpy } from '../src/core/io/npy.ts';
import { compressRows, embeddingFromFill, expandPcaModel, withExtraColumns } from '../src/core/learn/embedding.ts';
import { createPcaAccumulator, pcaAccumulate, pcaFinish } from '../src/core/learn/pca.ts';
import { CU211_PRESET } from '../src/core/pipeline/recipe.ts';
import { selectAtoms } from '../src/core/pipeline/selection.ts';

const SHARED = process.env.SOAPLENS_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export async function main(args: string[]): Promise<void> {
  const fi = args.indexOf('--frames');
  const first = 10, last = fi >= 0 ? Math.min(488, first + Number(args[fi + 1]) - 1) : 488;
  const dir = resolve(SHARED, 'fixtures/learn/cu211_pipeline');
  const rd = (f: string) => readNpy(new Uint8Array(readFileSync(resolve(dir, f))), f);
  const traj = await openTrajectory([bytesSource('cu211_600K_eam.lammpstrj.gz',
    new Uint8Array(readFileSync(resolve(SHARED, 'data/generated/cu211_600K_eam.lammpstrj.gz'))))], { typeElements: CU211_PRESET.typeElements });
  const atoms = selectAtoms(CU211_PRESET.selection, traj.species, await traj.readFrame(0));
  const plan = planSoap({ ...CU211_PRESET.soap });
  const e = embeddingFromFill((s, d) => fillSoapRow(plan, s, 0, d, 0), plan.compactWidth, plan.filledWidth);
  const e1 = withExtraColumns(e, 1);
  const lens = rd('lens_filtered_clipped.npy');
  const accJ = createPcaAccumulator(e1.nIn), accS = createPcaAccumulator(e.nIn);
  const nA = atoms.length, D = plan.filledWidth;
  const joint = new Float64Array(nA * (D + 1));
  const nl = createNeighbourList(), scratch = createSoapScratch(plan);
  let soapCpu = 0, accCpu = 0;
  const w0 = performance.now();
  for (let f = first; f <= last; f++) {
    const fr = await traj.readFrame(f);
    let c = cpuMs();
    const soap = computeSoap(fr.positions, traj.species, fr.cell, traj.pbc, plan, atoms, { neighbours: nl, scratch });
    soapCpu += cpuMs() - c; c = cpuMs();
    jointRows(soap, 0, nA, D, lens.data, f, lens.shape[1], joint, 0, CU211_PRESET.lensWeight);
    pcaAccumulate(accJ, compressRows(e1, joint, nA), nA);
    pcaAccumulate(accS, compressRows(e, soap, nA), nA);
    accCpu += cpuMs() - c;
  }
  const rows = accJ.n;
  console.log(`${rows} rows (frames ${first}..${last}) in ${((performance.now() - w0) / 1000).toFixed(0)} s wall`);
  console.log(`SOAP: ${(soapCpu / 1000).toFixed(1)} s CPU (${(rows / (soapCpu / 1000)).toFixed(0)} environments/s)`);
  console.log(`PCA accumulation, joint (325 columns) + SOAP-only (324): ${(accCpu / 1000).toFixed(1)} s CPU (${(rows / (accCpu / 1000)).toFixed(0)} rows/s for both)`);
  for (const [name, acc, emb] of [['joint', accJ, e1], ['soap', accS, e]] as const) {
    const c0 = cpuMs();
    const m = expandPcaModel(pcaFinish(acc, { varianceRatio: 0.995 }), emb);
    const eigMs = cpuMs() - c0;
    const evr = rd(`${name}_pca_explained_variance_ratio.npy`).data, mean = rd(`${name}_pca_mean.npy`).data;
    const comps = rd(`${name}_pca_components_first10.npy`).data;
    const dim = m.dim;
    let we = 0, wm = 0;
    for (let i = 0; i < dim; i++) { we = Math.max(we, Math.abs(m.explainedVarianceRatio[i] - evr[i])); wm = Math.max(wm, Math.abs(m.mean[i] - mean[i])); }
    const wc: string[] = [];
    for (let c = 0; c < m.k; c++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += m.components[c * dim + j] * comps[c * dim + j];
      let w = 0;
      for (let j = 0; j < dim; j++) w = Math.max(w, Math.abs(Math.sign(dot) * m.components[c * dim + j] - comps[c * dim + j]));
      wc.push(w.toExponential(1));
    }
    console.log(`${name}: k = ${m.k} (eigensolve ${eigMs.toFixed(0)} ms CPU); cumulative ${Array.from(m.cumulativeRatio.subarray(0, 5), (v) => v.toFixed(6)).join(', ')}`);
    if (last === 488) console.log(`  vs reference: ratios ${we.toExponential(1)}, mean ${wm.toExponential(1)}, components ${wc.join(' ')}`);
  }
}
