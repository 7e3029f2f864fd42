/**
 * State of the linked analysis views (issue 6), merged into the app store as one slice: the
 * brushed rows of the PCA map, named sets, traced atoms, map options, the macro cut override,
 * heatmap and chord options. It keeps the store's per-atom `selected` mask in step with the brush
 * for the current frame (the 3D view dims the other atoms), and resets when results change.
 * This file imports only types from the store, so either module can be loaded first.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from '../store.ts';
import type { Results } from '../../core/pipeline/results.ts';
import { macroStep, type MacroStep } from '../../core/pipeline/analysis.ts';
import { analysedAtomOf, atomMaskForFrame, type MapColourMode } from './layout/map-layout.ts';
import type { ChordOrdering } from './layout/chord-layout.ts';
import { clusterLayers } from '../compute/layers.ts';

export interface NamedSet { name: string; rows: Uint8Array; resultsVersion: number }

export interface ViewsSlice {
  /** Row mask (rows of the results, frame-major) of the map brush, or null. */
  brush: Uint8Array | null;
  namedSets: NamedSet[];
  /** Trajectory atom indices traced on the map. */
  traced: number[];
  mapColour: MapColourMode;
  /** Components shown on the map (0-based). */
  mapAxes: [number, number];
  showContours: boolean;
  /** Macro step re-run at a user cut, or null to use the run's own. */
  macroOverride: MacroStep | null;
  heatmapLevel: 'micro' | 'macro';
  hideDiagonal: boolean;
  chordLevel: 'micro' | 'macro';
  chordOrdering: ChordOrdering;
  /** Pairs with both directions below this fraction of the total count are not drawn. */
  chordThreshold: number;
  /** resultsVersion the state above belongs to. */
  viewsFor: number;
  setBrush(rows: Uint8Array | null): void;
  invertBrush(): void;
  keepBrush(name: string): void;
  useSet(name: string): void;
  removeSet(name: string): void;
  traceAtom(atom: number): void;
  untraceAtom(atom: number): void;
  clearTraces(): void;
  setMapColour(m: MapColourMode): void;
  setMapAxes(x: number, y: number): void;
  setShowContours(b: boolean): void;
  /** Re-merges macro-clusters at cut t (pipeline.md §9); null returns to the run's cut. */
  setMacroCut(t: number | null): void;
  setHeatmapLevel(l: 'micro' | 'macro'): void;
  setHideDiagonal(b: boolean): void;
  setChordLevel(l: 'micro' | 'macro'): void;
  setChordOrdering(o: ChordOrdering): void;
  setChordThreshold(f: number): void;
}

export type ViewsState = AppState & ViewsSlice;

/** The macro step the views show: the override at a dragged cut, else the run's. */
export function currentMacro(s: Pick<ViewsState, 'results' | 'macroOverride'>): MacroStep | null {
  return s.macroOverride ?? s.results?.analysis.macro ?? null;
}

/** Re-runs the macro step of results `r` at cut t. */
export function macroAtCut(r: Results, t: number): MacroStep {
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`macro cut must be a finite non-negative number, got ${t}`);
  const a = r.analysis;
  return macroStep(a.cluster.labels, a.transitions, r.nAtoms, { transitions: r.recipe.transitions, macro: { ...r.recipe.macro, cut: t, merge: true } });
}

const RESET = {
  brush: null, traced: [] as number[], macroOverride: null,
};

