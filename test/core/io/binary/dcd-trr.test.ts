import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../../src/core/errors.ts';
import { cellFromParameters, cellParameters } from '../../../../src/core/geometry/cell.ts';
import { memorySource } from '../../../../src/core/io/binary-io.ts';
import { bunzip2 } from '../../../../src/core/io/bzip2.ts';
import { DcdFile, dcdCell, dcdFormat } from '../../../../src/core/io/dcd.ts';
import { parsePsf } from '../../../../src/core/io/psf.ts';
import { TrrFile, trrFormat } from '../../../../src/core/io/trr.ts';
import { maxAbsDiff, readData } from './helpers.ts';

// formats.md §13 DCD row: "positions exact (float32); cell parameters within 1e-4".
const TOL_CELL_PARAM = 1e-4;
// formats.md §13 TRR, PDB row: "exact (float)". The PDB companion prints %8.3f Å (formats.md §7),
// so it agrees with the float TRR to half a unit of its last digit plus float32 rounding.
const PDB_HALF_UNIT_A = 0.0005 + 1e-5;
const PDB_ANGLE_HALF_UNIT = 0.005 + 1e-5;

const DCD = ['format_tests_mdanalysis', 'tip125_tric_C36.dcd'];
const PSF = ['format_tests_mdanalysis', 'tip125_tric_C36.psf'];

/** Fortran records of a DCD (little-endian, 4-byte markers), walked independently of the reader. */
function records(u8: Uint8Array): Uint8Array[] {
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const out: Uint8Array[] = [];
  for (let p = 0; p < u8.length;) {
    const n = dv.getInt32(p, true);
    out.push(u8.slice(p + 4, p + 4 + n));
    p += n + 8;
  }
  return out;
}

/**
 * Re-emits records with a given marker width and byte order. `swap(recordIndex, payload)` turns a
 * little-endian payload into the wanted order (ints/floats by 4 bytes, cell doubles by 8, titles kept).
 */
