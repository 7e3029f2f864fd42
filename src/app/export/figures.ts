/**
 * Every analysis view as an exportable figure, rendered from data into a fresh SVG string (never
 * from the live view, no UI chrome). The map's point layer is an embedded PNG (432,900 points do
 * not belong in a vector file); axes, contours, traces and everything else are vectors.
 */
import { scaleLinear } from 'd3-scale';
import { el, fmt, polyline, svgDocument, text, type Figure } from './svg.ts';
import { base64, encodePng } from './png-encode.ts';
import { rasterisePoints, toPixel, traceSegmentColour, type Domain, type Frame2d, type MapPoints } from '../views/layout/map-layout.ts';
import type { ContourLine } from '../views/layout/density.ts';
import type { HeatmapLayout } from '../views/layout/heatmap-layout.ts';
import { arcPath, polarToSvg, ribbonPath, CHORD_R_OUTER, type ChordLayout } from '../views/layout/chord-layout.ts';
import { cutToPixel, type DendroGeometry } from '../views/layout/dendrogram-layout.ts';
import { atomSeries, histogram, type Histogram } from '../views/layout/timeseries-layout.ts';
import { cssColour, viridis } from '../views/layout/palettes.ts';

/** Axis ticks and labels around a plot frame (vector). */
function axes(d: Domain, f: Frame2d, xLabel: string, yLabel: string): string[] {
  const out: string[] = [el('rect', { x: f.left, y: f.top, width: f.width, height: f.height, fill: 'none', stroke: '#000000', 'stroke-width': 0.8 })];
  const sx = scaleLinear().domain([d.x0, d.x1]), sy = scaleLinear().domain([d.y0, d.y1]);
  for (const t of sx.ticks(6)) {
    const [px] = toPixel(d, f, t, d.y0);
    out.push(el('line', { x1: px, y1: f.top + f.height, x2: px, y2: f.top + f.height + 4, stroke: '#000000', 'stroke-width': 0.8 }));
    out.push(text(px, f.top + f.height + 15, sx.tickFormat(6)(t), { 'text-anchor': 'middle', fill: '#000000' }));
  }
  for (const t of sy.ticks(6)) {
    const [, py] = toPixel(d, f, d.x0, t);
    out.push(el('line', { x1: f.left - 4, y1: py, x2: f.left, y2: py, stroke: '#000000', 'stroke-width': 0.8 }));
    out.push(text(f.left - 6, py + 4, sy.tickFormat(6)(t), { 'text-anchor': 'end', fill: '#000000' }));
  }
  out.push(text(f.left + f.width / 2, f.top + f.height + 32, xLabel, { 'text-anchor': 'middle', fill: '#000000', 'font-size': 12 }));
  out.push(text(14, f.top + f.height / 2, yLabel, { 'text-anchor': 'middle', fill: '#000000', 'font-size': 12, transform: `rotate(-90 14 ${fmt(f.top + f.height / 2)})` }));
  return out;
}

export interface MapFigureData {
  points: MapPoints;
  colours: Uint32Array;
  domain: Domain;
  xLabel: string;
  yLabel: string;
  contours?: ContourLine[];
  /** Traced atoms: x, y per analysed frame. */
  traces?: Array<{ label: string; path: Float64Array }>;
  /** Rows of the current frame, drawn emphasised. */
  current?: { rows: Int32Array | number[]; colour: string };
}

export const MAP_MARGIN = { left: 60, right: 16, top: 16, bottom: 44 };
/** Pixels of the embedded point image per SVG unit. */
export const MAP_RASTER_SCALE = 2;

