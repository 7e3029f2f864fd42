import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { dropText, openWatchedPage, SMALL_RECIPE } from './page.ts';
import { au309Xyz } from './data.ts';
import { decodePng, type Pixels } from './png.ts';
import { runRecipe } from '../../workers/pipeline-runner.ts';
import type { Pool } from '../../workers/pool.ts';
import type { PipelineJobs } from '../../workers/pipeline-jobs.ts';
import { blobSource } from '../../src/core/io/source.ts';
import { openTrajectory } from '../../src/core/io/index.ts';
import { ICE_PRESET, parseRecipe } from '../../src/core/pipeline/recipe.ts';
import { inThreadPool } from '../app/compute-fixture.ts';
import { computeLens, trajectoryFrames } from '../../src/core/descriptors/lens/compute-lens.ts';

// The compute panels end to end in Chromium on the production build, on a real cut of
// ../shared/data/generated/au309_ico_200K_gupta.xyz.gz (our own MD output): LENS colours the atoms
// (legend, range, canvas), a small recipe runs on the browser's worker pool and shows the figures
// the same runner gives in Node, and a run can be cancelled without losing the previous results.

const AU_ATOMS = 309;
const AU_FRAMES = 12;
/** The 3D view's clear colour (src/app/viewer/atom-scene.ts BACKGROUND = 0x14171c). */
const BACKGROUND: [number, number, number] = [0x14, 0x17, 0x1c];
/** Mean foreground colour must move by more than this (0..255 per channel) when the colouring changes. */
const MIN_COLOUR_SHIFT = 20;
/** The panel prints the variance explained in percent with 5 decimals (fmtNum(x, 5)): rounding 5e-8 as a fraction, plus slack. */
const VARIANCE_PRINT_TOL = 1e-6;
/** The legend prints its range with 3 decimals (format.ts fmtNum): rounding 5e-4. */
const LEGEND_PRINT_TOL = 5e-4 + 1e-9;
/** Set SOAPLENS_SHOTS=dir to keep screenshots of the panels for a visual check. */
const SHOTS = process.env.SOAPLENS_SHOTS;


let browser: Browser;
let page: Page;
let foreign: string[];
let pageErrors: string[];

beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

afterEach(async () => {
  expect(foreign).toEqual([]);
  expect(pageErrors).toEqual([]);
  await page?.close();
});

async function openPage(): Promise<Page> {
  ({ page, foreign, pageErrors } = await openWatchedPage(browser, inject('baseUrl'), { viewport: { width: 1280, height: 1000 } }));
  return page;
}

/** Mean colour of the non-background pixels. */
function meanForeground(px: Pixels): [number, number, number] {
  const s = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < px.width * px.height; i++) {
    const r = px.rgba[4 * i], g = px.rgba[4 * i + 1], b = px.rgba[4 * i + 2];
    if (Math.abs(r - BACKGROUND[0]) + Math.abs(g - BACKGROUND[1]) + Math.abs(b - BACKGROUND[2]) <= 36) continue;
    s[0] += r; s[1] += g; s[2] += b; n++;
  }
  return n ? [s[0] / n, s[1] / n, s[2] / n] : [Number.NaN, Number.NaN, Number.NaN];
}

async function canvasMean(p: Page): Promise<[number, number, number]> {
  await p.waitForTimeout(300); // the next animation frame draws the new colours
  return meanForeground(decodePng(await p.getByTestId('atoms-canvas').screenshot()));
}

async function shot(p: Page, panel: string, name: string): Promise<void> {
  if (SHOTS) writeFileSync(`${SHOTS}/${name}.png`, await p.locator(`[data-panel="${panel}"]`).screenshot());
}

function panel(p: Page, id: string) {
  return p.locator(`[data-panel="${id}"]`);
}

