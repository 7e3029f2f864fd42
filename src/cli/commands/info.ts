/**
 * `npm run cli -- info <files...>`: per trajectory, the format, atom and frame counts, species
 * with counts, the cell of frame 0 (lengths, angles, vectors) and the time step. A topology file
 * given with a coordinates file is paired with it (groupSources). Exits 1 on a bad file, with the
 * FormatError message (file, line or byte, expected, found).
 */
import { CancelledError, FormatError } from '../../core/errors.ts';
import { groupSources, openTrajectory, type OpenOptions } from '../../core/io/index.ts';
import { FORMATS } from '../../core/io/registry.ts';
import { cellParameters } from '../../core/geometry/cell.ts';
import type { Trajectory } from '../../core/trajectory.ts';
import { fileSource } from '../node-source.ts';
import { readBoxFile } from '../../core/io/box-file.ts';

export const usage = `usage: soaplens info <file> [<file>...] [--format <id>] [--coords x|xs|xu|xsu] [--type-map 1=Cu,2=O]
                    [--box a,b,c[,alpha,beta,gamma]] [--box-file <file>] [--unwrap] [--units <style>]
                    [--atom-style atomic|charge|molecular|full] [--check]
  Prints format, atoms, frames, species, first cell and time step of each trajectory.
  A coordinates file and its topology file (e.g. dump + LAMMPS data, XTC + GRO) are paired.
  --box / --box-file give plain XYZ files a cell (one box, or one line per frame).
  --unwrap adds LAMMPS image flags to wrapped coordinates; --units overrides ITEM: UNITS;
  --atom-style names the style of a LAMMPS data file whose Atoms line has no hint.
  --check decodes every frame (field errors are otherwise found only when a frame is read).
  formats: ${FORMATS.map((f) => f.id).join(', ')}`;

function fmt(x: number, digits = 6): string {
  if (Object.is(x, -0) || Math.abs(x) < 1e-12) return '0';
  return Number(x.toFixed(digits)).toString();
}

/** Labels of format ids that a provider reports more precisely than its own label. */
const FORMAT_LABELS: Record<string, string> = { extxyz: 'extended XYZ', xyz: 'plain XYZ' };