export function mapFigure(d: MapFigureData, name = 'pca-map', width = 640, height = 560): Figure {
  const f: Frame2d = { left: MAP_MARGIN.left, top: MAP_MARGIN.top, width: width - MAP_MARGIN.left - MAP_MARGIN.right, height: height - MAP_MARGIN.top - MAP_MARGIN.bottom };
  return {
    name, width, height,
    svg: () => {
      // the point layer at MAP_RASTER_SCALE pixels per unit, so PNG exports at 2x stay sharp
      const w = Math.max(1, Math.round(f.width * MAP_RASTER_SCALE)), h = Math.max(1, Math.round(f.height * MAP_RASTER_SCALE));
      const rgba = new Uint8ClampedArray(w * h * 4);
      rasterisePoints(rgba, w, h, d.points, d.colours, d.domain, d.points.n < 50_000 ? 2 * MAP_RASTER_SCALE : MAP_RASTER_SCALE);
      const png = encodePng(rgba, w, h);
      const body: string[] = [
        el('defs', {}, el('clipPath', { id: 'plot' }, el('rect', { x: f.left, y: f.top, width: f.width, height: f.height }))),
        el('image', { x: f.left, y: f.top, width: f.width, height: f.height, preserveAspectRatio: 'none', 'xlink:href': `data:image/png;base64,${base64(png)}`, href: `data:image/png;base64,${base64(png)}` }),
      ];
      const g: string[] = [];
      for (const c of d.contours ?? []) {
        for (const ring of c.rings) {
          const px = new Float64Array(ring.length);
          for (let i = 0; i < ring.length; i += 2) { const [x, y] = toPixel(d.domain, f, ring[i], ring[i + 1]); px[i] = x; px[i + 1] = y; }
          g.push(polyline(px, { stroke: '#000000', 'stroke-width': 0.5, class: 'contour' }));
        }
      }
      if (d.current) {
        for (const row of d.current.rows) {
          const [x, y] = toPixel(d.domain, f, d.points.x[row], d.points.y[row]);
          g.push(el('circle', { cx: x, cy: y, r: 1.6, fill: d.current.colour, class: 'current' }));
        }
      }
      for (const t of d.traces ?? []) {
        const m = t.path.length / 2;
        const segs: string[] = [];
        for (let j = 0; j + 1 < m; j++) {
          const [x0, y0] = toPixel(d.domain, f, t.path[2 * j], t.path[2 * j + 1]);
          const [x1, y1] = toPixel(d.domain, f, t.path[2 * j + 2], t.path[2 * j + 3]);
          segs.push(el('line', { x1: x0, y1: y0, x2: x1, y2: y1, stroke: cssColour(traceSegmentColour(j, m)), 'stroke-width': 0.8 }));
        }
        g.push(el('g', { class: 'trace', 'data-label': t.label }, segs));
      }
      body.push(el('g', { 'clip-path': 'url(#plot)' }, g));
      body.push(...axes(d.domain, f, d.xLabel, d.yLabel));
      return svgDocument(width, height, body, name);
    },
  };
}

export interface HeatmapFigureData { layout: HeatmapLayout; labels: string[]; colours: string[] }

export const HEAT_MARGIN = { left: 56, top: 40, right: 12, bottom: 12 };

/** Pixel geometry of the heatmap grid for a figure size. */
export function heatmapCell(width: number, height: number, k: number): { cell: number; left: number; top: number } {
  const cell = Math.max(4, Math.min((width - HEAT_MARGIN.left - HEAT_MARGIN.right) / k, (height - HEAT_MARGIN.top - HEAT_MARGIN.bottom) / k));
  return { cell, left: HEAT_MARGIN.left, top: HEAT_MARGIN.top };
}

export function heatmapFigure(d: HeatmapFigureData, name = 'transition-matrix', width = 520, height = 520): Figure {
  return {
    name, width, height,
    svg: () => {
      const { k, cells } = d.layout;
      const { cell, left, top } = heatmapCell(width, height, k);
      const body: string[] = [];
      const fs = Math.max(6, Math.min(12, cell / 4));
      for (const c of cells) {
        const x = left + c.col * cell, y = top + c.row * cell;
        const grey = Number.isNaN(c.shade) ? null : Math.round(255 * (1 - c.shade));
        body.push(el('rect', { x, y, width: cell, height: cell, fill: grey === null ? '#ffffff' : `rgb(${grey},${grey},${grey})`,
          stroke: '#cccccc', 'stroke-width': 0.5, class: 'cell', 'data-from': c.from, 'data-to': c.to, 'data-count': c.count, 'data-percent': fmt(c.percent) }));
        if (c.text) body.push(text(x + cell / 2, y + cell / 2 + fs / 3, c.text, { 'text-anchor': 'middle', 'font-size': fs, fill: grey !== null && grey < 128 ? '#ffffff' : '#000000', 'pointer-events': 'none' }));
      }
      for (let i = 0; i < k; i++) {
        const lab = d.layout.order[i];
        body.push(text(left - 6, top + i * cell + cell / 2 + 4, d.labels[lab] ?? String(lab), { 'text-anchor': 'end', fill: d.colours[lab] ?? '#000000', 'font-weight': 'bold' }));
        body.push(text(left + i * cell + cell / 2, top - 8, d.labels[lab] ?? String(lab), { 'text-anchor': 'middle', fill: d.colours[lab] ?? '#000000', 'font-weight': 'bold' }));
      }
      body.push(text(left, 14, 'from (rows) \u2192 to (columns), % of row', { fill: '#000000', 'font-size': 10 }));
      return svgDocument(width, height, body, name);
    },
  };
}