function emit(recs: Uint8Array[], marker: 4 | 8, little: boolean, swap?: (i: number, p: Uint8Array) => Uint8Array): Uint8Array {
  const total = recs.reduce((s, r) => s + r.length + 2 * marker, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let p = 0;
  recs.forEach((r0, i) => {
    const r = swap ? swap(i, r0) : r0;
    const put = () => {
      if (marker === 4) dv.setInt32(p, r.length, little);
      else { dv.setInt32(p + (little ? 0 : 4), r.length, little); dv.setInt32(p + (little ? 4 : 0), 0, little); }
      p += marker;
    };
    put(); out.set(r, p); p += r.length; put();
  });
  return out;
}

function swapBy(p: Uint8Array, w: number, from = 0, to = p.length): Uint8Array {
  const q = p.slice();
  for (let i = from; i + w <= to; i += w) for (let k = 0; k < w; k++) q[i + k] = p[i + w - 1 - k];
  return q;
}

/** Big-endian copy of the little-endian CHARMM file: header ints (not "CORD"), title count (not text), cells as doubles. */
function toBigEndian(recs: Uint8Array[]): Uint8Array {
  return emit(recs, 4, false, (i, p) => {
    if (i === 0) { const q = swapBy(p, 4, 4); q.set(p.subarray(0, 4), 0); return q; }
    if (i === 1) return swapBy(p, 4, 0, 4);
    if (p.length === 48) return swapBy(p, 8);
    return swapBy(p, 4);
  });
}

async function decodeAll(u8: Uint8Array, name: string) {
  const f = await DcdFile.open(memorySource(name, u8));
  const frames = [];
  for (let i = 0; i < f.nFrames; i++) frames.push(await f.readFrame(i));
  return { f, frames };
}

describe('DCD reader', () => {
  it('CHARMM triclinic TIP3P: 375 atoms, 10 frames, cell as the stored symmetric matrix, times in ps', async () => {
    const u8 = readData(...DCD);
    const { f, frames } = await decodeAll(u8, 'tip125_tric_C36.dcd');
    expect(f.nAtoms).toBe(375);
    expect(f.nFrames).toBe(10);
    expect(f.header.little).toBe(true);
    expect(f.header.charmmVersion).toBe(36);
    // reference cell parameters of frames 0 and 9 (MDAnalysis test-suite values for this file)
    const ref0 = [35.44604, 35.06156, 34.1585, 91.32802, 61.73521, 44.40703];
    const ref9 = [31.99748, 30.21518, 35.24292, 95.85821, 71.08429, 31.85939];
    expect(maxAbsDiff(cellParameters(frames[0].cell!), ref0).max).toBeLessThanOrEqual(TOL_CELL_PARAM);
    expect(maxAbsDiff(cellParameters(frames[9].cell!), ref9).max).toBeLessThanOrEqual(TOL_CELL_PARAM);
    // README pitfall: the matrix is used as stored, rows (s0,s1,s3), (s1,s2,s4), (s3,s4,s5)
    const dv = new DataView(u8.buffer, u8.byteOffset);
    const s = Array.from({ length: 6 }, (_, k) => dv.getFloat64(596 + 4 + 8 * k, true));
    expect(Array.from(frames[0].cell!)).toEqual([s[0], s[1], s[3], s[1], s[2], s[4], s[3], s[4], s[5]]);
    // positions exactly the stored float32 (X, Y, Z records after the cell record)
    const x0 = 596 + 56 + 4, y0 = x0 + 1500 + 8, z0 = y0 + 1500 + 8;
    for (const a of [0, 1, 187, 374]) {
      expect(frames[0].positions[3 * a]).toBe(dv.getFloat32(x0 + 4 * a, true));
      expect(frames[0].positions[3 * a + 1]).toBe(dv.getFloat32(y0 + 4 * a, true));
      expect(frames[0].positions[3 * a + 2]).toBe(dv.getFloat32(z0 + 4 * a, true));
    }
    // rigid TIP3P (CHARMM SHAKE): O-H 0.9572 Å, H-H 1.5139 Å in every frame
    let worst = 0;
    for (const fr of frames) {
      const p = fr.positions;
      const d = (a: number, b: number) => Math.hypot(p[3 * a] - p[3 * b], p[3 * a + 1] - p[3 * b + 1], p[3 * a + 2] - p[3 * b + 2]);
      for (let m = 0; m < 125; m++) worst = Math.max(worst, Math.abs(d(3 * m, 3 * m + 1) - 0.9572), Math.abs(d(3 * m, 3 * m + 2) - 0.9572), Math.abs(d(3 * m + 1, 3 * m + 2) - 1.5139));
    }
    expect(worst).toBeLessThan(1e-3);
    // formats.md §10: t_k = (ISTART/NSAVC + k) DELTA NSAVC AKMA; here ISTART = NSAVC = 1000
    const dt = f.header.delta * 1000 * 0.04888821;
    expect(frames[0].time).toBeCloseTo(dt, 12);
    expect(frames[9].time).toBeCloseTo(10 * dt, 12);
    expect(frames[3].step).toBe(4000);
  });

  it('the byte-swapped (big-endian) file and a 64-bit-marker copy decode to identical frames', async () => {
    const u8 = readData(...DCD);
    const recs = records(u8);
    const ref = (await decodeAll(u8, 'le.dcd')).frames;
    for (const [name, bytes] of [['be.dcd', toBigEndian(recs)], ['m64.dcd', emit(recs, 8, true)]] as const) {
      expect(dcdFormat.sniff(bytes.subarray(0, 64), name)).toBe(true);
      const { f, frames } = await decodeAll(bytes, name);
      expect(f.header.little).toBe(name !== 'be.dcd');
      expect(f.header.marker).toBe(name === 'm64.dcd' ? 8 : 4);
      for (let i = 0; i < 10; i++) {
        expect(maxAbsDiff(frames[i].positions, ref[i].positions).max).toBe(0);
        expect(Array.from(frames[i].cell!)).toEqual(Array.from(ref[i].cell!));
        expect(frames[i].time).toBe(ref[i].time);
      }
    }
  });

  it('without a unit cell: no cell, no pbc, same positions', async () => {
    const u8 = readData(...DCD);
    const recs = records(u8).filter((r) => r.length !== 48);
    const head = recs[0].slice();
    new DataView(head.buffer).setInt32(44, 0, true);
    recs[0] = head;
    const ref = (await decodeAll(u8, 'cell.dcd')).frames;
    const { f, frames } = await decodeAll(emit(recs, 4, true), 'nocell.dcd');
    expect(f.header.hasCell).toBe(false);
    expect(f.nFrames).toBe(10);
    for (let i = 0; i < 10; i++) {
      expect(frames[i].cell).toBeNull();
      expect(maxAbsDiff(frames[i].positions, ref[i].positions).max).toBe(0);
    }
  });

  it('fixed atoms (NAMNF > 0): later frames carry only free atoms, fixed ones keep frame-0 coordinates', async () => {
    const u8 = readData(...DCD);
    const recs = records(u8); // header, title, natom, then per frame: cell, X, Y, Z
    const fixed = [0, 1, 2];
    const free = Array.from({ length: 375 }, (_, i) => i).filter((i) => !fixed.includes(i));
    const head = recs[0].slice();
    new DataView(head.buffer).setInt32(36, fixed.length, true);
    const freeRec = new Uint8Array(4 * free.length);
    free.forEach((a, j) => new DataView(freeRec.buffer).setInt32(4 * j, a + 1, true));
    const out: Uint8Array[] = [head, recs[1], recs[2], freeRec];
    for (let f = 0; f < 10; f++) {
      const base = 3 + 4 * f;
      out.push(recs[base]);
      for (let d = 1; d <= 3; d++) {
        if (f === 0) { out.push(recs[base + d]); continue; }
        const all = new DataView(recs[base + d].buffer);
        const r = new Uint8Array(4 * free.length);
        free.forEach((a, j) => new DataView(r.buffer).setFloat32(4 * j, all.getFloat32(4 * a, true), true));
        out.push(r);
      }
    }
    const ref = (await decodeAll(u8, 'all.dcd')).frames;
    const { f, frames } = await decodeAll(emit(out, 4, true), 'fixed.dcd');
    expect(f.header.nFixed).toBe(3);
    expect(f.nFrames).toBe(10);
    for (let k = 0; k < 10; k++) {
      for (const a of free) for (let d = 0; d < 3; d++) expect(frames[k].positions[3 * a + d]).toBe(ref[k].positions[3 * a + d]);
      for (const a of fixed) for (let d = 0; d < 3; d++) expect(frames[k].positions[3 * a + d]).toBe(ref[0].positions[3 * a + d]);
    }
  });

  it('unit-cell slot conventions (formats.md §10): cosines, degrees, symmetric matrix, none', () => {
    const [a, b, c, al, be, ga] = [30, 32, 34, 80, 95, 70];
    const cos = (x: number) => Math.cos((x * Math.PI) / 180);
    const want = cellFromParameters(a, b, c, al, be, ga);
    // slots [A, gamma, B, beta, alpha, C]
    expect(maxAbsDiff(dcdCell([a, cos(ga), b, cos(be), cos(al), c])!, want).max).toBeLessThan(1e-12);
    expect(Array.from(dcdCell([a, ga, b, be, al, c])!)).toEqual(Array.from(want));
    expect(Array.from(dcdCell([a, 0, b, 0, 0, c])!)).toEqual([a, 0, 0, 0, b, 0, 0, 0, c]); // cos 0 -> exactly 90
    expect(Array.from(dcdCell([30, 1.5, 31, 2.5, -0.5, 32])!)).toEqual([30, 1.5, 2.5, 1.5, 31, -0.5, 2.5, -0.5, 32]);
    expect(dcdCell([0, 0, 0, 0, 0, 0])).toBeNull();
  });

  it('a truncated file and a corrupt record marker give FormatErrors with frame and byte', async () => {
    const u8 = readData(...DCD);
    const e1 = await DcdFile.open(memorySource('cut.dcd', u8.subarray(0, u8.length - 10))).catch((e: unknown) => e) as FormatError;
    expect(e1).toBeInstanceOf(FormatError);
    expect(e1.at).toEqual({ frame: 9, byte: 596 + 9 * 4580 });
    const bad = u8.slice();
    new DataView(bad.buffer).setInt32(596 + 4580 * 3 + 56, 1234, true); // X record marker of frame 3
    const f = await DcdFile.open(memorySource('bad.dcd', bad));
    const e2 = await f.readFrame(3).catch((e: unknown) => e) as FormatError;
    expect(e2).toBeInstanceOf(FormatError);
    expect(e2.at).toEqual({ frame: 3, byte: 596 + 4580 * 3 + 56 });
    expect(e2.expected).toMatch(/1500 bytes/);
  });
});

describe('PSF topology', () => {
  it('tip125_tric_C36.psf: 375 atoms, OH2/H1/H2 names mapped to O, H, H', () => {
    const psf = parsePsf(new TextDecoder().decode(readData(...PSF)), 'tip125_tric_C36.psf');
    expect(psf.nAtoms).toBe(375);
    expect(psf.names.slice(0, 3)).toEqual(['OH2', 'H1', 'H2']);
    for (let m = 0; m < 125; m++) expect(psf.species.slice(3 * m, 3 * m + 3)).toEqual(['O', 'H', 'H']);
    expect(psf.masses[0]).toBe(15.9994);
    expect(Array.from(psf.ids!.slice(0, 3))).toEqual([1, 2, 3]);
  });

  it('PSF layouts: without segment id, EXT (wide) columns, zero-mass virtual sites, ions by mass', () => {
    const text = ['PSF EXT', '', '       1 !NTITLE', '* test', '', '       5 !NATOM',
      '         1 WAT      1        TIP4     OW       OT       0.000000       15.9994           0',
      '         2 WAT      1        TIP4     HW1      HT       0.520000        1.0080           0',
      '         3 WAT      1        TIP4     MW       LP      -1.040000        0.0000           0',
      '       4    1 SOD  SOD  SOD     1.000000       22.9898           0',
      '         5 ION      2        CLA      CLA      CLA     -1.000000       35.4500           0', ''].join('\n');
    const psf = parsePsf(text, 'ext.psf');
    expect(psf.nAtoms).toBe(5);
    expect(psf.names).toEqual(['OW', 'HW1', 'MW', 'SOD', 'CLA']);
    expect(psf.species).toEqual(['O', 'H', 'virtual', 'Na', 'Cl']);
    expect(psf.masses[3]).toBe(22.9898);
    // united-atom carbons keep their name element although CH2 weighs like N
    const ua = parsePsf('PSF\n\n       2 !NATOM\n 1 A 1 HEX CH2 C2 0.0 14.027 0\n 2 A 1 HEX CH3 C3 0.0 15.035 0\n', 'ua.psf');
    expect(ua.species).toEqual(['C', 'C']);
  });

  it('a PSF without !NATOM or with a short atom section is a FormatError naming the line', () => {
    expect(() => parsePsf('PSF\n\n  1 !NTITLE\n* x\n', 'a.psf')).toThrow(FormatError);
    const e = (() => { try { parsePsf('PSF\n\n       3 !NATOM\n 1 S 1 R OH2 58 -0.8 15.9994 0\n', 'b.psf'); } catch (x) { return x; } })() as FormatError;
    expect(e).toBeInstanceOf(FormatError);
    expect(e.at.line).toBe(5);
  });
});

/** PDB ATOM records and CRYST1 of the companion file (formats.md §7 columns), read here independently. */
function readPdb(text: string) {
  const pos: number[] = [];
  let cryst: number[] = [];
  for (const l of text.split('\n')) {
    if (l.startsWith('CRYST1')) cryst = [l.slice(6, 15), l.slice(15, 24), l.slice(24, 33), l.slice(33, 40), l.slice(40, 47), l.slice(47, 54)].map(Number);
    if (l.startsWith('ATOM') || l.startsWith('HETATM')) pos.push(Number(l.slice(30, 38)), Number(l.slice(38, 46)), Number(l.slice(46, 54)));
  }
  return { pos, cryst };
}

/** A double-precision copy of a single-precision TRR frame (test builder, XDR big-endian). */
function toDouble(u8: Uint8Array): Uint8Array {
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const head = 24 + 13 * 4;
  const nReal = (u8.length - head) / 4; // time, lambda, box, x
  const out = new Uint8Array(head + 8 * nReal);
  const ov = new DataView(out.buffer);
  out.set(u8.subarray(0, head));
  for (let k = 0; k < 10; k++) ov.setInt32(24 + 4 * k, 2 * dv.getInt32(24 + 4 * k, false), false);
  for (let k = 0; k < nReal; k++) ov.setFloat64(head + 8 * k, dv.getFloat32(head + 4 * k, false), false);
  return out;
}

describe('TRR reader', () => {
  it('surface.trr: 100 atoms, hexagonal cell (gamma 60), positions equal the PDB companion', async () => {
    const u8 = readData('format_tests_mdanalysis', 'surface.trr');
    expect(trrFormat.sniff(u8.subarray(0, 64), 'surface.trr')).toBe(true);
    const f = await TrrFile.open(memorySource('surface.trr', u8));
    expect(f.nAtoms).toBe(100);
    expect(f.nFrames).toBe(1);
    expect(f.index.real).toBe(4);
    const fr = await f.readFrame(0);
    const pdb = readPdb(new TextDecoder().decode(bunzip2(readData('format_tests_mdanalysis', 'surface.pdb.bz2'))));
    expect(pdb.pos.length).toBe(300);
    expect(maxAbsDiff(fr.positions, pdb.pos).max).toBeLessThanOrEqual(PDB_HALF_UNIT_A);
    const par = cellParameters(fr.cell!);
    expect(maxAbsDiff(par.slice(0, 3), pdb.cryst.slice(0, 3)).max).toBeLessThanOrEqual(PDB_HALF_UNIT_A);
    expect(maxAbsDiff(par.slice(3), pdb.cryst.slice(3)).max).toBeLessThanOrEqual(PDB_ANGLE_HALF_UNIT);
    expect(fr.time).toBe(0);
    expect(fr.step).toBe(0);
  });

  it('double precision is detected from the block sizes and gives the same numbers', async () => {
    const u8 = readData('format_tests_mdanalysis', 'surface.trr');
    const single = await (await TrrFile.open(memorySource('s.trr', u8))).readFrame(0);
    const d = await TrrFile.open(memorySource('d.trr', toDouble(u8)));
    expect(d.index.real).toBe(8);
    const dbl = await d.readFrame(0);
    expect(maxAbsDiff(dbl.positions, single.positions).max).toBe(0);
    expect(Array.from(dbl.cell!)).toEqual(Array.from(single.cell!));
  });

  it('frames without coordinates are skipped; a truncated frame is a FormatError', async () => {
    const u8 = readData('format_tests_mdanalysis', 'surface.trr');
    // second frame: same header with x_size moved to v_size (velocities only)
    const vOnly = u8.slice();
    const dv = new DataView(vOnly.buffer);
    dv.setInt32(24 + 4 * 8, dv.getInt32(24 + 4 * 7, false), false);
    dv.setInt32(24 + 4 * 7, 0, false);
    const both = new Uint8Array(2 * u8.length + vOnly.length);
    both.set(u8); both.set(vOnly, u8.length); both.set(u8, u8.length + vOnly.length);
    const f = await TrrFile.open(memorySource('v.trr', both));
    expect(f.nFrames).toBe(2);
    expect(f.index.skipped).toBe(1);
    expect(f.index.byteStart[1]).toBe(2 * u8.length);
    const e = await TrrFile.open(memorySource('cut.trr', both.subarray(0, both.length - 4))).catch((x: unknown) => x) as FormatError;
    expect(e).toBeInstanceOf(FormatError);
    expect(e.at).toEqual({ frame: 2, byte: 2 * u8.length });
  });
});
