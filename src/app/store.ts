import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { FrameData, TrajectoryHeader } from '../core/trajectory.ts';
import type { Progress } from '../core/progress.ts';
import { describeError, type AppError } from './errors-view-model.ts';
import { finiteRange } from './colours.ts';
import type { Results, StageTiming } from '../core/pipeline/results.ts';
import { CU211_PRESET, type Recipe } from '../core/pipeline/recipe.ts';
import type { LensResult } from '../core/descriptors/lens/compute-lens.ts';
import { viewsSlice } from './views/views-slice.ts';

/**
 * The explorer's one store (zustand slices pattern). Views read slices with `useApp(selector)` and
 * act through the actions here; they never call each other. Containers (typed arrays, frames,
 * maps) are replaced to notify, never mutated in place. The 3D view reads `appStore.getState()` and
 * subscribes transiently, so playing a trajectory never re-renders React per animation frame.
 */

// ---------------------------------------------------------------------------------------------
// trajectory

/** A trajectory loaded in the parse worker: its header (no readFrame) plus where it came from. */
export interface LoadedTrajectory extends TrajectoryHeader {
  /** Handle of the trajectory inside the parse worker (readFrame requests name it). */
  handle: number;
  /** The files it was read from (kept so compute workers can re-open them). */
  sources: File[];
  /** Species present, in first-seen order, with their atom counts. */
  speciesCounts: Array<[string, number]>;
}

export interface TrajectorySlice {
  trajectory: LoadedTrajectory | null;
  /** Increments on every successful load, so views can reset per-trajectory state. */
  trajectoryVersion: number;
  /**
   * Installs a freshly opened trajectory: frame 0 (with its decoded data when given, in the same
   * update), playback stopped, selection cleared.
   */
  setTrajectory(t: LoadedTrajectory, frame0?: FrameData): void;
}

// ---------------------------------------------------------------------------------------------
// playback / frame

export interface PlaybackSlice {
  /** The frame the user asked for (slider, keys, playback). */
  frameIndex: number;
  /** The decoded frame on screen, and its index (-1 before the first one arrives). */
  frame: FrameData | null;
  frameShown: number;
  playing: boolean;
  /** Playback speed in frames per second. */
  fps: number;
  setFrameIndex(i: number): void;
  stepFrame(delta: number): void;
  setPlaying(p: boolean): void;
  togglePlaying(): void;
  setFps(fps: number): void;
  /** A decoded frame arrived from the worker; ignored if it belongs to another trajectory. */
  receiveFrame(handle: number, index: number, frame: FrameData): void;
}

// ---------------------------------------------------------------------------------------------
// selection

export interface SelectionSlice {
  /** Atom index (0-based, trajectory order) under the pointer, or null. */
  hovered: number | null;
  /** Atom index last clicked, or null. */
  picked: number | null;
  /** Per-atom mask of the current selection (brushing etc.); replaced, never mutated. */
  selected: Uint8Array | null;
  setHovered(i: number | null): void;
  setPicked(i: number | null): void;
  setSelection(mask: Uint8Array | null): void;
}

// ---------------------------------------------------------------------------------------------
// colouring

/**
 * A per-atom scalar or label layer computed elsewhere (LENS, cluster labels...), frame-major:
 * values[frame * nAtoms + atom]. `frames` lists the trajectory frames it covers (row f of values
 * is trajectory frame frames[f]); frames outside it show the "missing" colour.
 */
export interface AtomLayer {
  id: string;
  label: string;
  kind: 'continuous' | 'categorical';
  nAtoms: number;
  frames: Int32Array;
  values: Float32Array;
  /** Colour scale range for continuous layers (defaults to min/max of values). */
  range?: [number, number];
  /** Names of categories 0..k-1 for categorical layers. */
  categories?: string[];
}

export type ColourBy =
  | { kind: 'species' }
  | { kind: 'type' }
  | { kind: 'property'; name: string }
  | { kind: 'layer'; id: string };

