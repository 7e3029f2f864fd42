/**
 * Derived data the analysis views share, memoised per results object (WeakMap caches), and the
 * figures of each view built from the store's state. Views call these; they never import each
 * other. Everything here is DOM-free.
 */
import type { Results } from '../../core/pipeline/results.ts';
import type { MacroStep } from '../../core/pipeline/analysis.ts';
import type KDBush from 'kdbush';
import { analysedFrameOf, buildIndex, mapPoints, pointColours, pointsDomain, tracePath, analysedAtomOf, type MapColourMode, type MapPoints, type Domain } from './layout/map-layout.ts';
import { densityContours, logDensity, type ContourLine } from './layout/density.ts';
import { heatmapLayout, macroOrder, microOrder } from './layout/heatmap-layout.ts';
import { chordLayout } from './layout/chord-layout.ts';
import { dendrogramGeometry } from './layout/dendrogram-layout.ts';
import { doaneBinCount, histogram, valueRange } from './layout/timeseries-layout.ts';
import { cssColour, macroColour, microColour } from './layout/palettes.ts';
import { chordFigure, dendrogramFigure, heatmapFigure, mapFigure, timeseriesFigure, MAP_MARGIN, TS_MARGIN } from '../export/figures.ts';
import type { Figure } from '../export/svg.ts';
import { currentMacro, type ViewsState } from './views-slice.ts';

const pointsCache = new WeakMap<Results, Map<string, MapPoints>>();
const indexCache = new WeakMap<MapPoints, KDBush>();
const domainCache = new WeakMap<MapPoints, Domain>();
const contourCache = new WeakMap<MapPoints, ContourLine[]>();
const colourCache = new WeakMap<object, Map<string, Uint32Array>>();

export function pointsOf(r: Results, cx: number, cy: number): MapPoints {
  let m = pointsCache.get(r);
  if (!m) { m = new Map(); pointsCache.set(r, m); }
  const key = `${cx},${cy}`;
  let p = m.get(key);
  if (!p) {
    if (r.scoreDim === 1) {
      // one component: plot it against LENS (a PCA run with LENS) or against the analysed frame
      const n = r.nAtoms * r.nFrames;
      const x = Float32Array.from(r.scores.subarray(0, n));
      const lens = r.pca && r.lens ? r.lens : null;
      const y = lens ? Float32Array.from(lens) : Float32Array.from({ length: n }, (_, i) => Math.floor(i / r.nAtoms));
      p = { x, y, n };
    } else p = mapPoints(r.scores, r.scoreDim, Math.min(cx, r.scoreDim - 1), Math.min(cy, r.scoreDim - 1));
    m.set(key, p);
  }
  return p;
}

/** Names of the map's two axes. */
export function axisNames(r: Results, cx: number, cy: number): [string, string] {
  if (r.scoreDim === 1) return [componentName(r, 0), r.pca && r.lens ? 'LENS' : 'analysed frame'];
  return [componentName(r, Math.min(cx, r.scoreDim - 1)), componentName(r, Math.min(cy, r.scoreDim - 1))];
}

export function indexOf(p: MapPoints): KDBush {
  let i = indexCache.get(p);
  if (!i) { i = buildIndex(p); indexCache.set(p, i); }
  return i;
}

export function domainOf(p: MapPoints): Domain {
  let d = domainCache.get(p);
  if (!d) { d = pointsDomain(p); domainCache.set(p, d); }
  return d;
}

export function contoursOf(p: MapPoints): ContourLine[] {
  let c = contourCache.get(p);
  if (!c) { c = densityContours(logDensity(p)); contourCache.set(p, c); }
  return c;
}

/** Point alpha by colour mode (pipeline.md §11 uses 0.1 micro / 0.01 macro on paper; screens need more). */
export function mapAlpha(nPoints: number): number {
  return Math.min(0.9, Math.max(0.08, 4000 / Math.max(1, nPoints)));
}

export function coloursOf(r: Results, macro: MacroStep, mode: MapColourMode): Uint32Array {
  const key = mode === 'macro' ? macro : r;
  let m = colourCache.get(key);
  if (!m) { m = new Map(); colourCache.set(key, m); }
  const k = `${mode}`;
  let c = m.get(k);
  if (!c) { c = pointColours(mode, r, r.analysis.cluster.labels, macro.labels, macro.nMacro, mapAlpha(r.nAtoms * r.nFrames)); m.set(k, c); }
  return c;
}

/** Display names of micro labels (noise class last: "noise"). */
export function microNames(r: Results): string[] {
  const k = r.analysis.transitions.k, nc = r.analysis.cluster.nClusters;
  return Array.from({ length: k }, (_, i) => (i >= nc ? 'noise' : String(i)));
}

export function macroNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `M${i}`);
}

export function microColours(r: Results): string[] {
  const k = r.analysis.transitions.k, nc = r.analysis.cluster.nClusters;
  return Array.from({ length: k }, (_, i) => cssColour(microColour(i >= nc ? -1 : i)));
}

export function macroColours(n: number): string[] {
  return Array.from({ length: n }, (_, i) => cssColour(macroColour(i, n)));
}

export function componentName(r: Results, c: number): string {
  return r.pca ? `PC${c + 1}` : r.scoreDim === 1 ? 'LENS' : `score ${c + 1}`;
}

