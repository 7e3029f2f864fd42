/**
 * `npm run cli -- lens <trajectory> [topology] --cutoff 6 [--convention soapify|dynsight] [--delay 1]
 *   [--smooth 20,2] [--centers 0-899] [--universe 0-899] --out lens.npy`
 * Writes LENS (centres x columns, float64) as .npy; optionally the neighbour counts.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { computeLens, trajectoryFrames, type LensResult } from '../../core/descriptors/lens/compute-lens.ts';
import type { LensConvention } from '../../core/descriptors/lens/lens.ts';
import { lensForward, smoothLens } from '../../core/descriptors/smoothing/postprocess.ts';
import { openTrajectory } from '../../core/io/index.ts';
import { writeNpy } from '../../core/io/npy.ts';
import { fileSource } from '../node-source.ts';
import { createNodePool } from '../../../workers/node-pool.ts';
import { parseIndexList } from '../args.ts';
import { lensOnPool, type LensChunkReply } from '../../../workers/lens-jobs.ts';

export const usage = `usage: soaplens lens <trajectory> [topology] --cutoff R --out lens.npy [options]

LENS per atom and frame (lens-tsoap-smoothing.md §2-3), written as a float64 .npy of shape
(centres, columns), atom-major.

  --cutoff R            neighbour cutoff in Å (required; the paper: 6 for Cu(211))
  --convention C        soapify (default, the paper's: inclusive cutoff, column t = change t-delay -> t,
                        zeros in the first delay columns, shape (N, F)) or dynsight (strict cutoff,
                        column k = change k -> k+delay, shape (N, F - delay))
  --delay T             frames between the compared neighbour sets (default 1)
  --smooth W,P          paper post-processing (pipeline.md §4): forward-align, Savitzky-Golay window W
                        and polyorder P (mode interp), clip to [0, 1], trim [W//2 : -W//2]
                        -> shape (N, F - delay - W); column j is frame W//2 + j
  --no-clip, --no-trim  with --smooth: skip the clip or the trim
  --centers LIST        analysed atoms (rows), e.g. 0-899 or 0,5,10-20 (0-based; default all)
  --universe LIST       atoms that may be neighbours (default all; the paper's Cu(211) notebook used
                        the analysed atoms only: pass the same list as --centers)
  --precision P         float64 (default) or mdanalysis-float32 (reproduces SOAPify/MDAnalysis 2.4 bit
                        for bit: float32 coordinates shifted by the box origin)
  --first N, --frames N frame range (default: all frames)
  --counts FILE         also write neighbour counts (centres x frames, int32 .npy)
  --workers N           split the frames over N worker threads (default 0: this thread; LENS is fast,
                        reading the file usually dominates)
  --out FILE            output .npy (required)`;

interface Args {
  files: string[];
  cutoff?: number; convention: LensConvention; delay: number;
  smooth?: [number, number]; clip: boolean; trim: boolean;
  centers?: string; universe?: string; first: number; frames?: number;
  precision: 'float64' | 'mdanalysis-float32'; workers: number;
  counts?: string; out?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { files: [], convention: 'soapify', delay: 1, clip: true, trim: true, first: 0, precision: 'float64', workers: 0 };
  const num = (flag: string, v: string | undefined): number => {
    const x = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isFinite(x)) throw new RangeError(`${flag} needs a number, got ${v === undefined ? 'nothing' : `"${v}"`}`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new RangeError(`${f} needs a value`); return v; };
    switch (f) {
      case '--cutoff': a.cutoff = num(f, val()); break;
      case '--convention': {
        const c = val();
        if (c !== 'soapify' && c !== 'dynsight') throw new RangeError(`--convention must be soapify or dynsight, got "${c}"`);
        a.convention = c; break;
      }
      case '--delay': a.delay = num(f, val()); break;
      case '--smooth': {
        const v = val();
        const m = /^(\d+),(\d+)$/.exec(v.trim());
        if (!m) throw new RangeError(`--smooth needs W,P (e.g. 20,2), got "${v}"`);
        a.smooth = [Number(m[1]), Number(m[2])]; break;
      }
      case '--no-clip': a.clip = false; break;
      case '--no-trim': a.trim = false; break;
      case '--centers': case '--centres': a.centers = val(); break;
      case '--universe': a.universe = val(); break;
      case '--precision': {
        const p = val();
        if (p !== 'float64' && p !== 'mdanalysis-float32') throw new RangeError(`--precision must be float64 or mdanalysis-float32, got "${p}"`);
        a.precision = p; break;
      }
      case '--first': a.first = num(f, val()); break;
      case '--frames': a.frames = num(f, val()); break;
      case '--counts': a.counts = val(); break;
      case '--workers': {
        const n = num(f, val());
        if (!Number.isInteger(n) || n < 0) throw new RangeError(`--workers needs a whole number >= 0, got ${n}`);
        a.workers = n; break;
      }
      case '--out': a.out = val(); break;
      default:
        if (f.startsWith('--')) throw new RangeError(`unknown option ${f}`);
        a.files.push(f);
    }
  }
  return a;
}

export async function run(argv: string[]): Promise<number> {
  let a: Args;
  try {
    a = parseArgs(argv);
    if (a.files.length < 1 || a.files.length > 2) throw new RangeError('give one trajectory file (and optionally its topology)');
    if (a.cutoff === undefined) throw new RangeError('--cutoff is required');
    if (!a.out) throw new RangeError('--out is required');
  } catch (e) {
    console.error(`soaplens lens: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  const sources = await Promise.all(a.files.map((p) => fileSource(p)));
  try {
    const traj = await openTrajectory(sources);
    const first = a.first;
    const nFrames = a.frames ?? traj.nFrames - first;
    if (!(Number.isInteger(first) && first >= 0 && Number.isInteger(nFrames) && nFrames >= 1 && first + nFrames <= traj.nFrames)) {
      throw new RangeError(`frames ${first}..${first + nFrames - 1} are not inside the trajectory's 0..${traj.nFrames - 1}`);
    }
    const centres = a.centers ? parseIndexList(a.centers, traj.nAtoms, '--centers') : null;
    const universe = a.universe ? parseIndexList(a.universe, traj.nAtoms, '--universe') : null;
    const t0 = performance.now();
    let lastPrint = 0;
    const params = { cutoff: a.cutoff, convention: a.convention, delay: a.delay, centres, universe, precision: a.precision };
    let res: LensResult;
    if (a.workers > 0) {
      const pool = createNodePool(a.workers);
      const paths = a.files.map((f) => resolve(f));
      try {
        // Chunks read the `delay` frames before their range; shifting them to the window and zeroing
        // the window's first soapify columns gives the same result as one pass over the window.
        res = await lensOnPool(async (r): Promise<LensChunkReply> => {
          const reply = await pool.run<LensChunkReply>((api, job) => api.lensChunk(job, { sources: paths, first: first + r.first, count: r.count, params }));
          if (reply.ok) reply.chunk.first -= first;
          return reply;
        }, nFrames, a.workers, params);
      } finally {
        await pool.dispose();
      }
      if (res.convention === 'soapify') {
        for (let c = 0; c < res.nCentres; c++) {
          for (let t = 0; t < Math.min(res.delay, nFrames); t++) {
            const o = c * res.columns + t;
            res.lens[o] = 0; res.numerator[o] = 0; res.denominator[o] = 0;
          }
        }
      }
    } else {
      res = await computeLens(trajectoryFrames(traj, first, nFrames), traj.nAtoms, nFrames, traj.pbc, params, {
        onProgress: (p) => {
          const now = performance.now();
          if (process.stderr.isTTY && (now - lastPrint > 500 || p.done === p.total)) {
            lastPrint = now;
            process.stderr.write(`\rlens: frame ${p.done}/${p.total}`);
            if (p.done === p.total) process.stderr.write('\n');
          }
        },
      });
    }
    const secs = (performance.now() - t0) / 1000;
    let data = res.lens, cols = res.columns, note = '';
    if (a.smooth) {
      const [W, P] = a.smooth;
      const fw = res.convention === 'soapify' ? lensForward(res.lens, res.nCentres, res.nFrames, res.delay) : res.lens;
      const fwCols = res.nFrames - res.delay;
      const sm = smoothLens(fw, res.nCentres, fwCols, { window: W, polyorder: P, clip: a.clip, trim: a.trim });
      data = sm.values; cols = sm.count;
      note = `, smoothed W=${W} P=${P}${a.clip ? ', clipped' : ''}${a.trim ? `, trimmed: column j = frame ${first + sm.firstFrame} + j` : ''}`;
    }
    for (const n of res.notes ?? []) console.error(`soaplens lens: note: ${n}`);
    await writeFile(a.out, writeNpy(data, [res.nCentres, cols]));
    if (a.counts) await writeFile(a.counts, writeNpy(res.counts, [res.nCentres, res.nFrames]));
    console.log(`${traj.name}: LENS (${a.convention}, cutoff ${a.cutoff} Å, delay ${a.delay}) of ${res.nCentres} atoms over ` +
      `${nFrames} frames in ${secs.toFixed(2)} s${a.workers > 0 ? ` on ${a.workers} worker threads` : ''} -> ${a.out} (${res.nCentres} x ${cols} float64${note})` +
      (a.counts ? `; counts -> ${a.counts} (${res.nCentres} x ${res.nFrames} int32)` : ''));
    return 0;
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}
