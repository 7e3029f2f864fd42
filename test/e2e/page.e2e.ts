import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchForeignRequests } from './browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

it('serves the explorer and sends no request outside its own origin', async () => {
  const base = inject('baseUrl');
  const page = await browser.newPage();
  const foreign = watchForeignRequests(page, base);
  await page.goto(base);
  await expect(page.locator('h1').first().textContent()).resolves.toContain('soaplens');
  expect(foreign).toEqual([]);
});
