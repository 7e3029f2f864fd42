/**
 * Regenerates the README's pictures: docs/screenshot.png (the example loaded, an atom clicked) and
 * docs/screenshot-analysis.png (the Cu(211) preset run on the example's first frames, a brush on the
 * PCA map lighting atoms up in 3D, with the matrix, dendrogram, chord and time-series views).
 * Needs a running production build: `npx vite build && npx vite preview --port 4400 &`, then
 * `npx tsx test/e2e/make-screenshot.ts http://127.0.0.1:4400/`.
 */
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';

const ANALYSED_FRAMES = 80;

async function openExample(page: Page, base: string): Promise<void> {
  await page.goto(base);
  await page.getByRole('button', { name: 'Open example' }).click();
  await page.getByTestId('atom-count').filter({ hasText: '2,400' }).waitFor({ timeout: 60_000 });
}

async function main(base: string): Promise<void> {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  await openExample(page, base);
  const slider = page.getByRole('slider', { name: 'Frame' });
  await slider.fill('120');
  await page.getByTestId('frame-counter').filter({ hasText: 'frame 121 /' }).waitFor();
  const box = (await page.getByTestId('atoms-canvas').boundingBox())!;
  // click an atom of the top surface so the atom panel shows its details
  await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.58);
  await page.mouse.move(box.x + box.width - 5, box.y + box.height - 5);
  await page.waitForTimeout(800);
  await page.screenshot({ path: 'docs/screenshot.png' });
  await page.close();

  const a = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
  await openExample(a, base);
  const params = a.locator('[data-panel="parameters"]');
  await params.getByLabel('Preset').selectOption('cu211');
  await params.getByLabel('Frames to analyse').fill(String(ANALYSED_FRAMES));
  await params.getByRole('button', { name: 'Run', exact: true }).click();
  await params.getByTestId('run-figures').waitFor({ timeout: 600_000 });
  const map = a.locator('[data-panel="pca-map"]');
  await map.getByTestId('map-points').waitFor();
  await a.getByLabel('Frame', { exact: true }).fill('40');
  await a.getByTestId('frame-counter').filter({ hasText: 'frame 41 / ' }).waitFor();
  const mb = (await map.getByTestId('map-overlay').boundingBox())!;
  await a.mouse.move(mb.x + mb.width * 0.55, mb.y + mb.height * 0.05);
  await a.mouse.down();
  await a.mouse.move(mb.x + mb.width * 0.95, mb.y + mb.height * 0.6, { steps: 6 });
  await a.mouse.up();
  await map.getByTestId('highlighted-atoms').waitFor();
  await a.waitForTimeout(800);
  await a.screenshot({ path: 'docs/screenshot-analysis.png' });
  await browser.close();
}

void main(process.argv[2] ?? 'http://127.0.0.1:4400/');
