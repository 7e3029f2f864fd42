import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { openWatchedPage } from './page.ts';
import { au309Xyz, cu211Dump, gzip } from './data.ts';
import { decodePng, imageStats } from './png.ts';
import { readShared } from '../helpers/shared.ts';

// The explorer end to end in Chromium on the production build: real trajectories from
// ../shared/data/generated (our own MD output), dropped or picked, counts, stepping, a non-blank
// canvas, a corrupted file, the bundled example. Every test checks that no request left the origin.

const AU_FRAMES = 12;
const AU_ATOMS = 309;
const CU_FRAMES = 3;
const CU_ATOMS = 2400;
/** The 3D view's clear colour (src/app/viewer/atom-scene.ts BACKGROUND = 0x14171c). */
const BACKGROUND: [number, number, number] = [0x14, 0x17, 0x1c];
/** A drawn scene: spheres are shaded, so they give many colours; a blank canvas gives one or two. */
const MIN_DISTINCT_COLOURS = 50;
/** Atoms cover well over this fraction of the view once the camera is fitted to them. */
const MIN_FOREGROUND = 0.03;

let browser: Browser;
let page: Page;
let foreign: string[];
let pageErrors: string[];

beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

async function openPage(): Promise<Page> {
  ({ page, foreign, pageErrors } = await openWatchedPage(browser, inject('baseUrl'), { viewport: { width: 1280, height: 800 } }));
  return page;
}

afterEach(async () => {
  expect(foreign).toEqual([]);
  expect(pageErrors).toEqual([]);
  await page?.close();
});

/** Drops files on the page the way a browser does: dragenter, dragover, drop with a DataTransfer. */
async function dropFiles(p: Page, files: Array<{ name: string; bytes: Uint8Array }>): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  const dt = await p.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) {
      const bin = atob(f.b64);
      const u = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
      d.items.add(new File([u], f.name));
    }
    return d;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) await p.dispatchEvent('body', type, { dataTransfer: dt });
}

async function expectCounts(p: Page, atoms: number, frames: number): Promise<void> {
  const info = p.getByTestId('trajectory-info');
  await p.getByTestId('atom-count').filter({ hasText: new RegExp(`^${atoms.toLocaleString('en-US')}$`) }).waitFor();
  await expect(info.getByTestId('frame-total').textContent()).resolves.toBe(frames.toLocaleString('en-US'));
}

async function counter(p: Page): Promise<string | null> {
  return p.getByTestId('frame-counter').textContent();
}

/** Screenshots the 3D canvas until it shows atoms (the first render follows the data by a frame). */
async function canvasStats(p: Page): Promise<{ distinct: number; foreground: number }> {
  let stats = { distinct: 0, foreground: 0 };
  for (let attempt = 0; attempt < 20; attempt++) {
    const png = await p.getByTestId('atoms-canvas').screenshot();
    stats = imageStats(decodePng(png), BACKGROUND);
    if (stats.distinct >= MIN_DISTINCT_COLOURS && stats.foreground >= MIN_FOREGROUND) break;
    await p.waitForTimeout(250);
  }
  return stats;
}

