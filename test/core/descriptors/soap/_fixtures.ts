/**
 * Loading of the SOAP golden fixtures (../shared/fixtures/soap, README "File format") and of their
 * input frames. The trajectory parsing here is deliberately minimal and independent of src/core/io:
 * it reads exactly what the fixture README says the reference was fed (float64 text values).
 */
import { gunzipSync } from 'node:zlib';
import { readShared, readSharedJson, readSharedNpy } from '../../../helpers/shared.ts';

export interface SoapFixture {
  name: string;
  json: {
    input: Record<string, unknown> & { centers: number[] | string; frames: number[]; file: string | string[] | null };
    params: { r_cut: number; n_max: number; l_max: number; sigma: number; rbf: 'gto' | 'polynomial'; periodic: boolean;
      species: string[]; neighbour_radius: number };
    intermediates?: Record<string, unknown>;
    layout: 'dscribe-compact' | 'soapify-filled-normalized';
    feature_blocks: Record<string, [number, number]>;
    shape: [number, number, number];
    data?: number[];
    data_file?: string;
  };
  data: Float64Array;
}

export function loadFixture(name: string): SoapFixture {
  const json = readSharedJson<SoapFixture['json']>('fixtures', 'soap', `${name}.json`);
  let data: Float64Array;
  if (json.data_file) {
    const npy = readSharedNpy('fixtures', 'soap', json.data_file);
    if (npy.dtype !== 'f8') throw new Error(`${json.data_file}: expected float64`);
    data = npy.data;
  } else data = Float64Array.from(json.data!);
  return { name, json, data };
}

export interface FrameInput { positions: Float64Array; cell: Float64Array | null; species: string[] }

const textCache = new Map<string, string>();
function gunzipText(...parts: string[]): string {
  const key = parts.join('/');
  let t = textCache.get(key);
  if (t === undefined) { t = new TextDecoder().decode(gunzipSync(readShared(...parts))); textCache.set(key, t); }
  return t;
}

/** First `count` frames of the Cu(211) LAMMPS dump: x y z as float64, cell from BOX BOUNDS (README "Inputs"). */
export function cu211Frames(count: number): FrameInput[] {
  const text = gunzipText('data', 'generated', 'cu211_600K_eam.lammpstrj.gz');
  const out: FrameInput[] = [];
  let pos = 0;
  const nextLine = () => { const e = text.indexOf('\n', pos); const l = text.slice(pos, e < 0 ? undefined : e); pos = e < 0 ? text.length : e + 1; return l; };
  while (out.length < count) {
    if (!nextLine().startsWith('ITEM: TIMESTEP')) throw new Error('cu211 dump: expected ITEM: TIMESTEP');
    nextLine(); nextLine();
    const n = Number(nextLine());
    nextLine();
    const b = [nextLine(), nextLine(), nextLine()].map((l) => l.trim().split(/\s+/).map(Number));
    const cell = new Float64Array([b[0][1] - b[0][0], 0, 0, 0, b[1][1] - b[1][0], 0, 0, 0, b[2][1] - b[2][0]]);
    if (nextLine().trim() !== 'ITEM: ATOMS id type x y z') throw new Error('cu211 dump: unexpected columns');
    const positions = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const f = nextLine().trim().split(/\s+/);
      const id = Number(f[0]) - 1;
      positions[3 * id] = Number(f[2]); positions[3 * id + 1] = Number(f[3]); positions[3 * id + 2] = Number(f[4]);
    }
    out.push({ positions, cell, species: new Array<string>(n).fill('Cu') });
  }
  return out;
}

/** First `count` frames of the Au309 plain XYZ (no cell). */
export function au309Frames(count: number): FrameInput[] {
  const lines = gunzipText('data', 'generated', 'au309_ico_200K_gupta.xyz.gz').split('\n');
  const out: FrameInput[] = [];
  let li = 0;
  while (out.length < count) {
    const n = Number(lines[li]); li += 2;
    const positions = new Float64Array(3 * n), species: string[] = [];
    for (let i = 0; i < n; i++) {
      const f = lines[li++].trim().split(/\s+/);
      species.push(f[0]);
      positions[3 * i] = Number(f[1]); positions[3 * i + 1] = Number(f[2]); positions[3 * i + 2] = Number(f[3]);
    }
    out.push({ positions, cell: null, species });
  }
  return out;
}

/** Inline or per-frame inputs stored in the fixture JSON itself (cases e, g, h). */
export function inlineFrames(fx: SoapFixture, key: 'positions' | 'positions_unwrapped' = 'positions'): FrameInput[] {
  const inp = fx.json.input as Record<string, unknown>;
  const symbols = inp.symbols as string[] | string;
  if (inp.positions_per_frame) {
    const pf = inp.positions_per_frame as number[][][], cf = inp.cell_matrix_per_frame as number[][][];
    return pf.map((p, k) => ({ positions: Float64Array.from(p.flat()), cell: Float64Array.from(cf[k].flat()), species: symbols as string[] }));
  }
  const p = inp[key] as number[][];
  const species = Array.isArray(symbols) ? symbols : new Array<string>(p.length).fill(String(symbols).split(' ')[0]);
  const cm = (inp.cell_matrix ?? inp.cell) as number[][] | null;
  return [{ positions: Float64Array.from(p.flat()), cell: cm ? Float64Array.from(cm.flat()) : null, species }];
}

export interface RowCompare { worst: number; row: number; col: number; got: number; want: number }

/** Per row: max|a-b| / max|b| (relative) or max|a-b| (absolute); returns the worst row. */
export function compareRows(got: Float64Array, want: Float64Array, width: number, relative: boolean): RowCompare {
  if (got.length !== want.length) throw new Error(`length ${got.length} != ${want.length}`);
  const res: RowCompare = { worst: 0, row: -1, col: -1, got: NaN, want: NaN };
  for (let r = 0; r < got.length / width; r++) {
    let scale = 0, md = 0, mc = 0;
    for (let k = 0; k < width; k++) {
      scale = Math.max(scale, Math.abs(want[r * width + k]));
      const d = Math.abs(got[r * width + k] - want[r * width + k]);
      if (!(d <= md)) { md = d; mc = k; }
    }
    const v = relative ? md / scale : md;
    if (!(v <= res.worst)) { res.worst = v; res.row = r; res.col = mc; res.got = got[r * width + mc]; res.want = want[r * width + mc]; }
  }
  return res;
}
