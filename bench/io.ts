/**
 * `npm run bench -- io`: reading speed of trajectories (issue 7), MB/s and frames/s.
 * 1. XTC: ../shared/data/generated/ice_water_tip4pice_268K_60ps_0.5ps.xtc (8192 atoms, 121 frames):
 *    the header index pass, then decoding every frame from the file (Node file reads), and the
 *    decoder alone on bytes in memory.
 * 2. Text dump: ../shared/data/generated/cu211_600K_eam.lammpstrj.gz (2400 atoms, 500 frames) through
 *    openTrajectory (gunzip + index), then every frame decoded.
 * Best of `--repeat` runs (default 3). MDAnalysis is not installed on this machine (no PyPI access),
 * so its figures cannot be measured here; time MDAnalysis on the same files elsewhere to compare.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { BinarySource } from '../src/core/io/binary-io.ts';
import { memorySource } from '../src/core/io/binary-io.ts';
import { openTrajectory } from '../src/core/io/index.ts';
import { decodeXtcFrame, XtcFile } from '../src/core/io/xtc.ts';

const SHARED = process.env.SOAPLENS_SHARED ?? resolve(import.meta.dirname ?? '.', '../../shared');
const MB = 1e6;

/** A ByteSource over a file on disk (positional reads, nothing kept in memory). */
function fileSource(path: string): BinarySource & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    name: path.replace(/^.*\//, ''),
    size,
    read: async (start: number, end: number) => {
      const s = Math.max(0, start), e = Math.min(size, end);
      const buf = new Uint8Array(Math.max(0, e - s));
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, s + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}

interface Timing { ms: number; cpuMs: number }

/** Best of `repeat` runs, by wall clock and by this process's CPU time (honest on a loaded machine). */
async function best<T>(repeat: number, fn: () => Promise<T>): Promise<Timing & { value: T }> {
  let ms = Infinity, cpuMs = Infinity, value!: T;
  for (let r = 0; r < repeat; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    value = await fn();
    ms = Math.min(ms, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
  }
  return { ms, cpuMs, value };
}

function rate(bytes: number, frames: number, ms: number): string {
  const s = ms / 1000;
  return `${(bytes / MB / s).toFixed(1).padStart(7)} MB/s ${(frames / s).toFixed(0).padStart(7)} frames/s`;
}

function line(label: string, bytes: number, frames: number, t: Timing): void {
  console.log(`${label.padEnd(42)} wall ${rate(bytes, frames, t.ms)} | cpu ${rate(bytes, frames, t.cpuMs)}`);
}

function sum(a: Timing, b: Timing): Timing {
  return { ms: a.ms + b.ms, cpuMs: a.cpuMs + b.cpuMs };
}

export async function main(args: string[]): Promise<void> {
  const ri = args.indexOf('--repeat');
  const repeat = ri >= 0 ? Math.max(1, Number(args[ri + 1]) || 3) : 3;
  console.log(`load average ${loadavg().map((v) => v.toFixed(1)).join(' ')} (2 cores shared: wall-clock figures suffer, CPU-time ones less)`);

  const xtcPath = resolve(SHARED, 'data/generated/ice_water_tip4pice_268K_60ps_0.5ps.xtc');
  const src = fileSource(xtcPath);
  try {
    const idx = await best(repeat, () => XtcFile.open(src));
    const xtc = idx.value;
    console.log(`XTC ${src.name}: ${xtc.nAtoms} atoms, ${xtc.nFrames} frames, ${(src.size / MB).toFixed(2)} MB`);
    line('XTC index pass (headers only)', src.size, xtc.nFrames, idx);
    const out = new Float64Array(3 * xtc.nAtoms);
    const all = await best(repeat, async () => {
      for (let i = 0; i < xtc.nFrames; i++) await xtc.readFrame(i, out);
    });
    line('XTC read + decode every frame (from disk)', src.size, xtc.nFrames, all);
    line('XTC open + decode all (what a user waits)', src.size, xtc.nFrames, sum(all, idx));
    const bytes = await src.read(0, src.size);
    const mem = await XtcFile.open(memorySource('mem.xtc', bytes));
    const dec = await best(repeat, async () => {
      for (let i = 0; i < mem.nFrames; i++) {
        decodeXtcFrame(bytes.subarray(mem.index.byteStart[i], mem.index.byteEnd[i]), out, 'mem.xtc', i, mem.index.byteStart[i]);
      }
    });
    line('XTC decoder alone (bytes in memory)', src.size, mem.nFrames, dec);
  } finally {
    src.close();
  }

  const dumpPath = resolve(SHARED, 'data/generated/cu211_600K_eam.lammpstrj.gz');
  const dsrc = fileSource(dumpPath);
  try {
    const open = await best(repeat, () => openTrajectory([dsrc], { cacheBytes: 0 }));
    const t = open.value;
    console.log(`\nLAMMPS dump ${dsrc.name}: ${t.nAtoms} atoms, ${t.nFrames} frames, ${(dsrc.size / MB).toFixed(2)} MB gzip`);
    line('dump open (gunzip + index), gzip MB', dsrc.size, t.nFrames, open);
    const all = await best(repeat, async () => {
      for (let i = 0; i < t.nFrames; i++) await t.readFrame(i);
    });
    line('dump decode every frame, gzip MB', dsrc.size, t.nFrames, all);
    line('dump open + decode all (what a user waits)', dsrc.size, t.nFrames, sum(open, all));
  } finally {
    dsrc.close();
  }
  console.log('\nMDAnalysis: not installed on this machine (no PyPI access), so no side-by-side figure here.');
}