export interface ColouringSlice {
  colourBy: ColourBy;
  layers: Record<string, AtomLayer>;
  /**
   * Range of the continuous colour scale for `property` colouring: the union of the ranges seen
   * in the frames shown since the choice was made, so colours stay comparable while playing.
   */
  colourRange: [number, number] | null;
  /** Multiplier on element radii. */
  atomScale: number;
  setColourBy(c: ColourBy): void;
  addLayer(layer: AtomLayer): void;
  removeLayer(id: string): void;
  setAtomScale(s: number): void;
}

// ---------------------------------------------------------------------------------------------
// jobs / progress

export interface Job {
  id: number;
  label: string;
  progress: Progress | null;
  /** Asks the job to stop; absent for jobs that cannot be cancelled. */
  cancel?: () => void;
}

export interface JobsSlice {
  jobs: Job[];
  startJob(label: string, cancel?: () => void): number;
  updateJob(id: number, p: Progress): void;
  endJob(id: number): void;
}

// ---------------------------------------------------------------------------------------------
// errors

export interface ErrorsSlice {
  errors: AppError[];
  /** Records any thrown value or FormatErrorData for display; returns its id. */
  pushError(e: unknown, context?: string): number;
  dismissError(id: number): void;
}

// ---------------------------------------------------------------------------------------------
// layout (panels added by later issues register in panels.tsx)

export interface LayoutSlice {
  /** Id of the panel shown maximised, or null for the tiled layout. */
  maximised: string | null;
  setMaximised(id: string | null): void;
}

// ---------------------------------------------------------------------------------------------
// analysis (compute panel, parameters panel; read by the analysis views)

/** LENS of the loaded trajectory computed by the compute panel (lensForFiles), for plots. */
export interface LensSeries {
  /** LENS per centre and column (LensResult.lens is nCentres x columns, row-major). */
  result: LensResult;
  /** Trajectory atom of each centre (row of result), or null when every atom is a centre. */
  centres: Int32Array | null;
  cutoff: number;
}

/** State of the pipeline run started from the parameters panel. */
export interface RunState {
  /** Stage running now ("soap+lens", "pca", "cluster"...), or null. */
  stage: string | null;
  /** Progress of the current stage, or null when it gives none. */
  progress: Progress | null;
  running: boolean;
  /** Message of the last failed run (cleared when a run starts). */
  error: string | null;
  /** Stages finished in this run, in order, with their wall time. */
  done: StageTiming[];
  /** The last run was cancelled (results, if any, are from an earlier run). */
  cancelled: boolean;
}

export interface AnalysisSlice {
  /** Results of the last successful pipeline run on the loaded trajectory, or null. */
  results: Results | null;
  /** Increments whenever `results` changes (set or cleared). */
  resultsVersion: number;
  /** The recipe the parameters panel edits and runs (kept across trajectories). */
  recipe: Recipe;
  run: RunState;
  /** LENS computed by "Compute LENS" (whole trajectory), or null. */
  lensSeries: LensSeries | null;
  setRecipe(r: Recipe): void;
  setResults(r: Results): void;
  clearResults(): void;
  /** Merges a patch into `run` (the runner's stage / progress / end reports). */
  setRun(patch: Partial<RunState>): void;
  setLensSeries(l: LensSeries | null): void;
}

export const IDLE_RUN: RunState = { stage: null, progress: null, running: false, error: null, done: [], cancelled: false };

export type AppState = TrajectorySlice & PlaybackSlice & SelectionSlice & ColouringSlice & JobsSlice & ErrorsSlice & LayoutSlice & AnalysisSlice;
type Slice<T> = StateCreator<AppState, [], [], T>;

export const MIN_FPS = 1;
export const MAX_FPS = 60;
export const DEFAULT_FPS = 10;

function speciesCountsOf(species: readonly string[]): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const s of species) m.set(s, (m.get(s) ?? 0) + 1);
  return [...m.entries()];
}

/** Builds a LoadedTrajectory from a header sent by the worker. */
export function loadedTrajectory(header: TrajectoryHeader, handle: number, sources: File[]): LoadedTrajectory {
  return { ...header, handle, sources, speciesCounts: speciesCountsOf(header.species) };
}