it('drop a real XYZ file: counts, stepping, a drawn canvas, hover info', async () => {
  const p = await openPage();
  await dropFiles(p, [{ name: 'au309_cut.xyz', bytes: Buffer.from(au309Xyz(AU_FRAMES), 'latin1') }]);
  await expectCounts(p, AU_ATOMS, AU_FRAMES);
  await expect(p.getByTestId('trajectory-info').textContent()).resolves.toContain('au309_cut.xyz');
  await expect(p.getByTestId('trajectory-info').textContent()).resolves.toContain(`Au ${AU_ATOMS}`);
  expect(await counter(p)).toBe(`frame 1 / ${AU_FRAMES}`);

  await p.keyboard.press('ArrowRight');
  await p.getByTestId('frame-counter').filter({ hasText: `frame 2 / ${AU_FRAMES}` }).waitFor();
  await p.getByRole('button', { name: 'Next frame' }).click();
  await p.getByTestId('frame-counter').filter({ hasText: `frame 3 / ${AU_FRAMES}` }).waitFor();
  await p.keyboard.press('ArrowLeft');
  await p.getByTestId('frame-counter').filter({ hasText: `frame 2 / ${AU_FRAMES}` }).waitFor();

  const stats = await canvasStats(p);
  expect(stats.distinct).toBeGreaterThanOrEqual(MIN_DISTINCT_COLOURS);
  expect(stats.foreground).toBeGreaterThanOrEqual(MIN_FOREGROUND);

  // the cluster sits at the centre of the fitted view: hovering there names an Au atom
  const box = (await p.getByTestId('atoms-canvas').boundingBox())!;
  await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const atom = p.getByTestId('atom-info');
  await atom.waitFor();
  const text = (await atom.textContent()) ?? '';
  expect(text).toMatch(/Atomid \d+/);
  expect(text).toContain('SpeciesAu');
  expect(text).toContain('Frame2');
});

it('a corrupted file shows file and line, and the earlier trajectory stays shown', async () => {
  const p = await openPage();
  await dropFiles(p, [{ name: 'au309_cut.xyz', bytes: Buffer.from(au309Xyz(AU_FRAMES), 'latin1') }]);
  await expectCounts(p, AU_ATOMS, AU_FRAMES);
  await p.keyboard.press('ArrowRight');
  await p.getByTestId('frame-counter').filter({ hasText: `frame 2 / ${AU_FRAMES}` }).waitFor();

  // line 7 (1-based) is the 5th atom of frame 0: its y becomes "1.2.3"
  const lines = au309Xyz(2).split('\n');
  const BAD_LINE = 7;
  const f = lines[BAD_LINE - 1].trim().split(/\s+/);
  f[2] = '1.2.3';
  lines[BAD_LINE - 1] = f.join(' ');
  await dropFiles(p, [{ name: 'broken.xyz', bytes: Buffer.from(lines.join('\n'), 'latin1') }]);
  const err = p.getByTestId('error');
  await err.waitFor();
  const msg = (await err.textContent()) ?? '';
  expect(msg).toContain('broken.xyz');
  expect(msg).toContain(`line ${BAD_LINE}`);
  expect(msg).toContain('expected');

  await expectCounts(p, AU_ATOMS, AU_FRAMES);
  await expect(p.getByTestId('trajectory-info').textContent()).resolves.toContain('au309_cut.xyz');
  expect(await counter(p)).toBe(`frame 2 / ${AU_FRAMES}`);
  const stats = await canvasStats(p);
  expect(stats.distinct).toBeGreaterThanOrEqual(MIN_DISTINCT_COLOURS);

  await err.getByRole('button', { name: 'Dismiss' }).click();
  await expect(p.getByTestId('error').count()).resolves.toBe(0);
});

it('a frame that fails to decode later names its line; the last good frame stays on screen', async () => {
  const lines = au309Xyz(AU_FRAMES).split('\n');
  // frame 3 (0-based 2): its 10th atom gets a non-numeric x; 1-based line of that atom:
  const BAD_LINE = 2 * (AU_ATOMS + 2) + 2 + 10;
  const f = lines[BAD_LINE - 1].trim().split(/\s+/);
  f[1] = 'x1.5';
  lines[BAD_LINE - 1] = f.join(' ');
  const p = await openPage();
  await dropFiles(p, [{ name: 'au309_bad_frame3.xyz', bytes: Buffer.from(lines.join('\n'), 'latin1') }]);
  await expectCounts(p, AU_ATOMS, AU_FRAMES);
  await p.keyboard.press('ArrowRight');
  await p.getByTestId('frame-counter').filter({ hasText: `frame 2 / ${AU_FRAMES}` }).waitFor();
  await p.keyboard.press('ArrowRight');
  const err = p.getByTestId('error');
  await err.waitFor();
  const msg = (await err.textContent()) ?? '';
  expect(msg).toContain('frame 3');
  expect(msg).toContain('au309_bad_frame3.xyz');
  expect(msg).toContain(`line ${BAD_LINE}`);
  await p.getByTestId('frame-counter').filter({ hasText: `frame 2 / ${AU_FRAMES}` }).waitFor();
  const stats = await canvasStats(p);
  expect(stats.distinct).toBeGreaterThanOrEqual(MIN_DISTINCT_COLOURS);
});