/** Rows of the analysed frame showing trajectory frame `frame` (empty if not analysed). */
export function rowsOfFrame(r: Results, frame: number): Int32Array {
  const j = analysedFrameOf(r.frames, frame);
  if (j < 0) return new Int32Array(0);
  return Int32Array.from({ length: r.nAtoms }, (_, a) => j * r.nAtoms + a);
}

// ------------------------------------------------------------------------------------------
// figures of each view from the store's state

export function mapFigureOf(s: ViewsState, width = 640, height = 560, domain?: Domain): Figure | null {
  const r = s.results, macro = currentMacro(s);
  if (!r || !macro) return null;
  const [cx, cy] = s.mapAxes;
  const p = pointsOf(r, cx, cy);
  const traces = s.traced.map((atom) => ({ atom, a: analysedAtomOf(r.atoms, atom) })).filter((t) => t.a >= 0)
    .map((t) => ({ label: `atom ${t.atom}`, path: tracePath(p, r.nAtoms, r.nFrames, t.a) }));
  return mapFigure({
    points: p, colours: coloursOf(r, macro, s.mapColour), domain: domain ?? domainOf(p),
    xLabel: axisNames(r, cx, cy)[0], yLabel: axisNames(r, cx, cy)[1],
    contours: s.showContours ? contoursOf(p) : undefined, traces,
  }, 'pca-map', width, height);
}

export { MAP_MARGIN, TS_MARGIN };

export function heatmapFigureOf(s: ViewsState, width = 520, height = 520): Figure | null {
  const r = s.results, macro = currentMacro(s);
  if (!r || !macro) return null;
  const micro = s.heatmapLevel === 'micro';
  const k = micro ? r.analysis.transitions.k : macro.nMacro;
  const order = micro ? microOrder(macro.tree.leaves, k) : macroOrder(macro.tree.leaves, macro.microToMacro, macro.nMacro);
  const layout = heatmapLayout(micro ? r.analysis.transitions.counts : macro.transitions.counts, k, order, s.hideDiagonal);
  return heatmapFigure({ layout, labels: micro ? microNames(r) : macroNames(k), colours: micro ? microColours(r) : macroColours(k) },
    micro ? 'transition-matrix-micro' : 'transition-matrix-macro', width, height);
}

export function chordFigureOf(s: ViewsState, width = 520, height = 520): Figure | null {
  const r = s.results, macro = currentMacro(s);
  if (!r || !macro) return null;
  const micro = s.chordLevel === 'micro';
  const k = micro ? r.analysis.transitions.k : macro.nMacro;
  const counts = micro ? r.analysis.transitions.counts : macro.transitions.counts;
  let total = 0;
  for (const v of counts) total += v;
  // threshold as a fraction of the total; 0 -> the reference 0.01 count (skip pairs with no exchange)
  const threshold = s.chordThreshold > 0 ? s.chordThreshold * total : 0.01;
  const layout = chordLayout(counts, k, { ordering: s.chordOrdering, threshold });
  return chordFigure({ layout, labels: micro ? microNames(r) : macroNames(k), colours: micro ? microColours(r) : macroColours(k) },
    micro ? 'chord-micro' : 'chord-macro', width, height);
}

export const DENDRO_MARGIN = { left: 56, right: 24, top: 24, bottom: 48 };

export function dendrogramFigureOf(s: ViewsState, width = 520, height = 400) {
  const r = s.results, macro = currentMacro(s);
  if (!r || !macro) return null;
  const base = r.analysis.macro.tree;
  let maxH = 0;
  for (let i = 2; i < base.linkage.length; i += 4) maxH = Math.max(maxH, base.linkage[i]);
  const geometry = dendrogramGeometry(macro.tree, DENDRO_MARGIN.left, DENDRO_MARGIN.top, width - DENDRO_MARGIN.left - DENDRO_MARGIN.right,
    height - DENDRO_MARGIN.top - DENDRO_MARGIN.bottom, Math.max(maxH * 1.1, 1.1 * base.cut, 1e-9));
  const mc = macroColours(macro.nMacro);
  const colours = Array.from(macro.microToMacro, (m) => mc[m]);
  const figure = dendrogramFigure({ geometry, cut: macro.tree.cut, labels: microNames(r), colours, nMacro: macro.nMacro }, 'dendrogram', width, height);
  return { figure, geometry };
}

export function timeseriesFigureOf(s: ViewsState, width = 720, height = 360): Figure | null {
  const r = s.results;
  if (!r) return null;
  const values = r.lens ?? (r.scoreDim >= 1 ? Float64Array.from({ length: r.nAtoms * r.nFrames }, (_, i) => r.scores[i * r.scoreDim]) : null);
  if (!values) return null;
  const bold = s.traced.map((atom, i) => ({ a: analysedAtomOf(r.atoms, atom), label: `atom ${atom}`, colour: cssColour(microColour(i)) })).filter((b) => b.a >= 0);
  const j = analysedFrameOf(r.frames, s.frameIndex);
  return timeseriesFigure({ values, nAtoms: r.nAtoms, nFrames: r.nFrames, frames: r.frames, bold, cursor: j, range: valueRange(values),
    yLabel: r.lens ? 'LENS' : componentName(r, 0), hist: histogram(values, Math.min(200, doaneBinCount(values))) }, 'lens-time-series', width, height);
}
