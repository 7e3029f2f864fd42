/**
 * The PCA map's geometry, without any DOM: point coordinates of two chosen components, the view
 * window (zoom/pan), a kdbush index for brushing and hovering, rectangle and lasso selection,
 * selection counts and the per-atom mask of one frame, per-point colours and a software
 * rasteriser (the live canvas and the exported figure draw the same pixels).
 */
import KDBush from 'kdbush';
import type { Results } from '../../../core/pipeline/results.ts';
import { GREY, macroColour, microColour, packRgba, purd, viridis, type Rgb } from './palettes.ts';

/** x and y of every row for components (cx, cy) of a rows x dim score matrix. */
export interface MapPoints {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

export function mapPoints(scores: ArrayLike<number>, dim: number, cx: number, cy: number): MapPoints {
  if (!(cx >= 0 && cx < dim && cy >= 0 && cy < dim)) throw new RangeError(`map components (${cx}, ${cy}) outside 0..${dim - 1}`);
  const n = Math.floor(scores.length / dim);
  const x = new Float32Array(n), y = new Float32Array(n);
  for (let i = 0; i < n; i++) { x[i] = scores[i * dim + cx]; y[i] = scores[i * dim + cy]; }
  return { x, y, n };
}

/** The data window shown: [x0, x1] x [y0, y1]. */
export interface Domain { x0: number; x1: number; y0: number; y1: number }

/** Bounding box of the points, padded by `pad` of its size on each side (a flat axis gets +-0.5). */
export function pointsDomain(p: MapPoints, pad = 0.03): Domain {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < p.n; i++) {
    const x = p.x[i], y = p.y[i];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (!(x1 >= x0)) { x0 = 0; x1 = 1; }
  if (!(y1 >= y0)) { y0 = 0; y1 = 1; }
  if (x1 === x0) { x0 -= 0.5; x1 += 0.5; }
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const dx = (x1 - x0) * pad, dy = (y1 - y0) * pad;
  return { x0: x0 - dx, x1: x1 + dx, y0: y0 - dy, y1: y1 + dy };
}

/** Pixel <-> data mapping of a plot area (left, top, width, height); y grows upwards in data. */
export interface Frame2d { left: number; top: number; width: number; height: number }

export function toPixel(d: Domain, f: Frame2d, x: number, y: number): [number, number] {
  return [f.left + ((x - d.x0) / (d.x1 - d.x0)) * f.width, f.top + ((d.y1 - y) / (d.y1 - d.y0)) * f.height];
}

export function toData(d: Domain, f: Frame2d, px: number, py: number): [number, number] {
  return [d.x0 + ((px - f.left) / f.width) * (d.x1 - d.x0), d.y1 - ((py - f.top) / f.height) * (d.y1 - d.y0)];
}

/** Zooms by `factor` (< 1 zooms in) about the data point (cx, cy). */
export function zoomDomain(d: Domain, factor: number, cx: number, cy: number): Domain {
  return { x0: cx + (d.x0 - cx) * factor, x1: cx + (d.x1 - cx) * factor, y0: cy + (d.y0 - cy) * factor, y1: cy + (d.y1 - cy) * factor };
}

export function panDomain(d: Domain, dx: number, dy: number): Domain {
  return { x0: d.x0 + dx, x1: d.x1 + dx, y0: d.y0 + dy, y1: d.y1 + dy };
}

/** A static 2-D index of the points (kdbush, float32 coordinates). */
export function buildIndex(p: MapPoints): KDBush {
  const index = new KDBush(p.n, 64, Float32Array);
  for (let i = 0; i < p.n; i++) index.add(p.x[i], p.y[i]);
  index.finish();
  return index;
}

/** Row mask (1 = selected) of the points inside a data rectangle (edges included). */
export function selectRect(index: KDBush, n: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const mask = new Uint8Array(n);
  const ids = index.range(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
  for (let k = 0; k < ids.length; k++) mask[ids[k]] = 1;
  return mask;
}

/** Even-odd rule point-in-polygon; `poly` holds x0, y0, x1, y1, ... (closed implicitly). */
export function pointInPolygon(x: number, y: number, poly: ArrayLike<number>): boolean {
  const m = poly.length >> 1;
  let inside = false;
  for (let i = 0, j = m - 1; i < m; j = i++) {
    const xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Row mask of the points inside a lasso polygon (data coordinates): bounding-box query, then the polygon test. */
export function selectLasso(index: KDBush, p: MapPoints, poly: ArrayLike<number>): Uint8Array {
  const mask = new Uint8Array(p.n);
  if (poly.length < 6) return mask;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < poly.length; i += 2) {
    x0 = Math.min(x0, poly[i]); x1 = Math.max(x1, poly[i]);
    y0 = Math.min(y0, poly[i + 1]); y1 = Math.max(y1, poly[i + 1]);
  }
  const ids = index.range(x0, y0, x1, y1);
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k];
    if (pointInPolygon(p.x[i], p.y[i], poly)) mask[i] = 1;
  }
  return mask;
}

/** The point nearest to (x, y) within data radius r, or -1. */
export function nearestPoint(index: KDBush, p: MapPoints, x: number, y: number, r: number): number {
  const ids = index.within(x, y, r);
  let best = -1, bd = Infinity;
  for (const i of ids) {
    const d = (p.x[i] - x) ** 2 + (p.y[i] - y) ** 2;
    if (d < bd) { bd = d; best = i; }
  }
  return best;
}

/** Points, distinct atoms and distinct frames of a row mask (rows frame-major: row = j * nAtoms + a). */
export function selectionCounts(mask: Uint8Array, nAtoms: number, nFrames: number): { points: number; atoms: number; frames: number } {
  const atomSeen = new Uint8Array(nAtoms);
  let points = 0, atoms = 0, frames = 0;
  for (let j = 0; j < nFrames; j++) {
    let any = false;
    const base = j * nAtoms;
    for (let a = 0; a < nAtoms; a++) {
      if (!mask[base + a]) continue;
      points++; any = true;
      if (!atomSeen[a]) { atomSeen[a] = 1; atoms++; }
    }
    if (any) frames++;
  }
  return { points, atoms, frames };
}

/** Analysed frame j showing trajectory frame `frame`, or -1. */
export function analysedFrameOf(frames: Int32Array, frame: number): number {
  let lo = 0, hi = frames.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid] === frame) return mid;
    if (frames[mid] < frame) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** Analysed atom index of trajectory atom `atom` (atoms ascending), or -1. */