/** The text `info` prints for one opened trajectory (exported for tests). */
export async function describe(t: Trajectory): Promise<string> {
  const label = FORMAT_LABELS[t.format] ?? FORMATS.find((f) => f.id === t.format)?.label ?? t.format;
  const lines: string[] = [t.name];
  lines.push(`  format:   ${label} (${t.format})${t.compression ? `, ${t.compression}-compressed` : ''}`);
  lines.push(`  atoms:    ${t.nAtoms}`);
  lines.push(`  frames:   ${t.nFrames}`);
  const counts = new Map<string, number>();
  for (const s of t.species) counts.set(s, (counts.get(s) ?? 0) + 1);
  lines.push(`  species:  ${[...counts].map(([s, c]) => `${s} ${c}`).join(', ')}`);
  lines.push(`  pbc:      ${t.pbc.map((p) => (p ? 'T' : 'F')).join(' ')}`);
  const f0 = await t.readFrame(0);
  if (f0.cell) {
    const [a, b, c, al, be, ga] = cellParameters(f0.cell);
    lines.push(`  cell (frame 0): a ${fmt(a)} Å, b ${fmt(b)} Å, c ${fmt(c)} Å, alpha ${fmt(al, 4)}°, beta ${fmt(be, 4)}°, gamma ${fmt(ga, 4)}°`);
    for (let i = 0; i < 3; i++) {
      lines.push(`    ${'abc'[i]} = [${fmt(f0.cell[3 * i])}, ${fmt(f0.cell[3 * i + 1])}, ${fmt(f0.cell[3 * i + 2])}]`);
    }
    if (f0.origin) lines.push(`    origin = [${Array.from(f0.origin, (v) => fmt(v)).join(', ')}]`);
  } else {
    lines.push('  cell (frame 0): none');
  }
  const dt = t.timestep !== undefined ? `${fmt(t.timestep)} ps` : 'unknown';
  const steps = t.stepInterval !== undefined ? ` (${t.stepInterval} MD steps between frames)` : '';
  lines.push(`  time step: ${dt}${steps}`);
  if (f0.time !== undefined) lines.push(`  time of frame 0: ${fmt(f0.time)} ps`);
  if (t.propertyNames.length) lines.push(`  per-atom properties: ${t.propertyNames.join(', ')}`);
  if (f0.info && Object.keys(f0.info).length) {
    lines.push(`  frame 0 info: ${Object.entries(f0.info).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  }
  for (const n of t.notes ?? []) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

interface Parsed { files: string[]; o: OpenOptions; boxFile?: string; check: boolean }

function parseArgs(args: string[]): Parsed {
  const files: string[] = [];
  const o: OpenOptions = {};
  let boxFile: string | undefined;
  let check = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new RangeError(`${a} needs a value`);
      return v;
    };
    if (a === '--format') o.format = value();
    else if (a === '--coords') {
      const v = value();
      if (!['x', 'xs', 'xu', 'xsu'].includes(v)) throw new RangeError(`--coords must be x, xs, xu or xsu, not "${v}"`);
      o.lammpsCoordinates = v as OpenOptions['lammpsCoordinates'];
    } else if (a === '--type-map') {
      o.typeElements = {};
      for (const pair of value().split(',')) {
        const [k, v] = pair.split('=');
        if (!k || !v) throw new RangeError(`--type-map expects type=element pairs, not "${pair}"`);
        o.typeElements[k.trim()] = v.trim();
      }
    } else if (a === '--box') {
      const v = value().split(',').map(Number);
      if ((v.length !== 3 && v.length !== 6) || v.some((x) => !Number.isFinite(x))) throw new RangeError('--box expects a,b,c or a,b,c,alpha,beta,gamma');
      o.box = v;
    } else if (a === '--box-file') boxFile = value();
    else if (a === '--unwrap') o.lammpsUnwrap = true;
    else if (a === '--units') o.lammpsUnits = value();
    else if (a === '--atom-style') {
      const v = value();
      if (!['atomic', 'charge', 'molecular', 'bond', 'angle', 'full'].includes(v)) throw new RangeError(`--atom-style: unknown style "${v}"`);
      o.lammpsAtomStyle = v as OpenOptions['lammpsAtomStyle'];
    }
    else if (a === '--check') check = true;
    else if (a.startsWith('--')) throw new RangeError(`unknown option ${a}`);
    else files.push(a);
  }
  return { files, o, boxFile, check };
}

export async function run(args: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(args);
  } catch (e) {
    console.error(`soaplens info: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (parsed.files.length === 0) {
    console.error(usage);
    return 2;
  }
  let failed = 0;
  const sources = [];
  for (const f of parsed.files) {
    try {
      sources.push(await fileSource(f));
    } catch (e) {
      console.error(`soaplens info: cannot open ${f}: ${(e as Error).message}`);
      failed++;
    }
  }
  const out: string[] = [];
  if (parsed.boxFile) {
    const bf = await fileSource(parsed.boxFile);
    try {
      parsed.o.box = await readBoxFile(bf);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      console.error(`soaplens: ${e.message}`);
      return 1;
    } finally {
      await bf.close();
    }
  }
  for (const group of groupSources(sources)) {
    try {
      const t = await openTrajectory(group, { ...parsed.o, cacheBytes: parsed.check ? 0 : undefined });
      let text = await describe(t);
      if (parsed.check) {
        for (let i = 0; i < t.nFrames; i++) await t.readFrame(i);
        text += `\n  check: all ${t.nFrames} frames decoded`;
      }
      out.push(text);
    } catch (e) {
      if (e instanceof FormatError || e instanceof CancelledError || e instanceof RangeError) {
        console.error(`soaplens: ${e.message}`);
        failed++;
      } else {
        throw e;
      }
    }
  }
  for (const s of sources) await s.close();
  if (out.length) console.log(out.join('\n\n'));
  return failed > 0 ? 1 : 0;
}
