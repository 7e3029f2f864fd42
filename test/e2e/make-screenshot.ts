/**
 * Regenerates docs/screenshot.png (the README's picture of the explorer with the example loaded).
 * Needs a running production build: `npx vite build && npx vite preview --port 4400 &`, then
 * `npx tsx test/e2e/make-screenshot.ts http://127.0.0.1:4400/`.
 */
import { launchBrowser } from './browser.ts';

async function main(base: string): Promise<void> {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(base);
  await page.getByRole('button', { name: 'Open example' }).click();
  await page.getByTestId('atom-count').filter({ hasText: '2,400' }).waitFor({ timeout: 60_000 });
  const slider = page.getByRole('slider', { name: 'Frame' });
  await slider.fill('120');
  await page.getByTestId('frame-counter').filter({ hasText: 'frame 121 /' }).waitFor();
  const box = (await page.getByTestId('atoms-canvas').boundingBox())!;
  // click an atom of the top surface so the atom panel shows its details
  await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.58);
  await page.mouse.move(box.x + box.width - 5, box.y + box.height - 5);
  await page.waitForTimeout(800);
  await page.screenshot({ path: 'docs/screenshot.png' });
  await browser.close();
}

void main(process.argv[2] ?? 'http://127.0.0.1:4400/');