export function analysedAtomOf(atoms: Int32Array, atom: number): number {
  return analysedFrameOf(atoms, atom);
}

/**
 * Per-trajectory-atom mask for trajectory frame `frame`: the atoms whose row in that frame is
 * selected. A frame that was not analysed selects nothing.
 */
export function atomMaskForFrame(rows: Uint8Array, r: Pick<Results, 'atoms' | 'frames' | 'nAtoms'>, frame: number, nTrajAtoms: number): Uint8Array {
  const out = new Uint8Array(nTrajAtoms);
  const j = analysedFrameOf(r.frames, frame);
  if (j < 0) return out;
  const base = j * r.nAtoms;
  for (let a = 0; a < r.nAtoms; a++) if (rows[base + a] && r.atoms[a] < nTrajAtoms) out[r.atoms[a]] = 1;
  return out;
}

export type MapColourMode = 'micro' | 'macro' | 'lens' | 'frame';

/** Per-row colours (packed RGBA, alpha from the figure convention: 0.1 micro, 0.01 macro scaled up for screens). */
export function pointColours(mode: MapColourMode, r: Pick<Results, 'nAtoms' | 'nFrames' | 'lens'>, micro: Int32Array, macro: Int32Array, nMacro: number, alpha: number): Uint32Array {
  const n = r.nAtoms * r.nFrames;
  const out = new Uint32Array(n);
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255);
  if (mode === 'micro' || mode === 'macro') {
    const labels = mode === 'micro' ? micro : macro;
    const cache = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      let v = cache.get(c);
      if (v === undefined) { v = packRgba(mode === 'micro' ? microColour(c) : macroColour(c, nMacro), a); cache.set(c, v); }
      out[i] = v;
    }
  } else if (mode === 'lens') {
    const lens = r.lens;
    let lo = Infinity, hi = -Infinity;
    if (lens) for (let i = 0; i < n; i++) { if (lens[i] < lo) lo = lens[i]; if (lens[i] > hi) hi = lens[i]; }
    const span = hi > lo ? hi - lo : 1;
    for (let i = 0; i < n; i++) out[i] = packRgba(lens ? purd(0.15 + 0.85 * (lens[i] - lo) / span) : GREY, a);
  } else {
    const m = Math.max(1, r.nFrames - 1);
    for (let j = 0; j < r.nFrames; j++) {
      const v = packRgba(viridis(j / m), a);
      out.fill(v, j * r.nAtoms, (j + 1) * r.nAtoms);
    }
  }
  return out;
}

