import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { dropText, openWatchedPage, SMALL_RECIPE } from './page.ts';
import { au309Xyz } from './data.ts';
import { decodePng, type Pixels } from './png.ts';
import { checkXml } from '../app/views/xml-check.ts';
import { openTrajectory } from '../../src/core/io/index.ts';
import { bytesSource } from '../../src/core/io/source.ts';

// The linked analysis views end to end in Chromium on the production build: a small recipe runs
// from the parameters panel on a real cut of ../shared/data/generated/au309_ico_200K_gupta.xyz.gz
// (our own MD output); a brush on the PCA map highlights in 3D exactly the atoms whose points of
// the current frame it holds; a click traces an atom; dragging the dendrogram cut changes the
// macro-cluster count; every view exports as SVG (well-formed, expected elements) and PNG (decoded
// at the requested size); the labelled extended XYZ reads back through the project's reader.
// Then the bundled example (Open example) with the Cu(211) preset on its first frames.

const AU_ATOMS = 309;
const AU_FRAMES = 12;
/** Frames of the Cu(211) example analysed by the preset in the second test (window 20 trims 10 + 10 and the last frame). */
const CU_FRAMES = 26;
/** PNG scale chosen for the exports, and the figure sizes of src/app/views/analysis-data.ts. */
const SCALE = 2;
const FIGURES: Array<{ panel: string; name: string; width: number; height: number; marker: string }> = [
  { panel: 'pca-map', name: 'pca-map', width: 640, height: 560, marker: 'image' },
  { panel: 'matrix', name: 'transition-matrix-macro', width: 520, height: 520, marker: 'cell' },
  { panel: 'dendrogram', name: 'dendrogram', width: 520, height: 400, marker: 'cut' },
  { panel: 'chord', name: 'chord-macro', width: 520, height: 520, marker: 'arc' },
  { panel: 'timeseries', name: 'lens-time-series', width: 720, height: 360, marker: 'faint' },
];
/** The brush below must leave most atoms out, so dimming shows. */
const MAX_HIGHLIGHT_FRACTION = 0.8;
/** Dimming most atoms must darken the 3D picture by more than this factor (sum of RGB). */
const MAX_DIMMED_RATIO = 0.95;
/** Set SOAPLENS_SHOTS=dir to keep screenshots of each view for a visual check. */
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
  ({ page, foreign, pageErrors } = await openWatchedPage(browser, inject('baseUrl'), { viewport: { width: 1400, height: 1100 }, acceptDownloads: true }));
  return page;
}

/** Sum of R + G + B over the picture. */
function brightness(px: Pixels): number {
  let s = 0;
  for (let i = 0; i < px.width * px.height; i++) s += px.rgba[4 * i] + px.rgba[4 * i + 1] + px.rgba[4 * i + 2];
  return s;
}

function panel(p: Page, id: string) {
  return p.locator(`[data-panel="${id}"]`);
}

async function downloaded(p: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([p.waitForEvent('download') as Promise<Download>, click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path!) };
}

async function shot(p: Page, id: string): Promise<void> {
  if (!SHOTS) return;
  const pn = panel(p, id);
  await pn.getByRole('button', { name: 'Maximise' }).click();
  await p.waitForTimeout(400);
  writeFileSync(`${SHOTS}/view-${id}.png`, await panel(p, id).screenshot());
  await panel(p, id).getByRole('button', { name: 'Restore layout' }).click();
  await p.waitForTimeout(200);
}