/**
 * The property colour range after showing `frame`: the union of `r` and the frame's finite
 * min/max of the chosen property (same array back when nothing widens, so nothing re-renders).
 */
export function widenedRange(r: [number, number] | null, c: ColourBy, frame: FrameData | null): [number, number] | null {
  if (c.kind !== 'property') return null;
  const v = frame?.properties?.[c.name];
  const fr = v ? finiteRange(v) : null;
  if (!fr) return r;
  if (r && r[0] <= fr[0] && r[1] >= fr[1]) return r;
  return r ? [Math.min(r[0], fr[0]), Math.max(r[1], fr[1])] : fr;
}

function clampFrame(i: number, n: number): number {
  if (n <= 0 || !Number.isFinite(i)) return 0;
  return Math.min(n - 1, Math.max(0, Math.round(i)));
}

const trajectorySlice: Slice<TrajectorySlice> = (set, get) => ({
  trajectory: null,
  trajectoryVersion: 0,
  setTrajectory: (t, frame0) => {
    const prevColour = get().colourBy;
    const keepColour = prevColour.kind !== 'species' && colourStillValid(prevColour, t);
    const colourBy = keepColour ? prevColour : defaultColouring(t);
    const frame = frame0 && frame0.positions.length === 3 * t.nAtoms ? frame0 : null;
    set({
      trajectory: t,
      trajectoryVersion: get().trajectoryVersion + 1,
      frameIndex: 0, frame, frameShown: frame ? 0 : -1, playing: false,
      hovered: null, picked: null, selected: null,
      colourBy,
      colourRange: widenedRange(null, colourBy, frame),
      // layers describe one trajectory's atoms: a new trajectory invalidates them
      layers: {},
      // so do analysis results and computed LENS (the recipe stays)
      ...(get().results ? { results: null, resultsVersion: get().resultsVersion + 1 } : {}),
      lensSeries: null,
    });
  },
});

/** Species, unless no atom has a known element and the file gives types (e.g. a bare LAMMPS dump). */
export function defaultColouring(t: LoadedTrajectory): ColourBy {
  const unknown = t.species.every((s) => s === 'X');
  return unknown && t.types ? { kind: 'type' } : { kind: 'species' };
}

function colourStillValid(c: ColourBy, t: LoadedTrajectory): boolean {
  switch (c.kind) {
    case 'species': return true;
    case 'type': return t.types !== undefined;
    case 'property': return t.propertyNames.includes(c.name);
    case 'layer': return false;
  }
}

const playbackSlice: Slice<PlaybackSlice> = (set, get) => ({
  frameIndex: 0,
  frame: null,
  frameShown: -1,
  playing: false,
  fps: DEFAULT_FPS,
  setFrameIndex: (i) => {
    const n = get().trajectory?.nFrames ?? 0;
    set({ frameIndex: clampFrame(i, n) });
  },
  stepFrame: (d) => {
    const n = get().trajectory?.nFrames ?? 0;
    set({ frameIndex: clampFrame(get().frameIndex + d, n), playing: false });
  },
  setPlaying: (p) => set({ playing: p && (get().trajectory?.nFrames ?? 0) > 1 }),
  togglePlaying: () => get().setPlaying(!get().playing),
  setFps: (fps) => set({ fps: Math.min(MAX_FPS, Math.max(MIN_FPS, Number.isFinite(fps) ? fps : DEFAULT_FPS)) }),
  receiveFrame: (handle, index, frame) => {
    const t = get().trajectory;
    if (!t || t.handle !== handle) return;
    if (frame.positions.length !== 3 * t.nAtoms) return;
    set({ frame, frameShown: index, colourRange: widenedRange(get().colourRange, get().colourBy, frame) });
  },
});

const selectionSlice: Slice<SelectionSlice> = (set, get) => ({
  hovered: null,
  picked: null,
  selected: null,
  setHovered: (i) => { if (get().hovered !== i) set({ hovered: i }); },
  setPicked: (i) => set({ picked: i }),
  setSelection: (mask) => {
    const n = get().trajectory?.nAtoms;
    if (mask && mask.length !== n) throw new RangeError(`selection mask has ${mask.length} entries, trajectory has ${n} atoms`);
    set({ selected: mask });
  },
});