export interface ChordFigureData { layout: ChordLayout; colours: string[]; labels: string[] }

export function chordFigure(d: ChordFigureData, name = 'chord', width = 520, height = 520): Figure {
  return {
    name, width, height,
    svg: () => {
      // outer radius R = 0.5 units; leave room for the labels at 1.08 R
      const scale = Math.max(10, Math.min(width, height) - 110) / (2 * CHORD_R_OUTER);
      const cx = width / 2, cy = height / 2;
      const body: string[] = [];
      const ribbons = d.layout.ribbons.map((r) => el('path', { d: ribbonPath(r, scale), fill: d.colours[r.colour] ?? '#888888', 'fill-opacity': 0.4,
        stroke: 'none', class: 'ribbon', 'data-a': r.a, 'data-b': r.b, 'data-ab': r.ab, 'data-ba': r.ba }));
      const arcs = d.layout.arcs.map((a) => el('path', { d: arcPath(a, scale), fill: d.colours[a.cluster] ?? '#888888', stroke: '#ffffff', 'stroke-width': 0.5,
        class: 'arc', 'data-cluster': a.cluster, 'data-total': a.total }));
      const labels = d.layout.arcs.filter((a) => a.end > a.start).map((a) => {
        const [x, y] = polarToSvg((a.start + a.end) / 2, CHORD_R_OUTER * 1.08, scale);
        return text(x, y + 4, d.labels[a.cluster] ?? String(a.cluster), { 'text-anchor': 'middle', fill: '#000000', 'font-weight': 'bold' });
      });
      body.push(el('g', { transform: `translate(${fmt(cx)},${fmt(cy)})` }, [...ribbons, ...arcs, ...labels]));
      return svgDocument(width, height, body, name);
    },
  };
}

export interface DendrogramFigureData {
  geometry: DendroGeometry;
  cut: number;
  labels: string[];
  /** Colour per micro label (its macro-cluster's colour). */
  colours: string[];
  nMacro: number;
}

export function dendrogramFigure(d: DendrogramFigureData, name = 'dendrogram', width = 520, height = 400): Figure {
  return {
    name, width, height,
    svg: () => {
      const g = d.geometry;
      const body: string[] = [];
      for (const l of g.links) body.push(polyline(l, { stroke: '#000000', 'stroke-width': 1.2, class: 'link' }));
      for (const leaf of g.leaves) body.push(text(g.left - 6, leaf.y + 4, d.labels[leaf.micro] ?? String(leaf.micro), { 'text-anchor': 'end', fill: d.colours[leaf.micro] ?? '#000000', 'font-weight': 'bold', class: 'leaf' }));
      const ax = scaleLinear().domain([0, g.maxHeight]);
      const y0 = g.top + g.height;
      body.push(el('line', { x1: g.left, y1: y0, x2: g.left + g.width, y2: y0, stroke: '#000000', 'stroke-width': 0.8 }));
      for (const t of ax.ticks(5)) {
        const x = cutToPixel(g, t);
        body.push(el('line', { x1: x, y1: y0, x2: x, y2: y0 + 4, stroke: '#000000', 'stroke-width': 0.8 }));
        body.push(text(x, y0 + 16, ax.tickFormat(5)(t), { 'text-anchor': 'middle', fill: '#000000' }));
      }
      body.push(text(g.left + g.width / 2, y0 + 32, 'correlation distance', { 'text-anchor': 'middle', fill: '#000000' }));
      const xc = cutToPixel(g, d.cut);
      body.push(el('line', { x1: xc, y1: g.top - 6, x2: xc, y2: y0, stroke: '#d62728', 'stroke-width': 1.5, 'stroke-dasharray': '5 3', class: 'cut' }));
      const right = xc > g.left + g.width * 0.6; // label on the side with room
      body.push(text(right ? xc - 4 : xc + 4, g.top + 4, `cut ${d.cut.toFixed(3)} \u2192 ${d.nMacro} macro`, { fill: '#d62728', class: 'cut-label', 'text-anchor': right ? 'end' : 'start' }));
      if (g.excluded.length) body.push(text(g.left, height - 4, `no transition statistics: ${g.excluded.map((m) => d.labels[m] ?? m).join(', ')}`, { fill: '#555555', 'font-size': 10 }));
      return svgDocument(width, height, body, name);
    },
  };
}