it('Compute LENS colours the atoms: legend "LENS" with a range inside [0, 1], canvas colours change', async () => {
  const p = await openPage();
  await dropText(p, 'au309_cut.xyz', au309Xyz(AU_FRAMES), AU_ATOMS);
  await p.keyboard.press('ArrowRight'); // frame 2: LENS is defined from the second frame on
  await p.getByTestId('frame-counter').filter({ hasText: `frame 2 / ${AU_FRAMES}` }).waitFor();
  const before = await canvasMean(p);

  const compute = panel(p, 'compute');
  await compute.getByLabel('LENS cutoff').fill('4.48');
  await compute.getByRole('button', { name: 'Compute LENS' }).click();
  const colours = panel(p, 'colour');
  await colours.locator('.scale-labels', { hasText: 'LENS' }).waitFor();
  const labels = await colours.locator('.scale-labels span').allTextContents();
  expect(labels[1]).toBe('LENS');
  const [lo, hi] = [Number(labels[0]), Number(labels[2])];
  expect(lo).toBeGreaterThanOrEqual(0);
  expect(hi).toBeLessThanOrEqual(1);
  expect(hi).toBeGreaterThan(lo);
  // the range is that of LENS over frames 1.. computed in Node by the core function on the same frames
  const traj = await openTrajectory([blobSource(new File([Buffer.from(au309Xyz(AU_FRAMES), 'latin1')], 'au309_cut.xyz'))]);
  const ref = await computeLens(trajectoryFrames(traj), AU_ATOMS, AU_FRAMES, traj.pbc, { cutoff: 4.48, convention: 'soapify', delay: 1 });
  let refLo = Infinity, refHi = -Infinity;
  for (let a = 0; a < AU_ATOMS; a++) for (let t = 1; t < AU_FRAMES; t++) {
    const v = ref.lens[a * ref.columns + t];
    refLo = Math.min(refLo, v); refHi = Math.max(refHi, v);
  }
  expect(Math.abs(lo - refLo)).toBeLessThanOrEqual(LEGEND_PRINT_TOL);
  expect(Math.abs(hi - refHi)).toBeLessThanOrEqual(LEGEND_PRINT_TOL);
  await expect(colours.getByLabel('Colour by').inputValue()).resolves.toBe('layer:lens');
  const after = await canvasMean(p);
  const shift = Math.max(...after.map((v, i) => Math.abs(v - before[i])));
  expect(shift).toBeGreaterThan(MIN_COLOUR_SHIFT);
  if (SHOTS) writeFileSync(`${SHOTS}/page-lens.png`, await p.screenshot());
  expect(await compute.getByTestId('compute-progress').count()).toBe(0);

  // SOAP: streamed, summarised as timeSOAP (shown) and distance to the frame mean
  await compute.getByRole('button', { name: 'Compute SOAP' }).click();
  await colours.locator('.scale-labels', { hasText: 'timeSOAP' }).waitFor();
  const soapLabels = await colours.locator('.scale-labels span').allTextContents();
  expect(Number(soapLabels[0])).toBeGreaterThanOrEqual(0);
  expect(Number(soapLabels[2])).toBeGreaterThan(Number(soapLabels[0]));
  const options = await colours.getByLabel('Colour by').locator('option').allTextContents();
  expect(options).toEqual(expect.arrayContaining(['LENS', 'timeSOAP', 'SOAP distance to frame mean']));
  await shot(p, 'compute', 'compute-panel');
});