it('a long load shows progress and can be cancelled; the earlier trajectory stays', async () => {
  const p = await openPage();
  await dropFiles(p, [{ name: 'au309_cut.xyz', bytes: Buffer.from(au309Xyz(AU_FRAMES), 'latin1') }]);
  await expectCounts(p, AU_ATOMS, AU_FRAMES);
  // the whole 2000-frame file twice as a two-member gzip (4000 frames): seconds of work to cancel
  const whole = readShared('data', 'generated', 'au309_ico_200K_gupta.xyz.gz');
  await p.getByTestId('file-input').setInputFiles({ name: 'au309_twice.xyz.gz', mimeType: 'application/gzip', buffer: Buffer.concat([whole, whole]) });
  const job = p.getByTestId('job');
  await job.waitFor();
  await expect(job.textContent()).resolves.toContain('au309_twice.xyz.gz');
  await job.getByRole('button', { name: 'Cancel' }).click();
  await p.getByTestId('error').filter({ hasText: 'cancelled' }).waitFor();
  await expect(p.getByTestId('job').count()).resolves.toBe(0);
  await expectCounts(p, AU_ATOMS, AU_FRAMES);
  await expect(p.getByTestId('trajectory-info').textContent()).resolves.toContain('au309_cut.xyz');
});

it('colours by a per-atom property of an extended XYZ file, with a legend of its range', async () => {
  // the Au309 cut rewritten as extended XYZ with one extra column r = distance from the origin
  const lines = au309Xyz(2).split('\n');
  const rs: number[] = [];
  for (let f = 0; f < 2; f++) {
    const at = f * (AU_ATOMS + 2);
    lines[at + 1] = 'Properties=species:S:1:pos:R:3:r:R:1 pbc="F F F"';
    for (let a = 0; a < AU_ATOMS; a++) {
      const [el, x, y, z] = lines[at + 2 + a].trim().split(/\s+/);
      const r = Math.hypot(Number(x), Number(y), Number(z));
      if (f === 0) rs.push(r);
      lines[at + 2 + a] = `${el} ${x} ${y} ${z} ${r.toFixed(4)}`;
    }
  }
  const lo = Math.min(...rs.map((r) => Number(r.toFixed(4))));
  const hi = Math.max(...rs.map((r) => Number(r.toFixed(4))));
  const p = await openPage();
  await dropFiles(p, [{ name: 'au309_r.extxyz', bytes: Buffer.from(lines.join('\n'), 'latin1') }]);
  await expectCounts(p, AU_ATOMS, 2);
  await p.getByRole('combobox', { name: 'Colour by' }).selectOption('property:r');
  const legend = p.locator('.scale-labels');
  await legend.waitFor();
  await expect(legend.textContent()).resolves.toBe(`${lo.toFixed(3)}r${hi.toFixed(3)}`);
  const stats = await canvasStats(p);
  expect(stats.distinct).toBeGreaterThanOrEqual(MIN_DISTINCT_COLOURS);
});