/**
 * Draws points as single pixels (size 1) or small squares (size 2, 3) with "over" alpha blending
 * into an RGBA buffer (ImageData layout). `order` optionally gives the drawing order (last on top).
 */
export function rasterisePoints(rgba: Uint8ClampedArray, w: number, h: number, p: MapPoints, colours: Uint32Array, d: Domain, size = 1): void {
  const sx = w / (d.x1 - d.x0), sy = h / (d.y1 - d.y0);
  const half = size >> 1;
  for (let i = 0; i < p.n; i++) {
    const cx = Math.floor((p.x[i] - d.x0) * sx) - half, cy = Math.floor((d.y1 - p.y[i]) * sy) - half;
    if (cx + size <= 0 || cy + size <= 0 || cx >= w || cy >= h) continue;
    const c = colours[i];
    const al = (c >>> 24) / 255;
    if (al === 0) continue;
    const r = c & 255, g = (c >>> 8) & 255, b = (c >>> 16) & 255;
    for (let yy = Math.max(0, cy); yy < Math.min(h, cy + size); yy++) {
      for (let xx = Math.max(0, cx); xx < Math.min(w, cx + size); xx++) {
        const o = (yy * w + xx) * 4;
        const da = rgba[o + 3] / 255;
        const oa = al + da * (1 - al);
        rgba[o] = (r * al + rgba[o] * da * (1 - al)) / oa;
        rgba[o + 1] = (g * al + rgba[o + 1] * da * (1 - al)) / oa;
        rgba[o + 2] = (b * al + rgba[o + 2] * da * (1 - al)) / oa;
        rgba[o + 3] = oa * 255;
      }
    }
  }
}

/** The path of analysed atom a through the map: x, y per analysed frame. */
export function tracePath(p: MapPoints, nAtoms: number, nFrames: number, a: number): Float64Array {
  if (!(a >= 0 && a < nAtoms)) throw new RangeError(`trace: atom ${a} outside 0..${nAtoms - 1}`);
  const out = new Float64Array(2 * nFrames);
  for (let j = 0; j < nFrames; j++) { out[2 * j] = p.x[j * nAtoms + a]; out[2 * j + 1] = p.y[j * nAtoms + a]; }
  return out;
}

/** Colour of trace segment (j, j + 1) of M points: viridis(j / (M - 1)) (pipeline.md §11). */
export function traceSegmentColour(j: number, m: number): Rgb {
  return viridis(m > 1 ? j / (m - 1) : 0);
}

/** Labels of analysed atom a over analysed frames (the cluster-over-time strip). */
export function labelStrip(labels: Int32Array, nAtoms: number, nFrames: number, a: number): Int32Array {
  const out = new Int32Array(nFrames);
  for (let j = 0; j < nFrames; j++) out[j] = labels[j * nAtoms + a];
  return out;
}