it('runs a small recipe on the pool: stages, figures equal the runner in Node; cancel keeps the results', async () => {
  // what the same recipe gives in Node (runRecipe on an in-thread pool of the same job code)
  const text = au309Xyz(AU_FRAMES);
  const file = new File([Buffer.from(text, 'latin1')], 'au309_cut.xyz');
  const traj = await openTrajectory([blobSource(file)]);
  const ref = await runRecipe(SMALL_RECIPE, { trajectory: traj, sources: [file] }, inThreadPool(2) as unknown as Pool<PipelineJobs>);
  expect(ref.pca).not.toBeNull();

  const p = await openPage();
  await dropText(p, 'au309_cut.xyz', text, AU_ATOMS);
  const params = panel(p, 'parameters');
  await params.getByTestId('recipe-input').setInputFiles({ name: 'small.recipe.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SMALL_RECIPE)) });
  // the file is read asynchronously: wait for the form to show it
  await expect.poll(() => params.getByLabel('Name').inputValue()).toBe(SMALL_RECIPE.name);
  await params.locator('summary', { hasText: 'SOAP' }).first().click();
  await expect.poll(() => params.getByLabel('n_max').inputValue()).toBe('4');
  await params.getByRole('button', { name: 'Run', exact: true }).click();
  await params.getByTestId('run-figures').waitFor({ timeout: 120_000 });
  await shot(p, 'parameters', 'parameters-after-run');
  if (SHOTS) writeFileSync(`${SHOTS}/page-run.png`, await p.screenshot());

  const components = Number(await params.getByTestId('fig-components').textContent());
  const clusters = Number(await params.getByTestId('fig-clusters').textContent());
  const macro = Number(await params.getByTestId('fig-macro').textContent());
  const variance = Number((await params.getByTestId('fig-variance').textContent())!.replace('%', '').trim()) / 100;
  expect(components).toBe(ref.pca!.k);
  expect(clusters).toBe(ref.analysis.cluster.nClusters);
  expect(macro).toBe(ref.analysis.macro.nMacro);
  expect(Math.abs(variance - ref.pca!.cumulativeRatio[ref.pca!.k - 1])).toBeLessThanOrEqual(VARIANCE_PRINT_TOL);
  expect(Number.isFinite(Number((await params.getByTestId('fig-time').textContent())!.replace('s', '')))).toBe(true);
  const done = await params.locator('[data-testid="run-stages"] li.done').count();
  expect(done).toBe(ref.timings.length);
  // the cluster layer is offered and chosen
  await expect(panel(p, 'colour').getByLabel('Colour by').inputValue()).resolves.toBe('layer:cluster');

  // a second, heavier run (more SOAP channels) cancelled while it runs: the first run's figures stay
  await params.getByLabel('n_max').fill('8');
  await params.getByLabel('l_max').fill('8');
  await params.getByRole('button', { name: 'Run', exact: true }).click();
  await params.getByRole('button', { name: 'Cancel run' }).click();
  await params.getByRole('button', { name: 'Run', exact: true }).waitFor();
  // it stopped part way: fewer stages finished than a whole run has
  expect(await params.locator('[data-testid="run-stages"] li.done').count()).toBeLessThan(ref.timings.length);
  await expect(params.getByTestId('run-cancelled').textContent()).resolves.toMatch(/previous run/);
  expect(Number(await params.getByTestId('fig-clusters').textContent())).toBe(clusters);
  expect(Number(await params.getByTestId('fig-components').textContent())).toBe(components);
  expect(await params.getByTestId('run-error').count()).toBe(0);
  expect(await p.locator('.errors .error').count()).toBe(0);
  expect(await p.getByTestId('job').count()).toBe(0);
});

it('an invalid field is named and Run is disabled', async () => {
  const p = await openPage();
  await dropText(p, 'au309_cut.xyz', au309Xyz(3), AU_ATOMS);
  const params = panel(p, 'parameters');
  await params.locator('summary', { hasText: 'SOAP' }).first().click();
  await params.getByLabel('r_cut (Å)').fill('');
  await expect(params.getByTestId('recipe-invalid').textContent()).resolves.toMatch(/soap\.rCut/);
  await expect(params.getByRole('button', { name: 'Run', exact: true }).isDisabled()).resolves.toBe(true);
  await params.getByLabel('Preset').selectOption('ice');
  await expect(params.getByTestId('recipe-invalid').count()).resolves.toBe(0);
  await shot(p, 'parameters', 'parameters-form');

  // Save recipe downloads the JSON of the recipe shown; it loads back with the core parser
  const [download] = await Promise.all([p.waitForEvent('download'), params.getByRole('button', { name: 'Save recipe' }).click()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  expect(parseRecipe(Buffer.concat(chunks).toString('utf8'))).toEqual(ICE_PRESET);
  expect(download.suggestedFilename()).toMatch(/\.recipe\.json$/);

  // a malformed recipe file is an error naming the file; the recipe shown is kept
  await params.getByTestId('recipe-input').setInputFiles({ name: 'broken.recipe.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, ') });
  await p.locator('.errors .error', { hasText: 'broken.recipe.json' }).waitFor();
  await expect(params.getByLabel('Preset').inputValue()).resolves.toBe('ice');
});