it('a coordinates file dropped with its topology opens as one trajectory (XTC + GRO)', async () => {
  const p = await openPage();
  await dropFiles(p, [
    { name: 'ice_water_tip4pice_268K_topology.gro', bytes: readShared('data', 'generated', 'ice_water_tip4pice_268K_topology.gro') },
    { name: 'ice_water_tip4pice_268K_60ps_0.5ps.xtc', bytes: readShared('data', 'generated', 'ice_water_tip4pice_268K_60ps_0.5ps.xtc') },
  ]);
  // data README: 8192 atoms (2048 TIP4P/Ice waters x OW, HW1, HW2, MW), 121 frames every 0.5 ps
  await expectCounts(p, 8192, 121);
  const info = (await p.getByTestId('trajectory-info').textContent()) ?? '';
  expect(info).toContain('O 2,048');
  expect(info).toContain('H 4,096');
  await p.keyboard.press('ArrowRight');
  await p.getByTestId('frame-counter').filter({ hasText: 'frame 2 / 121' }).waitFor();
  await p.getByTestId('frame-time').filter({ hasText: '0.50 ps' }).waitFor();
  const stats = await canvasStats(p);
  expect(stats.distinct).toBeGreaterThanOrEqual(MIN_DISTINCT_COLOURS);
});

it('the file picker opens a gzipped LAMMPS dump', async () => {
  const p = await openPage();
  await p.getByTestId('file-input').setInputFiles({ name: 'cu211_cut.lammpstrj.gz', mimeType: 'application/gzip', buffer: gzip(cu211Dump(CU_FRAMES)) });
  await expectCounts(p, CU_ATOMS, CU_FRAMES);
  await expect(p.getByTestId('trajectory-info').textContent()).resolves.toContain('lammps');
  await p.keyboard.press('End'); // not bound: nothing happens
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('ArrowRight');
  await p.getByTestId('frame-counter').filter({ hasText: `frame 3 / ${CU_FRAMES}` }).waitFor();
  await p.keyboard.press('ArrowRight'); // already last: stays
  await p.waitForTimeout(100);
  expect(await counter(p)).toBe(`frame 3 / ${CU_FRAMES}`);
  const stats = await canvasStats(p);
  expect(stats.distinct).toBeGreaterThanOrEqual(MIN_DISTINCT_COLOURS);
  expect(stats.foreground).toBeGreaterThanOrEqual(MIN_FOREGROUND);
});

it('Open example loads the bundled trajectory from the page origin and plays it', async () => {
  // the expected counts are read from the shipped file itself, independently of the app
  const text = gunzipSync(readFileSync(new URL('../../public/examples/cu211_600K_eam.lammpstrj.gz', import.meta.url))).toString('latin1');
  const frames = text.split('ITEM: TIMESTEP').length - 1;
  const atoms = Number(/ITEM: NUMBER OF ATOMS\s+(\d+)/.exec(text)![1]);
  const p = await openPage();
  await p.getByRole('button', { name: 'Open example' }).click();
  await expectCounts(p, atoms, frames);
  expect(await counter(p)).toBe(`frame 1 / ${frames}`);
  await p.getByRole('button', { name: 'Play' }).click();
  // playing advances the counter by itself (polled: each frame's text lasts only 1/fps seconds)
  await p.waitForFunction((n) => {
    const m = /^frame (\d+) \//.exec(document.querySelector('[data-testid=frame-counter]')?.textContent ?? '');
    return m !== null && Number(m[1]) >= n;
  }, 4);
  // space pauses, also while the Play button has the focus (no second toggle by the button itself)
  await p.keyboard.press(' ');
  await p.getByRole('button', { name: 'Play' }).waitFor();
  const paused = await counter(p);
  await p.waitForTimeout(400);
  expect(await counter(p)).toBe(paused);
  // the example has times (ITEM: TIME), shown in ps
  await expect(p.getByTestId('frame-time').textContent()).resolves.toMatch(/^\d+\.\d\d ps$/);
  const stats = await canvasStats(p);
  expect(stats.distinct).toBeGreaterThanOrEqual(MIN_DISTINCT_COLOURS);
  expect(stats.foreground).toBeGreaterThanOrEqual(MIN_FOREGROUND);
});