export interface TimeseriesFigureData {
  values: ArrayLike<number>;
  nAtoms: number;
  nFrames: number;
  /** Trajectory frame of each analysed frame (x axis). */
  frames: Int32Array;
  /** Analysed atoms drawn bold, with labels. */
  bold: Array<{ a: number; label: string; colour: string }>;
  /** Analysed frame of the time cursor, or -1. */
  cursor: number;
  range: [number, number];
  yLabel: string;
  hist?: Histogram;
}

export const TS_MARGIN = { left: 56, right: 110, top: 14, bottom: 40 };

export function timeseriesFigure(d: TimeseriesFigureData, name = 'lens-time-series', width = 720, height = 360): Figure {
  return {
    name, width, height,
    svg: () => {
      const f: Frame2d = { left: TS_MARGIN.left, top: TS_MARGIN.top, width: width - TS_MARGIN.left - TS_MARGIN.right, height: height - TS_MARGIN.top - TS_MARGIN.bottom };
      const dom: Domain = { x0: d.frames[0] ?? 0, x1: d.frames[d.nFrames - 1] ?? 1, y0: d.range[0], y1: d.range[1] };
      if (dom.x1 === dom.x0) dom.x1 = dom.x0 + 1;
      const body: string[] = [];
      const faint: string[] = [];
      const line = (a: number) => {
        const s = atomSeries(d.values, d.nAtoms, d.nFrames, a);
        const pts = new Float64Array(2 * d.nFrames);
        for (let j = 0; j < d.nFrames; j++) { const [x, y] = toPixel(dom, f, d.frames[j], s[j]); pts[2 * j] = x; pts[2 * j + 1] = y; }
        return pts;
      };
      for (let a = 0; a < d.nAtoms; a++) faint.push(polyline(line(a), {}));
      body.push(el('g', { stroke: '#1f77b4', 'stroke-opacity': 0.15, 'stroke-width': 0.3, fill: 'none', class: 'faint' }, faint));
      for (const b of d.bold) body.push(polyline(line(b.a), { stroke: b.colour, 'stroke-width': 1.6, class: 'bold', 'data-label': b.label }));
      if (d.cursor >= 0) {
        const [x] = toPixel(dom, f, d.frames[d.cursor], dom.y0);
        body.push(el('line', { x1: x, y1: f.top, x2: x, y2: f.top + f.height, stroke: '#d62728', 'stroke-width': 1, class: 'cursor' }));
      }
      body.push(...axes(dom, f, 'frame', d.yLabel));
      const hist = d.hist ?? histogram(d.values, 30);
      let max = 0;
      for (const c of hist.counts) max = Math.max(max, c);
      const hx = f.left + f.width + 10, hw = TS_MARGIN.right - 20;
      for (let b = 0; b < hist.counts.length; b++) {
        const [, yTop] = toPixel(dom, f, dom.x0, hist.edges[b + 1]);
        const [, yBot] = toPixel(dom, f, dom.x0, hist.edges[b]);
        body.push(el('rect', { x: hx, y: yTop, width: max > 0 ? (hw * hist.counts[b]) / max : 0, height: Math.max(0, yBot - yTop), fill: cssColour(viridis(0.3)), class: 'hist' }));
      }
      return svgDocument(width, height, body, name);
    },
  };
}