export const viewsSlice: StateCreator<AppState, [], [], ViewsSlice> = (set, getApp, api) => {
  const get = () => getApp() as ViewsState;
  const selectionFor = (s: ViewsState, brush: Uint8Array | null): Uint8Array | null => {
    if (!brush || !s.results || !s.trajectory) return null;
    return atomMaskForFrame(brush, s.results, s.frameIndex, s.trajectory.nAtoms);
  };
  // Keep the views in step with the rest of the store: new results reset them; a new frame
  // recomputes the per-atom mask of the brush; a 3D pick traces that atom.
  api.subscribe((state, prev) => {
    const s = state as ViewsState, p = prev as ViewsState;
    if (s.resultsVersion !== s.viewsFor) {
      set({ ...RESET, viewsFor: s.resultsVersion } as Partial<ViewsState>);
      if (p.brush) s.setSelection(null);
      return;
    }
    if (s.brush && (s.frameIndex !== p.frameIndex || s.trajectory !== p.trajectory)) {
      const mask = selectionFor(s, s.brush);
      if (mask) s.setSelection(mask);
    }
    if (s.picked !== p.picked && s.picked !== null && s.results && analysedAtomOf(s.results.atoms, s.picked) >= 0 && !s.traced.includes(s.picked)) {
      set({ traced: [...s.traced, s.picked] } as Partial<ViewsState>);
    }
  });
  return {
    brush: null,
    namedSets: [],
    traced: [],
    mapColour: 'micro',
    mapAxes: [0, 1],
    showContours: false,
    macroOverride: null,
    heatmapLevel: 'macro',
    hideDiagonal: false,
    chordLevel: 'macro',
    chordOrdering: 'matrix',
    chordThreshold: 0,
    viewsFor: 0,
    setBrush: (rows) => {
      const s = get();
      const n = s.results ? s.results.nAtoms * s.results.nFrames : 0;
      if (rows && rows.length !== n) throw new RangeError(`brush has ${rows.length} rows, results have ${n}`);
      set({ brush: rows } as Partial<ViewsState>);
      s.setSelection(selectionFor(get(), rows));
    },
    invertBrush: () => {
      const s = get();
      if (!s.results) return;
      const n = s.results.nAtoms * s.results.nFrames;
      const out = new Uint8Array(n);
      const b = s.brush;
      for (let i = 0; i < n; i++) out[i] = b && b[i] ? 0 : 1;
      s.setBrush(out);
    },
    keepBrush: (name) => {
      const s = get();
      if (!s.brush || !name.trim()) return;
      const sets = s.namedSets.filter((x) => x.name !== name.trim());
      set({ namedSets: [...sets, { name: name.trim(), rows: s.brush, resultsVersion: s.resultsVersion }] } as Partial<ViewsState>);
    },
    useSet: (name) => {
      const s = get();
      const ns = s.namedSets.find((x) => x.name === name);
      if (ns && ns.resultsVersion === s.resultsVersion) s.setBrush(ns.rows);
    },
    removeSet: (name) => set({ namedSets: get().namedSets.filter((x) => x.name !== name) } as Partial<ViewsState>),
    traceAtom: (atom) => { if (!get().traced.includes(atom)) set({ traced: [...get().traced, atom] } as Partial<ViewsState>); },
    untraceAtom: (atom) => set({ traced: get().traced.filter((x) => x !== atom) } as Partial<ViewsState>),
    clearTraces: () => set({ traced: [] } as Partial<ViewsState>),
    setMapColour: (m) => set({ mapColour: m } as Partial<ViewsState>),
    setMapAxes: (x, y) => set({ mapAxes: [x, y] } as Partial<ViewsState>),
    setShowContours: (b) => set({ showContours: b } as Partial<ViewsState>),
    setMacroCut: (t) => {
      const s = get(), r = s.results;
      const macroOverride = t === null || !r ? null : macroAtCut(r, t);
      set({ macroOverride } as Partial<ViewsState>);
      // the 3D view's macro-cluster colours follow the cut too (when the run installed that layer)
      if (r && s.trajectory && s.layers.macro) {
        const layer = clusterLayers({ ...r, analysis: { ...r.analysis, macro: macroOverride ?? r.analysis.macro } }, s.trajectory.nAtoms)[1];
        s.addLayer(layer);
      }
    },
    setHeatmapLevel: (l) => set({ heatmapLevel: l } as Partial<ViewsState>),
    setHideDiagonal: (b) => set({ hideDiagonal: b } as Partial<ViewsState>),
    setChordLevel: (l) => set({ chordLevel: l } as Partial<ViewsState>),
    setChordOrdering: (o) => set({ chordOrdering: o } as Partial<ViewsState>),
    setChordThreshold: (f) => set({ chordThreshold: Math.max(0, Number.isFinite(f) ? f : 0) } as Partial<ViewsState>),
  };
};
