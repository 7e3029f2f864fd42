/**
 * `soaplens analyze` (src/cli/commands/analyze.ts): a scaled-down Cu(211) recipe on the first frames
 * of the generated trajectory through the worker pool; the written .npy files load and agree with
 * results.json; bad arguments and bad files exit non-zero with a message.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { recipeFromJson, run } from '../../src/cli/commands/analyze.ts';
import { readNpy } from '../../src/core/io/npy.ts';
import { CU211_PRESET } from '../../src/core/pipeline/recipe.ts';
import { sharedPath } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'soaplens-analyze-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PATH = sharedPath('data', 'generated', 'cu211_600K_eam.lammpstrj.gz');

/** Over the cu211 preset: top 100 atoms, n = l = 4, W = 4, min_cluster_size 20. */
const CONFIG = {
  preset: 'cu211',
  name: 'cu211 small (test)',
  selection: { kind: 'top-by-z', count: 100, frame: 0 },
  soap: { nMax: 4, lMax: 4 },
  smoothing: { window: 4 },
  cluster: { params: { minClusterSize: 20, clusterSelectionMethod: 'eom' } },
};

const load = (out: string, f: string) => readNpy(new Uint8Array(readFileSync(join(out, f))), f);

describe('soaplens analyze (CLI)', () => {
  it('--config over a preset: fields replaced, nested objects merged one level', () => {
    const r = recipeFromJson(CONFIG);
    expect(r.soap).toEqual({ ...CU211_PRESET.soap, nMax: 4, lMax: 4 });
    expect(r.smoothing).toEqual({ ...CU211_PRESET.smoothing, window: 4 });
    expect(r.cluster).toEqual({ ...CU211_PRESET.cluster, params: { minClusterSize: 20, clusterSelectionMethod: 'eom' } });
    expect(r.lens).toEqual(CU211_PRESET.lens);
    expect(() => recipeFromJson({ preset: 'nope' })).toThrow(/unknown preset/);
    expect(() => recipeFromJson({ ...CU211_PRESET, version: 2 })).toThrow(/version/);
  });

  it('writes loadable .npy results and a summary for the first 12 frames', async () => {
    const cfg = join(dir, 'params.json');
    writeFileSync(cfg, JSON.stringify(CONFIG));
    const out = join(dir, 'results');
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    let code: number;
    try {
      code = await run([PATH, '--config', cfg, '--frames', '12', '--workers', '1', '--out', out]);
    } finally {
      err.mockRestore();
    }
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    expect(code, printed).toBe(0);
    expect(printed).toMatch(/rows: 7 frames x 100 atoms = 700/); // pipeline.md §4: M = 12 - 1 - 4
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      nAtoms: number; nFrames: number; scoreDim: number; pca: { k: number }; clustering: { nClusters: number };
      macro: { nMacro: number; linkage: number[][] }; transitions: { k: number; counts: number[][] };
    };
    expect([json.nAtoms, json.nFrames]).toEqual([100, 7]);
    const scores = load(out, 'scores.npy');
    expect(scores.dtype).toBe('f8');
    expect(scores.shape).toEqual([700, json.scoreDim]);
    expect(json.scoreDim).toBe(json.pca.k);
    const labels = load(out, 'labels.npy');
    expect(labels.shape).toEqual([700]);
    const macro = load(out, 'macro_labels.npy');
    expect(macro.shape).toEqual([700]);
    for (const v of labels.data) expect(v >= 0 && v < json.clustering.nClusters).toBe(true); // soft argmax: no noise
    for (const v of macro.data) expect(v >= 0 && v < json.macro.nMacro).toBe(true);
    const counts = load(out, 'transition_counts.npy');
    expect(counts.shape).toEqual([json.transitions.k, json.transitions.k]);
    // pipeline.md §8: (M - 1) x N pairs with window = stride = 1.
    expect(Array.from(counts.data).reduce((s, x) => s + x, 0)).toBe(6 * 100);
    expect(Array.from(counts.data)).toEqual(json.transitions.counts.flat());
    if (json.macro.linkage.length > 0) expect(load(out, 'linkage.npy').shape).toEqual([json.macro.linkage.length, 4]);
    expect(load(out, 'pca_mean.npy').shape).toEqual([80 + 1]); // filled n^2 (l + 1) = 80, plus LENS
    expect(load(out, 'lens.npy').shape).toEqual([700]);
    expect(load(out, 'frames.npy').data[0]).toBe(2); // t_0 = floor(W / 2)
    expect(readFileSync(join(out, 'summary.txt'), 'utf8')).toMatch(/macro-clusters: \d+/);
  }, 120_000);

  it('a config that appends LODE (issue 8) runs and widens the PCA by the LODE block; a bad LODE block exits 2 naming the field', async () => {
    // LODE p = 6 power spectrum, N = 2, L = 1: (2 * 3 / 2) pairs x (L + 1) = 6 columns after SOAP (80) and LENS (1).
    const lode = { params: { exponent: 6, smearing: 2, cutoff: 4, maxRadial: 2, maxAngular: 1, radialBasis: 'gto', output: 'power-spectrum' },
      weight: 1, normalise: true };
    const cfg = join(dir, 'params-lode.json');
    writeFileSync(cfg, JSON.stringify({ ...CONFIG, descriptor: 'soap+lens+lode', lode }));
    const out = join(dir, 'results-lode');
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    let code: number;
    try {
      code = await run([PATH, '--config', cfg, '--frames', '12', '--workers', '1', '--out', out]);
    } finally {
      err.mockRestore();
    }
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    expect(code, printed).toBe(0);
    expect(printed).toMatch(/rows: 7 frames x 100 atoms = 700/);
    expect(load(out, 'pca_mean.npy').shape).toEqual([80 + 1 + 6]);
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { scoreDim: number; pca: { k: number } };
    expect(load(out, 'scores.npy').shape).toEqual([700, json.pca.k]);
    const bad = join(dir, 'params-lode-bad.json');
    writeFileSync(bad, JSON.stringify({ ...CONFIG, descriptor: 'lode', lode: { ...lode, params: { ...lode.params, exponent: 0 } } }));
    const err2 = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await run([PATH, '--config', bad, '--workers', '1', '--out', join(dir, 'z')])).toBe(2);
      expect(String(err2.mock.calls.at(-1)?.[0])).toMatch(/recipe\.lode\.params\.exponent/);
      writeFileSync(bad, JSON.stringify({ ...CONFIG, descriptor: 'soap+lode' }));
      expect(await run([PATH, '--config', bad, '--workers', '1', '--out', join(dir, 'z')])).toBe(2);
      expect(String(err2.mock.calls.at(-1)?.[0])).toMatch(/recipe\.lode: missing/);
      expect(existsSync(join(dir, 'z'))).toBe(false);
    } finally {
      err2.mockRestore();
    }
  }, 120_000);

  it('bad arguments exit 2, a missing or unreadable file exits 1 with the message', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await run([PATH, '--out', join(dir, 'x')])).toBe(2); // neither --preset nor --config
      expect(await run([PATH, '--preset', 'cu211', '--config', 'p.json', '--out', join(dir, 'x')])).toBe(2);
      expect(await run([PATH, '--preset', 'nope', '--out', join(dir, 'x')])).toBe(2);
      expect(await run([PATH, '--preset', 'cu211', '--workers', '0', '--out', join(dir, 'x')])).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/--workers/);
      const bad = join(dir, 'bad.lammpstrj');
      writeFileSync(bad, 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\nnot-a-number\n');
      err.mockClear();
      expect(await run([bad, '--preset', 'cu211', '--workers', '1', '--out', join(dir, 'y')])).toBe(1);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/bad\.lammpstrj/);
      expect(existsSync(join(dir, 'y'))).toBe(false);
    } finally {
      err.mockRestore();
    }
  }, 60_000);
});