it('brush, trace, cut and export on a real small run', async () => {
  const p = await openPage();
  await dropText(p, 'au309_cut.xyz', au309Xyz(AU_FRAMES), AU_ATOMS);
  const params = panel(p, 'parameters');
  await params.getByTestId('recipe-input').setInputFiles({ name: 'small.recipe.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SMALL_RECIPE)) });
  await params.getByRole('button', { name: 'Run', exact: true }).click();
  await params.getByTestId('run-figures').waitFor({ timeout: 150_000 });
  const map = panel(p, 'pca-map');
  await map.getByTestId('map-points').waitFor();
  if (SHOTS) writeFileSync(`${SHOTS}/page.png`, await p.screenshot());

  // go to an analysed frame (trimmed window 3: frames 1..10 are analysed)
  // (the slider sets the frame wherever the run left it)
  const next = p.getByRole('button', { name: 'Next frame' });
  await p.getByLabel('Frame', { exact: true }).fill('2');
  await p.getByTestId('frame-counter').filter({ hasText: `frame 3 / ${AU_FRAMES}` }).waitFor();

  // --- brush a rectangle over the middle of the map
  await p.waitForTimeout(300);
  const before3d = brightness(decodePng(await p.getByTestId('atoms-canvas').screenshot()));
  const box = (await map.getByTestId('map-overlay').boundingBox())!;
  await p.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.15);
  await p.mouse.down();
  await p.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
  await p.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.85, { steps: 5 });
  await p.mouse.up();
  await map.getByTestId('highlighted-atoms').waitFor();
  const framePoints = Number(await map.getByTestId('frame-points').textContent());
  const highlighted = Number(await map.getByTestId('highlighted-atoms').textContent());
  expect(framePoints).toBeGreaterThan(0);
  expect(highlighted).toBe(framePoints);
  expect(highlighted).toBeLessThan(AU_ATOMS * MAX_HIGHLIGHT_FRACTION);
  // the 3D view dims the atoms outside the brush: the picture gets darker
  await p.waitForTimeout(300);
  const after3d = brightness(decodePng(await p.getByTestId('atoms-canvas').screenshot()));
  expect(after3d).toBeLessThan(before3d * MAX_DIMMED_RATIO);
  const counts = (await map.getByTestId('brush-counts').textContent())!;
  const m = /^(\d+) points · (\d+) atoms · (\d+) frames \((\d+) ms\)$/.exec(counts);
  expect(m).not.toBeNull();
  expect(Number(m![1])).toBeGreaterThanOrEqual(framePoints);
  console.log(`brush on ${AU_ATOMS} atoms: ${counts}`);
  // the next frame: the 3D mask follows
  await next.click();
  await p.getByTestId('frame-counter').filter({ hasText: `frame 4 / ${AU_FRAMES}` }).waitFor();
  await p.waitForTimeout(100);
  expect(Number(await map.getByTestId('highlighted-atoms').textContent())).toBe(Number(await map.getByTestId('frame-points').textContent()));
  await shot(p, 'pca-map');
  await map.getByRole('button', { name: 'Clear' }).click();

  // --- click a point: find a drawn (non-white) pixel of the point layer and click it
  const px = decodePng(await map.getByTestId('map-points').screenshot());
  let target: [number, number] | null = null;
  for (let y = Math.floor(px.height * 0.1); y < px.height * 0.9 && !target; y++) {
    for (let x = Math.floor(px.width * 0.1); x < px.width * 0.9; x++) {
      const o = 4 * (y * px.width + x);
      if (px.rgba[o] + px.rgba[o + 1] + px.rgba[o + 2] < 600) { target = [x, y]; break; }
    }
  }
  expect(target).not.toBeNull();
  const pb = (await map.getByTestId('map-points').boundingBox())!;
  await p.mouse.click(pb.x + (target![0] * pb.width) / px.width, pb.y + (target![1] * pb.height) / px.height);
  await map.locator('[data-trace]').first().waitFor();
  expect(await map.locator('[data-trace]').count()).toBe(1);
  await shot(p, 'pca-map');

  // --- dendrogram cut: drag it and the macro-cluster count changes
  const dendro = panel(p, 'dendrogram');
  const before = Number(/^(\d+) macro/.exec((await dendro.getByTestId('macro-count').textContent())!)![1]);
  const cut = dendro.getByTestId('dendrogram-cut');
  if (await cut.count()) {
    const cb = (await cut.boundingBox())!;
    const body = (await dendro.locator('.aview-body').boundingBox())!;
    // to the left end (cut 0: no merge) when merged now, else to the right end (everything merged)
    const toX = before > 1 ? body.x + body.width - 5 : body.x + 10;
    await p.mouse.move(cb.x + cb.width / 2, cb.y + cb.height / 2);
    await p.mouse.down();
    await p.mouse.move(toX, cb.y + cb.height / 2, { steps: 8 });
    await p.mouse.up();
    const after = Number(/^(\d+) macro/.exec((await dendro.getByTestId('macro-count').textContent())!)![1]);
    expect(after).not.toBe(before);
    console.log(`dendrogram cut: ${before} -> ${after} macro-clusters`);
  } else {
    throw new Error('the small run gave fewer than 2 clusters with transition statistics: no dendrogram to cut');
  }

  // --- every view exports as SVG and PNG
  for (const f of FIGURES) {
    const pn = panel(p, f.panel);
    await pn.getByLabel('PNG scale').selectOption(String(SCALE));
    const svg = await downloaded(p, () => pn.locator(`[data-export$="-svg"]`).click());
    expect(svg.name).toBe(`${f.name}.svg`);
    const x = checkXml(svg.bytes.toString('utf8'));
    expect(x.root).toBe('svg');
    expect(x.attrs.some((a) => a.tag === f.marker || a.attrs.class === f.marker)).toBe(true);
    const png = await downloaded(p, () => pn.locator(`[data-export$="-png"]`).click());
    expect(png.name).toBe(`${f.name}.png`);
    const img = decodePng(new Uint8Array(png.bytes));
    expect([img.width, img.height]).toEqual([f.width * SCALE, f.height * SCALE]);
    if (SHOTS) writeFileSync(`${SHOTS}/export-${f.name}.png`, png.bytes);
    await shot(p, f.panel);
  }

  // --- 3D canvas as PNG, and the labelled extended XYZ back through openTrajectory
  const exp = panel(p, 'export');
  const canvasBox = (await p.getByTestId('atoms-canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height]));
  await exp.getByLabel('3D PNG scale').selectOption('2');
  const png3d = decodePng(new Uint8Array((await downloaded(p, () => exp.locator('[data-export="3d-png"]').click())).bytes));
  expect([png3d.width, png3d.height]).toEqual([canvasBox[0] * 2, canvasBox[1] * 2]);
  const xyz = await downloaded(p, () => exp.locator('[data-export="extxyz"]').click());
  const t = await openTrajectory([bytesSource('labelled.extxyz', new Uint8Array(xyz.bytes))]);
  expect(t.nAtoms).toBe(AU_ATOMS);
  // one extended XYZ frame per analysed frame (the time series states how many there are)
  const analysed = Number(/over (\d+) frames/.exec((await panel(p, 'timeseries').locator('.aview-bar').textContent())!)![1]);
  expect(analysed).toBeGreaterThan(1);
  expect(t.nFrames).toBe(analysed);
  const f0 = await t.readFrame(0);
  expect(f0.info?.frame).toBeGreaterThanOrEqual(1);
  for (const name of ['cluster', 'macro', 'lens', 'pc1']) expect(f0.properties?.[name]).toHaveLength(AU_ATOMS);
  const recipe = await downloaded(p, () => exp.locator('[data-export="recipe"]').click());
  expect(JSON.parse(recipe.bytes.toString('utf8')).name).toBe(SMALL_RECIPE.name);
});

it('the bundled example with the Cu(211) preset on its first frames: a brush highlights the same atoms in 3D', async () => {
  const p = await openPage();
  await p.getByRole('button', { name: 'Open example' }).click();
  await p.getByTestId('atom-count').filter({ hasText: /^2,?400$/ }).waitFor({ timeout: 60_000 });
  const params = panel(p, 'parameters');
  await params.getByLabel('Preset').selectOption('cu211');
  await params.getByLabel('Frames to analyse').fill(String(CU_FRAMES));
  await params.getByRole('button', { name: 'Run', exact: true }).click();
  await params.getByTestId('run-figures').waitFor({ timeout: 170_000 });
  const map = panel(p, 'pca-map');
  await map.getByTestId('map-points').waitFor();
  // trajectory frame 12 is analysed (kept frames start at 10)
  await p.getByLabel('Frame', { exact: true }).fill('12');
  await p.getByTestId('frame-counter').filter({ hasText: 'frame 13 / ' }).waitFor();
  const box = (await map.getByTestId('map-overlay').boundingBox())!;
  await p.mouse.move(box.x + box.width * 0.05, box.y + box.height * 0.05);
  await p.mouse.down();
  await p.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.95, { steps: 6 });
  await p.mouse.up();
  await map.getByTestId('highlighted-atoms').waitFor();
  const framePoints = Number(await map.getByTestId('frame-points').textContent());
  expect(framePoints).toBeGreaterThan(0);
  expect(Number(await map.getByTestId('highlighted-atoms').textContent())).toBe(framePoints);
  console.log(`Cu(211) example, ${CU_FRAMES} frames: ${await map.getByTestId('brush-counts').textContent()}`);
  if (SHOTS) writeFileSync(`${SHOTS}/cu-example.png`, await p.screenshot());
});
