import type { Browser, Page } from 'playwright-core';
import { validateRecipe, type Recipe } from '../../src/core/pipeline/recipe.ts';
import { watchForeignRequests } from './browser.ts';

/** A page of the explorer with what every e2e test checks afterwards: foreign requests and page errors. */
export interface WatchedPage {
  page: Page;
  /** Requests that left the page's origin (must stay empty: the no-upload guarantee). */
  foreign: string[];
  /** Uncaught page errors and console errors (a shader that fails to compile only shows up there). */
  pageErrors: string[];
}

/** Opens the explorer at `base` and waits until it is ready ("Open example" shown). */
export async function openWatchedPage(browser: Browser, base: string,
  options: Parameters<Browser['newPage']>[0] = {}): Promise<WatchedPage> {
  const page = await browser.newPage(options);
  const foreign = watchForeignRequests(page, base);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(base);
  await page.getByRole('button', { name: 'Open example' }).waitFor();
  return { page, foreign, pageErrors };
}

/** Drops one text file on the page as a user dragging it from the desktop, and waits for its atom count. */
export async function dropText(p: Page, name: string, text: string, expectAtoms: number): Promise<void> {
  const dt = await p.evaluateHandle(([n, t]) => {
    const d = new DataTransfer();
    d.items.add(new File([t], n));
    return d;
  }, [name, text] as const);
  for (const type of ['dragenter', 'dragover', 'drop']) await p.dispatchEvent('body', type, { dataTransfer: dt });
  await p.getByTestId('atom-count').filter({ hasText: new RegExp(`^${expectAtoms}$`) }).waitFor();
}

/** A small recipe: every Au atom, few SOAP channels, short smoothing, HDBSCAN*: seconds in headless Chromium. */
export const SMALL_RECIPE: Recipe = validateRecipe({
  version: 1,
  name: 'Au309 cut, small',
  selection: { kind: 'all' },
  descriptor: 'soap+lens',
  soap: { rCut: 4.48, nMax: 4, lMax: 3, sigma: 1, rbf: 'gto', periodic: false, layout: 'filled', species: ['Au'] },
  lens: { cutoff: 4.48, convention: 'soapify', universe: 'all' },
  smoothing: { window: 3, polyorder: 1, mode: 'interp', clip: true, trim: true },
  lensWeight: 1,
  pca: { varianceRatio: 0.9 },
  cluster: { method: 'hdbscan', params: { minClusterSize: 60, clusterSelectionMethod: 'eom' }, soft: 'argmax-all', mode: 'exact' },
  transitions: { window: 1, stride: 1 },
  macro: { metric: 'correlation', linkage: 'average', cut: 1, merge: true },
  seed: 666,
});