const colouringSlice: Slice<ColouringSlice> = (set, get) => ({
  colourBy: { kind: 'species' },
  layers: {},
  colourRange: null,
  atomScale: 1,
  setColourBy: (c) => set({ colourBy: c, colourRange: widenedRange(null, c, get().frame) }),
  addLayer: (layer) => {
    const t = get().trajectory;
    if (!t || layer.nAtoms !== t.nAtoms) {
      throw new RangeError(`layer ${layer.id} has ${layer.nAtoms} atoms, trajectory has ${t?.nAtoms ?? 0}`);
    }
    if (layer.values.length !== layer.frames.length * layer.nAtoms) {
      throw new RangeError(`layer ${layer.id}: ${layer.values.length} values for ${layer.frames.length} frames x ${layer.nAtoms} atoms`);
    }
    const withRange = layer.kind === 'continuous' && !layer.range
      ? { ...layer, range: finiteRange(layer.values) ?? [0, 1] } as AtomLayer : layer;
    set({ layers: { ...get().layers, [layer.id]: withRange } });
  },
  removeLayer: (id) => {
    const { [id]: _gone, ...rest } = get().layers;
    const c = get().colourBy;
    set({ layers: rest, colourBy: c.kind === 'layer' && c.id === id ? { kind: 'species' } : c });
  },
  setAtomScale: (s) => set({ atomScale: Math.min(3, Math.max(0.1, s)) }),
});

const jobsSlice: Slice<JobsSlice> = (set, get) => {
  let next = 1;
  return {
    jobs: [],
    startJob: (label, cancel) => {
      const id = next++;
      set({ jobs: [...get().jobs, { id, label, progress: null, cancel }] });
      return id;
    },
    updateJob: (id, p) => {
      if (!get().jobs.some((j) => j.id === id)) return;
      set({ jobs: get().jobs.map((j) => (j.id === id ? { ...j, progress: p } : j)) });
    },
    endJob: (id) => set({ jobs: get().jobs.filter((j) => j.id !== id) }),
  };
};

const errorsSlice: Slice<ErrorsSlice> = (set, get) => {
  let next = 1;
  return {
    errors: [],
    pushError: (e, context) => {
      const id = next++;
      set({ errors: [...get().errors, describeError(id, e, context)] });
      return id;
    },
    dismissError: (id) => set({ errors: get().errors.filter((x) => x.id !== id) }),
  };
};

const layoutSlice: Slice<LayoutSlice> = (set) => ({
  maximised: null,
  setMaximised: (id) => set({ maximised: id }),
});

const analysisSlice: Slice<AnalysisSlice> = (set, get) => ({
  results: null,
  resultsVersion: 0,
  recipe: CU211_PRESET,
  run: IDLE_RUN,
  lensSeries: null,
  setRecipe: (r) => set({ recipe: r }),
  setResults: (r) => set({ results: r, resultsVersion: get().resultsVersion + 1 }),
  clearResults: () => { if (get().results) set({ results: null, resultsVersion: get().resultsVersion + 1 }); },
  setRun: (patch) => set({ run: { ...get().run, ...patch } }),
  setLensSeries: (l) => set({ lensSeries: l }),
});

/** A fresh store (tests make their own; the page uses `appStore`). */
export function createAppStore(): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...trajectorySlice(...a),
    ...playbackSlice(...a),
    ...selectionSlice(...a),
    ...colouringSlice(...a),
    ...jobsSlice(...a),
    ...errorsSlice(...a),
    ...layoutSlice(...a),
    ...analysisSlice(...a),
    ...viewsSlice(...a), // the analysis views' slice (src/app/views/views-slice.ts)
  }));
}

export const appStore = createAppStore();

/** React hook over the page's store: `const n = useApp((s) => s.trajectory?.nAtoms)`. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
