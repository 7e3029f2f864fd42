import { describe, expect, it } from 'vitest';
import { AUNP_PRESET, CU211_PRESET, ICE_PRESET, lensOnly, parseRecipe, PRESETS, validateRecipe, type Recipe } from '../../../src/core/pipeline/recipe.ts';
import { FormatError } from '../../../src/core/errors.ts';
import { selectAtoms } from '../../../src/core/pipeline/selection.ts';
import { bytesSource, openTrajectory } from '../../../src/core/io/index.ts';
import { readShared, readSharedJson } from '../../helpers/shared.ts';

describe('recipes and presets (pipeline.md §0)', () => {
  it('the three presets validate and survive a JSON round trip', () => {
    for (const r of Object.values(PRESETS)) {
      expect(validateRecipe(r)).toBe(r);
      const back = JSON.parse(JSON.stringify(r)) as Recipe;
      expect(back).toEqual(r);
      expect(validateRecipe(back)).toEqual(r);
    }
    expect(validateRecipe(lensOnly(CU211_PRESET, 3)).cluster).toEqual({ method: 'lens-kmeans', k: 3, rule: 'rank' });
  });

  it('presets carry the per-system values of pipeline.md §0', () => {
    expect([CU211_PRESET.soap.rCut, AUNP_PRESET.soap.rCut, ICE_PRESET.soap.rCut]).toEqual([6, 4.48, 6]);
    expect([CU211_PRESET.smoothing.window, AUNP_PRESET.smoothing.window, ICE_PRESET.smoothing.window]).toEqual([20, 100, 100]);
    expect([CU211_PRESET.pca, AUNP_PRESET.pca, ICE_PRESET.pca]).toEqual([{ varianceRatio: 0.995 }, { varianceRatio: 0.995 }, { varianceRatio: 0.99 }]);
    expect(CU211_PRESET.cluster).toMatchObject({ method: 'hdbscan', params: { minClusterSize: 80 }, soft: 'argmax-all' });
    expect(AUNP_PRESET.cluster).toMatchObject({ method: 'hdbscan', params: { minClusterSize: 150 } });
    expect(ICE_PRESET.cluster).toMatchObject({ method: 'gmm', nComponents: 3 });
    expect(ICE_PRESET.soap.species).toEqual(['H', 'O']);
    expect(ICE_PRESET.macro.merge).toBe(false);
    for (const r of Object.values(PRESETS)) {
      expect(r.macro).toMatchObject({ metric: 'correlation', linkage: 'average', cut: 1 });
      expect(r.lensWeight).toBe(1);
    }
  });

  it('parses saved JSON; malformed text is a FormatError naming the file', () => {
    expect(parseRecipe(JSON.stringify(ICE_PRESET))).toEqual(ICE_PRESET);
    expect(() => parseRecipe('{"version": 1,', 'params.json')).toThrow(FormatError);
    expect(() => parseRecipe('{"version": 1,', 'params.json')).toThrow(/params\.json/);
    expect(() => parseRecipe('[1, 2]')).toThrow(FormatError);
    expect(() => parseRecipe('{"version": 1}')).toThrow(RangeError);
  });

  it('a mutated recipe either validates or throws a RangeError, never a TypeError', () => {
    const junk: unknown[] = [undefined, null, 'x', -1, 0, 1.5, [], {}, Number.NaN];
    let thrown = 0;
    for (const base of Object.values(PRESETS)) {
      const paths: string[][] = [];
      const walk = (v: unknown, path: string[]) => {
        paths.push(path);
        if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
      };
      walk(base, []);
      for (const path of paths.slice(1)) {
        for (const j of junk) {
          const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
          let o = copy;
          for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
          o[path[path.length - 1]] = j;
          try { validateRecipe(copy as unknown as Recipe); } catch (e) { expect(e).toBeInstanceOf(RangeError); thrown++; }
        }
      }
    }
    expect(thrown).toBeGreaterThan(100);
  });

  it('names the first bad field', () => {
    const bad = (patch: object) => () => validateRecipe({ ...CU211_PRESET, ...patch } as Recipe);
    expect(bad({ version: 2 })).toThrow(/recipe\.version/);
    expect(bad({ pca: undefined })).toThrow(/recipe\.pca/);
    expect(bad({ soap: { ...CU211_PRESET.soap, species: [] } })).toThrow(/recipe\.soap\.species/);
    expect(bad({ pca: { varianceRatio: 1.2 } })).toThrow(/recipe\.pca\.varianceRatio/);
    expect(bad({ transitions: { window: 0, stride: 1 } })).toThrow(/recipe\.transitions\.window/);
    expect(bad({ selection: { kind: 'top-by-z', count: -1, frame: 0 } })).toThrow(/recipe\.selection\.count/);
    expect(bad({ cluster: { method: 'lens-kmeans', k: 3, rule: 'rank', thresholds: [0.2, 0.1] } })).toThrow(/thresholds/);
    expect(bad({ cluster: { method: 'spectral' } })).toThrow(/cluster\.method/);
    expect(bad({ smoothing: { ...CU211_PRESET.smoothing, polyorder: 20 } })).toThrow(/polyorder/);
  });
});

describe('atom selection on the generated Cu(211) run (pipeline.md §1)', () => {
  it('top 900 by z and z > 2.28 Å in frame 0 both give the fixture mask', async () => {
    const traj = await openTrajectory([bytesSource('cu211_600K_eam.lammpstrj.gz', readShared('data/generated/cu211_600K_eam.lammpstrj.gz'))]);
    const f0 = await traj.readFrame(0);
    const ref = readSharedJson<{ atoms: { masked_index_to_dump_index: number[] } }>('fixtures/learn/cu211_pipeline/pipeline.json').atoms.masked_index_to_dump_index;
    expect(Array.from(selectAtoms(CU211_PRESET.selection, traj.species, f0))).toEqual(ref);
    expect(Array.from(selectAtoms({ kind: 'z-above', z: 2.28, frame: 0, from: 'origin' }, traj.species, f0))).toEqual(ref);
    // the same cut measured from the box bottom (z_lo = -10 Å): 12.28 Å
    expect(Array.from(selectAtoms({ kind: 'z-above', z: 12.28, frame: 0, from: 'cell-bottom' }, traj.species, f0))).toEqual(ref);
  });

  it('species, indices and errors', () => {
    const species = ['O', 'H', 'H', 'O', 'H', 'H'];
    expect(Array.from(selectAtoms({ kind: 'species', species: ['O'] }, species, null))).toEqual([0, 3]);
    expect(Array.from(selectAtoms({ kind: 'indices', indices: [4, 1, 4] }, species, null))).toEqual([1, 4]);
    expect(Array.from(selectAtoms({ kind: 'all' }, species, null))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => selectAtoms({ kind: 'species', species: ['Cu'] }, species, null)).toThrow(/no atom/);
    expect(() => selectAtoms({ kind: 'indices', indices: [6] }, species, null)).toThrow(RangeError);
    expect(() => selectAtoms({ kind: 'top-by-z', count: 2, frame: 0 }, species, null)).toThrow(/positions/);
  });
});
