/**
 * `npm run cli -- analyze <trajectory> [topology] --preset cu211 | --config params.json
 *   [--frames N] [--workers N] [--row-cache-mb MB] [--seed S] --out results/`
 * Runs the whole analysis recipe (pipeline.md, issue 5) on the Node worker pool with runRecipe, the
 * same runner the explorer uses, and writes the result files of core/pipeline/export.ts (scores,
 * labels, macro labels, matrices, linkage as .npy; results.json; summary.txt) into the folder, then
 * prints the summary. Progress goes to stderr.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openTrajectory } from '../../core/io/index.ts';
import { resultsFiles } from '../../core/pipeline/export.ts';
import { PRESETS, validateRecipe, type Recipe } from '../../core/pipeline/recipe.ts';
import { summarise } from '../../core/pipeline/results.ts';
import { createNodePool, nodeParallelism } from '../../../workers/node-pool.ts';
import { runRecipe } from '../../../workers/pipeline-runner.ts';
import { fileSource } from '../node-source.ts';

/**
 * Default row-cache budget: the paper's Cu(211) case needs 431,100 x 325 float32 = 534 MiB (compact
 * embedding, pipeline.md §6) and then peaks at 1.1 GiB (bench/pipeline.ts), under the issue's
 * 1.5 GB goal; larger analyses fall back to recomputing the rows.
 */
const DEFAULT_ROW_CACHE_MB = 768;

export const usage = `usage: soaplens analyze <trajectory> [topology] (--preset NAME | --config params.json) --out DIR [options]

The paper's analysis pipeline (SOAP + LENS, optionally LODE(p) blocks with per-block weights, PCA,
clustering, transitions, macro-clusters) run end to end on the worker pool. Writes into DIR: scores.npy, labels.npy, macro_labels.npy,
transition matrices, linkage.npy, PCA arrays, results.json and summary.txt; prints the summary.

  --preset NAME        ${Object.keys(PRESETS).join(' | ')} (the paper's recipes, pipeline.md §0)
  --config FILE        a recipe as JSON; {"preset": "cu211", ...} starts from a preset and
                       replaces the fields given (nested objects merged one level deep)
  --frames N           analyse only the first N frames
  --workers N          worker threads (default ${nodeParallelism()})
  --row-cache-mb MB    keep the descriptor rows (float32) between the PCA passes when they fit in
                       MB megabytes, else recompute them (default ${DEFAULT_ROW_CACHE_MB}; 0 = always recompute)
  --seed S             override the recipe's seed
  --out DIR            output folder (created if missing; required)`;

interface Args {
  files: string[]; preset?: string; config?: string; frames?: number; workers: number; rowCacheMb: number; seed?: number; out?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { files: [], workers: nodeParallelism(), rowCacheMb: DEFAULT_ROW_CACHE_MB };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new RangeError(`${f} needs a value`); return v; };
    const int = (min: number) => {
      const v = val(), x = Number(v);
      if (v.trim() === '' || !Number.isInteger(x) || x < min) throw new RangeError(`${f} needs a whole number >= ${min}, got "${v}"`);
      return x;
    };
    switch (f) {
      case '--preset': a.preset = val(); break;
      case '--config': a.config = val(); break;
      case '--frames': a.frames = int(2); break;
      case '--workers': a.workers = int(1); break;
      case '--row-cache-mb': a.rowCacheMb = int(0); break;
      case '--seed': a.seed = int(Number.MIN_SAFE_INTEGER); break;
      case '--out': case '-o': a.out = val(); break;
      default:
        if (f.startsWith('-')) throw new RangeError(`unknown option ${f}`);
        a.files.push(f);
    }
  }
  return a;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A recipe from JSON: a whole recipe, or {"preset": name, ...fields} over a preset (nested objects merged one level). */
export function recipeFromJson(json: unknown): Recipe {
  if (!isObject(json)) throw new RangeError('config: expected a JSON object (a recipe)');
  const { preset, ...rest } = json;
  if (preset === undefined) return validateRecipe(rest as unknown as Recipe);
  const base = typeof preset === 'string' ? PRESETS[preset as keyof typeof PRESETS] : undefined;
  if (!base) throw new RangeError(`config: unknown preset "${String(preset)}" (known: ${Object.keys(PRESETS).join(', ')})`);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(rest)) out[k] = isObject(v) && isObject(out[k]) ? { ...(out[k] as object), ...v } : v;
  return validateRecipe(out as unknown as Recipe);
}

export async function run(argv: string[]): Promise<number> {
  let a: Args;
  try { a = parseArgs(argv); } catch (e) { console.error(`soaplens analyze: ${(e as Error).message}\n\n${usage}`); return 2; }
  if (a.files.length === 0 || a.files.length > 2 || !a.out || (a.preset === undefined) === (a.config === undefined)) {
    console.error(`soaplens analyze: need a trajectory (and optionally its topology), one of --preset or --config, and --out\n\n${usage}`);
    return 2;
  }
  let recipe: Recipe;
  try {
    if (a.preset !== undefined) {
      const p = PRESETS[a.preset as keyof typeof PRESETS];
      if (!p) throw new RangeError(`unknown preset "${a.preset}" (known: ${Object.keys(PRESETS).join(', ')})`);
      recipe = p;
    } else {
      const text = await readFile(a.config!, 'utf8');
      let json: unknown;
      try { json = JSON.parse(text); } catch (e) { throw new RangeError(`${a.config}: not valid JSON (${(e as Error).message})`); }
      recipe = recipeFromJson(json);
    }
    if (a.seed !== undefined) recipe = { ...recipe, seed: a.seed };
  } catch (e) {
    console.error(`soaplens analyze: ${(e as Error).message}`);
    return 2;
  }
  const paths = a.files.map((f) => resolve(f));
  const sources = await Promise.all(paths.map((f) => fileSource(f)));
  let pool: ReturnType<typeof createNodePool> | null = null;
  try {
    const traj = await openTrajectory(sources, { typeElements: recipe.typeElements });
    pool = createNodePool(a.workers);
    let last = 0, lastStage = '';
    const res = await runRecipe(recipe, { trajectory: traj, sources: paths }, pool, {
      maxFrames: a.frames, rowCacheBytes: a.rowCacheMb * 2 ** 20, memory: () => process.memoryUsage().rss,
      onStage: (e) => { if (e.state === 'done') console.error(`soaplens analyze: ${e.stage} done in ${((e.ms ?? 0) / 1000).toFixed(2)} s`); },
      onProgress: (p) => {
        const now = performance.now();
        if (p.stage !== lastStage || now - last > 5000) {
          last = now; lastStage = p.stage;
          console.error(`soaplens analyze: ${p.stage} ${p.done}/${p.total}`);
        }
      },
    });
    await mkdir(a.out, { recursive: true });
    for (const f of resultsFiles(res)) await writeFile(join(a.out, f.name), f.bytes);
    console.log(summarise(res));
    console.log(`wrote ${a.out}`);
    return 0;
  } catch (e) {
    console.error(`soaplens analyze: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await pool?.dispose();
    await Promise.all(sources.map((s) => s.close()));
  }
}
