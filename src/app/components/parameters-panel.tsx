import { useEffect, useRef, useState, type ReactNode } from 'react';
import { appStore, useApp } from '../store.ts';
import {
  DEFAULT_LODE_RECIPE, descriptorBlocks, parseRecipe, PRESETS, type AtomSelection, type ClusterRecipe, type DescriptorChoice, type LodeRecipe, type Recipe,
} from '../../core/pipeline/recipe.ts';
import { cancelPipeline, runPipeline } from '../compute/compute-actions.ts';
import { browserComputeServices } from '../compute/services.ts';
import {
  formatTypeElements, parseList, parseNumbers, parseTypeElements, presetOf, PRESET_KEYS, recipeError, recipeFileName, recipeJson, runFigures,
} from '../compute/recipe-form.ts';
import { stageList } from '../compute/stages.ts';
import { fmtInt, fmtNum } from '../format.ts';
import '../compute/compute.css';

const PRESET_LABELS: Record<string, string> = { cu211: 'Cu(211) slab, 600 K', aunp: 'Au309 nanoparticle, 200 K', ice: 'Ice/water, 268 K' };

/** A number input that keeps what the user types (NaN while it is not a number: validation says so). */
function NumField({ label, value, onChange, step = 'any', min, optional }: {
  label: string; value: number | undefined; onChange: (v: number) => void; step?: number | 'any'; min?: number;
  /** Empty is allowed (the recipe field is optional). */
  optional?: boolean;
}) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => {
    if (value === undefined) { if (text.trim() !== '') setText(''); return; }
    if (Number(text) !== value || text.trim() === '') setText(Number.isNaN(value) ? text : String(value));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const bad = text.trim() === '' ? !optional : !Number.isFinite(Number(text));
  return (
    <label className="field"><span>{label}</span>
      <input type="number" step={step} min={min} value={text} aria-label={label} aria-invalid={bad}
        onChange={(e) => { setText(e.target.value); onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value)); }} /></label>
  );
}

/** A text input for lists and maps; `parse` turns the text into the recipe value. */
function TextField({ label, value, onChange, wide }: { label: string; value: string; onChange: (text: string) => void; wide?: boolean }) {
  const [text, setText] = useState(value);
  useEffect(() => { setText(value); }, [value]);
  return (
    <label className="field"><span>{label}</span>
      <input type="text" className={wide ? 'wide' : undefined} value={text} aria-label={label}
        onChange={(e) => { setText(e.target.value); onChange(e.target.value); }} /></label>
  );
}

function Choice<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: Array<[T, string]>; onChange: (v: T) => void }) {
  return (
    <label className="field"><span>{label}</span>
      <select value={value} aria-label={label} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select></label>
  );
}

function Check({ label, value, onChange }: { label: string; value: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="field"><span>{label}</span>
      <input type="checkbox" checked={value} aria-label={label} onChange={(e) => onChange(e.target.checked)} /></label>
  );
}

function Section({ title, children, open }: { title: string; children: ReactNode; open?: boolean }) {
  return <details open={open}><summary>{title}</summary>{children}</details>;
}

function defaultSelection(kind: AtomSelection['kind']): AtomSelection {
  switch (kind) {
    case 'all': return { kind };
    case 'species': return { kind, species: ['O'] };
    case 'z-above': return { kind, z: 12, frame: 0, from: 'cell-bottom' };
    case 'top-by-z': return { kind, count: 900, frame: 0 };
    case 'indices': return { kind, indices: [0] };
  }
}

function defaultCluster(method: ClusterRecipe['method']): ClusterRecipe {
  switch (method) {
    case 'hdbscan': return { method, params: { minClusterSize: 80, clusterSelectionMethod: 'eom' }, soft: 'argmax-all', mode: 'exact' };
    case 'gmm': return { method, nComponents: 3, nInit: 1, maxIter: 100, tol: 1e-3, regCovar: 1e-6 };
    case 'kmeans': return { method, k: 4, nInit: 10, maxIter: 300, tol: 1e-4 };
    case 'lens-kmeans': return { method, k: 4, rule: 'rank' };
  }
}

function SelectionFields({ sel, set }: { sel: AtomSelection; set: (s: AtomSelection) => void }) {
  return (
    <>
      <Choice label="Atoms" value={sel.kind} onChange={(k) => set(defaultSelection(k))}
        options={[['all', 'all'], ['species', 'by species'], ['z-above', 'z above'], ['top-by-z', 'top N by z'], ['indices', 'indices']]} />
      {sel.kind === 'species' && <TextField label="Species" value={sel.species.join(', ')} onChange={(t) => set({ ...sel, species: parseList(t) })} />}
      {sel.kind === 'z-above' && <>
        <NumField label="z (Å)" value={sel.z} onChange={(z) => set({ ...sel, z })} />
        <Choice label="z from" value={sel.from} onChange={(from) => set({ ...sel, from })} options={[['cell-bottom', 'cell bottom'], ['origin', 'origin']]} />
        <NumField label="In frame" value={sel.frame} step={1} min={0} onChange={(frame) => set({ ...sel, frame })} />
      </>}
      {sel.kind === 'top-by-z' && <>
        <NumField label="Count" value={sel.count} step={1} min={1} onChange={(count) => set({ ...sel, count })} />
        <NumField label="In frame" value={sel.frame} step={1} min={0} onChange={(frame) => set({ ...sel, frame })} />
      </>}
      {sel.kind === 'indices' && <TextField label="Indices (0-based)" wide value={sel.indices.join(', ')} onChange={(t) => set({ ...sel, indices: parseNumbers(t) })} />}
    </>
  );
}

function ClusterFields({ c, set }: { c: ClusterRecipe; set: (c: ClusterRecipe) => void }) {
  return (
    <>
      <Choice label="Method" value={c.method} onChange={(m) => set(defaultCluster(m))}
        options={[['hdbscan', 'HDBSCAN*'], ['gmm', 'Gaussian mixture'], ['kmeans', 'k-means'], ['lens-kmeans', 'LENS thresholds']]} />
      {c.method === 'hdbscan' && <>
        <NumField label="Min cluster size" value={c.params.minClusterSize} step={1} min={2} onChange={(v) => set({ ...c, params: { ...c.params, minClusterSize: v } })} />
        <NumField label="Min samples" value={c.params.minSamples} step={1} min={1} optional
          onChange={(v) => set({ ...c, params: { ...c.params, minSamples: Number.isNaN(v) ? undefined : v } })} />
        <Choice label="Selection" value={c.params.clusterSelectionMethod ?? 'eom'} onChange={(v) => set({ ...c, params: { ...c.params, clusterSelectionMethod: v } })}
          options={[['eom', 'excess of mass'], ['leaf', 'leaf']]} />
        <NumField label="Selection epsilon" value={c.params.clusterSelectionEpsilon ?? 0} min={0}
          onChange={(v) => set({ ...c, params: { ...c.params, clusterSelectionEpsilon: v } })} />
        <Check label="Allow one cluster" value={c.params.allowSingleCluster ?? false}
          onChange={(v) => set({ ...c, params: { ...c.params, allowSingleCluster: v } })} />
        <Choice label="Soft labels" value={c.soft} onChange={(soft) => set({ ...c, soft })}
          options={[['argmax-all', 'argmax (all)'], ['noise-only', 'noise only'], ['hard', 'hard']]} />
        <Choice label="Fit on" value={c.mode} onChange={(mode) => set({ ...c, mode, subsample: mode === 'subsample' ? c.subsample ?? 20000 : undefined })}
          options={[['exact', 'all rows'], ['subsample', 'a subsample']]} />
        {c.mode === 'subsample' && <NumField label="Subsample rows" value={c.subsample} step={1} min={1} onChange={(v) => set({ ...c, subsample: v })} />}
      </>}
      {c.method === 'gmm' && <>
        <NumField label="Components" value={c.nComponents} step={1} min={1} onChange={(v) => set({ ...c, nComponents: v })} />
        <NumField label="Initialisations" value={c.nInit} step={1} min={1} onChange={(v) => set({ ...c, nInit: v })} />
        <NumField label="Max iterations" value={c.maxIter} step={1} min={1} onChange={(v) => set({ ...c, maxIter: v })} />
        <NumField label="Tolerance" value={c.tol} onChange={(v) => set({ ...c, tol: v })} />
        <NumField label="Covariance reg." value={c.regCovar} onChange={(v) => set({ ...c, regCovar: v })} />
      </>}
      {c.method === 'kmeans' && <>
        <NumField label="k" value={c.k} step={1} min={1} onChange={(v) => set({ ...c, k: v })} />
        <NumField label="Initialisations" value={c.nInit} step={1} min={1} onChange={(v) => set({ ...c, nInit: v })} />
        <NumField label="Max iterations" value={c.maxIter} step={1} min={1} onChange={(v) => set({ ...c, maxIter: v })} />
        <NumField label="Tolerance" value={c.tol} onChange={(v) => set({ ...c, tol: v })} />
      </>}
      {c.method === 'lens-kmeans' && <>
        <NumField label="k" value={c.k} step={1} min={1} onChange={(v) => set({ ...c, k: v })} />
        <Choice label="Rule" value={c.rule} onChange={(rule) => set({ ...c, rule })} options={[['rank', 'rank'], ['paper', 'paper'], ['inclusive', 'inclusive']]} />
        <TextField label="Thresholds" value={c.thresholds?.join(', ') ?? ''}
          onChange={(t) => { const v = parseNumbers(t); set({ ...c, thresholds: v.length ? v : undefined }); }} />
      </>}
    </>
  );
}

const DESCRIPTOR_LABELS: Array<[DescriptorChoice, string]> = [
  ['soap+lens', 'SOAP & LENS'], ['soap', 'SOAP'], ['lens', 'LENS'],
  ['soap+lens+lode', 'SOAP & LENS & LODE'], ['soap+lode', 'SOAP & LODE'], ['lens+lode', 'LENS & LODE'], ['lode', 'LODE'],
];

/** The descriptor with the LODE block switched on or off ('lode' alone switched off falls back to SOAP). */
function withLode(d: DescriptorChoice, on: boolean): DescriptorChoice {
  const b = descriptorBlocks(d);
  const parts = [b.soap ? 'soap' : '', b.lens ? 'lens' : '', on ? 'lode' : ''].filter((x) => x);
  return (parts.length ? parts.join('+') : 'soap') as DescriptorChoice;
}

/** The LODE block (issue 8): enable, hyperparameters (species: every element of the trajectory), weight. */
function LodeFields({ r, set }: { r: Recipe; set: (r: Recipe) => void }) {
  const on = descriptorBlocks(r.descriptor).lode;
  const l: LodeRecipe = r.lode ?? DEFAULT_LODE_RECIPE;
  const setL = (lode: LodeRecipe) => set({ ...r, lode });
  const setP = (p: Partial<LodeRecipe['params']>) => setL({ ...l, params: { ...l.params, ...p } });
  return (
    <>
      <Check label="Use LODE" value={on} onChange={(v) => set({ ...r, descriptor: withLode(r.descriptor, v), lode: v ? l : r.lode })} />
      {on && <>
        <NumField label="Exponent p" value={l.params.exponent} step={1} min={1} onChange={(exponent) => setP({ exponent })} />
        <NumField label="LODE smearing (Å)" value={l.params.smearing} min={0} onChange={(smearing) => setP({ smearing })} />
        <NumField label="LODE cutoff (Å)" value={l.params.cutoff} min={0} onChange={(cutoff) => setP({ cutoff })} />
        <NumField label="Max radial" value={l.params.maxRadial} step={1} min={1} onChange={(maxRadial) => setP({ maxRadial })} />
        <NumField label="Max angular" value={l.params.maxAngular} step={1} min={0} onChange={(maxAngular) => setP({ maxAngular })} />
        <Choice label="LODE radial basis" value={l.params.radialBasis} onChange={(radialBasis) => setP({ radialBasis })}
          options={[['gto', 'GTO'], ['monomial', 'monomial']]} />
        <Choice label="LODE output" value={l.params.output} onChange={(output) => setP({ output })}
          options={[['power-spectrum', 'power spectrum'], ['lambda0', 'λ = 0']]} />
        <NumField label="LODE weight" value={l.weight} min={0} onChange={(weight) => setL({ ...l, weight })} />
        <Check label="Normalise LODE rows" value={l.normalise ?? false} onChange={(normalise) => setL({ ...l, normalise })} />
      </>}
    </>
  );
}

/** Every recipe field, grouped as in pipeline.md (selection, descriptors, smoothing, PCA, clustering, transitions, macro). */
function RecipeForm({ r, set }: { r: Recipe; set: (r: Recipe) => void }) {
  return (
    <>
      <Section title="Atoms and descriptors" open>
        <TextField label="Name" wide value={r.name} onChange={(name) => set({ ...r, name })} />
        <TextField label="Type → element" value={formatTypeElements(r.typeElements)} onChange={(t) => set({ ...r, typeElements: parseTypeElements(t) })} />
        <SelectionFields sel={r.selection} set={(selection) => set({ ...r, selection })} />
        <Choice label="Descriptor" value={r.descriptor}
          onChange={(descriptor) => set({ ...r, descriptor, lode: descriptorBlocks(descriptor).lode ? r.lode ?? DEFAULT_LODE_RECIPE : r.lode })}
          options={DESCRIPTOR_LABELS} />
        <NumField label="SOAP weight" value={r.soapWeight ?? 1} min={0} onChange={(soapWeight) => set({ ...r, soapWeight })} />
        <NumField label="LENS weight" value={r.lensWeight} min={0} onChange={(lensWeight) => set({ ...r, lensWeight })} />
        <NumField label="Seed" value={r.seed} step={1} onChange={(seed) => set({ ...r, seed })} />
      </Section>
      <Section title="SOAP">
        <NumField label="r_cut (Å)" value={r.soap.rCut} min={0} onChange={(rCut) => set({ ...r, soap: { ...r.soap, rCut } })} />
        <NumField label="n_max" value={r.soap.nMax} step={1} min={1} onChange={(nMax) => set({ ...r, soap: { ...r.soap, nMax } })} />
        <NumField label="l_max" value={r.soap.lMax} step={1} min={0} onChange={(lMax) => set({ ...r, soap: { ...r.soap, lMax } })} />
        <NumField label="σ (Å)" value={r.soap.sigma ?? 1} min={0} onChange={(sigma) => set({ ...r, soap: { ...r.soap, sigma } })} />
        <TextField label="Species" value={r.soap.species.join(', ')} onChange={(t) => set({ ...r, soap: { ...r.soap, species: parseList(t) } })} />
        <Check label="Periodic" value={r.soap.periodic ?? true} onChange={(periodic) => set({ ...r, soap: { ...r.soap, periodic } })} />
        <Choice label="Radial basis" value={r.soap.rbf ?? 'gto'} onChange={(rbf) => set({ ...r, soap: { ...r.soap, rbf } })}
          options={[['gto', 'GTO'], ['polynomial', 'polynomial']]} />
        <Choice label="Compression" value={r.soap.compression ?? 'off'} onChange={(compression) => set({ ...r, soap: { ...r.soap, compression } })}
          options={[['off', 'off'], ['crossover', 'crossover']]} />
      </Section>
      <Section title="LENS">
        <NumField label="Cutoff (Å)" value={r.lens.cutoff} min={0} onChange={(cutoff) => set({ ...r, lens: { ...r.lens, cutoff } })} />
        <Choice label="Convention" value={r.lens.convention} onChange={(convention) => set({ ...r, lens: { ...r.lens, convention } })}
          options={[['soapify', 'soapify'], ['dynsight', 'dynsight']]} />
        <Choice label="Neighbours among" value={r.lens.universe} onChange={(universe) => set({ ...r, lens: { ...r.lens, universe } })}
          options={[['selection', 'analysed atoms'], ['all', 'all atoms']]} />
      </Section>
      <Section title="LODE" open={descriptorBlocks(r.descriptor).lode}>
        <LodeFields r={r} set={set} />
      </Section>
      <Section title="Smoothing">
        <NumField label="Window (frames)" value={r.smoothing.window} step={1} min={1} onChange={(window) => set({ ...r, smoothing: { ...r.smoothing, window } })} />
        <NumField label="Polynomial order" value={r.smoothing.polyorder} step={1} min={0} onChange={(polyorder) => set({ ...r, smoothing: { ...r.smoothing, polyorder } })} />
        <Choice label="Edges" value={r.smoothing.mode} onChange={(mode) => set({ ...r, smoothing: { ...r.smoothing, mode } })}
          options={[['interp', 'interp'], ['nearest', 'nearest'], ['mirror', 'mirror'], ['constant', 'constant'], ['wrap', 'wrap']]} />
        <Check label="Clip to [0, 1]" value={r.smoothing.clip} onChange={(clip) => set({ ...r, smoothing: { ...r.smoothing, clip } })} />
        <Check label="Trim edges" value={r.smoothing.trim} onChange={(trim) => set({ ...r, smoothing: { ...r.smoothing, trim } })} />
      </Section>
      <Section title="PCA">
        <Choice label="Keep" value={'k' in r.pca ? 'k' : 'variance'} onChange={(m) => set({ ...r, pca: m === 'k' ? { k: 3 } : { varianceRatio: 0.995 } })}
          options={[['variance', 'variance target'], ['k', 'fixed count']]} />
        {'k' in r.pca
          ? <NumField label="Components" value={r.pca.k} step={1} min={1} onChange={(k) => set({ ...r, pca: { k } })} />
          : <NumField label="Variance ratio" value={r.pca.varianceRatio} min={0} onChange={(varianceRatio) => set({ ...r, pca: { varianceRatio } })} />}
      </Section>
      <Section title="Clustering">
        <ClusterFields c={r.cluster} set={(cluster) => set({ ...r, cluster })} />
      </Section>
      <Section title="Transitions and macro-clusters">
        <NumField label="Lag (frames)" value={r.transitions.window} step={1} min={1} onChange={(window) => set({ ...r, transitions: { ...r.transitions, window } })} />
        <NumField label="Stride" value={r.transitions.stride} step={1} min={1} onChange={(stride) => set({ ...r, transitions: { ...r.transitions, stride } })} />
        <Choice label="Linkage" value={r.macro.linkage} onChange={(linkage) => set({ ...r, macro: { ...r.macro, linkage } })}
          options={[['average', 'average'], ['single', 'single'], ['complete', 'complete'], ['ward', 'ward']]} />
        <NumField label="Cut height" value={r.macro.cut} onChange={(cut) => set({ ...r, macro: { ...r.macro, cut } })} />
        <Check label="Merge micro-clusters" value={r.macro.merge} onChange={(merge) => set({ ...r, macro: { ...r.macro, merge } })} />
      </Section>
    </>
  );
}

/** Stage list of the running (or last) run: done with its time, current with a bar, pending greyed. */
function StageList() {
  const run = useApp((s) => s.run);
  if (!run.running && run.done.length === 0) return null;
  const done = new Map(run.done.map((d) => [d.stage, d.ms]));
  const frac = run.progress && run.progress.total > 0 ? Math.min(1, run.progress.done / run.progress.total) : null;
  return (
    <ul className="stages" data-testid="run-stages">
      {stageList([...run.done.map((d) => d.stage), ...(run.stage ? [run.stage] : [])]).map(([id, label]) => {
        const ms = done.get(id);
        const current = run.running && run.stage === id;
        const cls = ms !== undefined ? 'done' : current ? 'current' : 'pending';
        return (
          <li key={id} className={cls} data-stage={id}>
            <span>{ms !== undefined ? '✓' : current ? '▸' : '·'} {label}</span>
            {ms !== undefined && <span>{fmtNum(ms / 1000, 3)} s</span>}
            {current && <progress max={1} value={frac ?? undefined} aria-label={`${label} progress`} />}
          </li>
        );
      })}
    </ul>
  );
}

function Figures() {
  const results = useApp((s) => s.results);
  if (!results) return null;
  const f = runFigures(results);
  return (
    <dl className="figures" data-testid="run-figures">
      <dt>Rows</dt><dd>{fmtInt(f.frames)} frames × {fmtInt(f.atoms)} atoms</dd>
      {f.components !== null && <><dt>PCA components</dt><dd data-testid="fig-components">{f.components}</dd>
        <dt>of dimension</dt><dd>{f.dim}</dd>
        <dt>Variance explained</dt><dd data-testid="fig-variance">{fmtNum(100 * (f.varianceExplained ?? 0), 5)} %</dd></>}
      <dt>Clustering</dt><dd>{f.description}</dd>
      <dt>Clusters found</dt><dd data-testid="fig-clusters">{f.clusters}</dd>
      {f.noiseRows > 0 && <><dt>Noise rows</dt><dd>{fmtInt(f.noiseRows)}</dd></>}
      <dt>Macro-clusters</dt><dd data-testid="fig-macro">{f.macroClusters}</dd>
      <dt>Time</dt><dd data-testid="fig-time">{fmtNum(f.totalMs / 1000, 3)} s</dd>
    </dl>
  );
}

/** Download `text` as a file (object URL, revoked after the click). */
function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The analysis recipe (the paper's presets, every field editable with validation), Run / Cancel
 * with per-stage progress, the figures of the last run, and Save / Load of the recipe as JSON.
 */
export function ParametersPanel() {
  const t = useApp((s) => s.trajectory);
  const recipe = useApp((s) => s.recipe);
  const run = useApp((s) => s.run);
  const hasResults = useApp((s) => s.results !== null);
  const setRecipe = useApp((s) => s.setRecipe);
  const [maxFrames, setMaxFrames] = useState('');
  // remount the form when the recipe is replaced wholesale (preset, load), so inputs show it
  const [formKey, setFormKey] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const invalid = recipeError(recipe);
  const preset = presetOf(recipe);
  const mf = maxFrames.trim() === '' ? undefined : Number(maxFrames);
  const mfBad = mf !== undefined && !(Number.isInteger(mf) && mf >= 2);
  const replace = (r: Recipe) => { setRecipe(r); setFormKey((k) => k + 1); };
  return (
    <div className="params-panel" data-testid="parameters-panel">
      <label className="field"><span>Preset</span>
        <select className="preset" value={preset ?? ''} aria-label="Preset" onChange={(e) => { if (e.target.value) replace(PRESETS[e.target.value as keyof typeof PRESETS]); }}>
          {!preset && <option value="">(edited)</option>}
          {PRESET_KEYS.map((k) => <option key={k} value={k}>{PRESET_LABELS[k] ?? k}</option>)}
        </select></label>
      <div key={formKey}><RecipeForm r={recipe} set={setRecipe} /></div>
      <label className="field"><span title="Analyse only the first N frames (empty: all)">First N frames</span>
        <input type="number" step={1} min={2} value={maxFrames} placeholder="all" aria-label="Frames to analyse" aria-invalid={mfBad}
          onChange={(e) => setMaxFrames(e.target.value)} /></label>
      {invalid && <p className="invalid" role="alert" data-testid="recipe-invalid">{invalid}</p>}
      {mfBad && <p className="invalid">Frames: an integer of at least 2, or empty for all.</p>}
      <div className="buttons">
        {run.running
          ? <button type="button" className="secondary" onClick={() => cancelPipeline(appStore)}>Cancel run</button>
          : <button type="button" disabled={!t || !!invalid || mfBad}
            onClick={() => void runPipeline(appStore, browserComputeServices, { maxFrames: mf })}>Run</button>}
        <button type="button" className="secondary" onClick={() => download(recipeJson(recipe), recipeFileName(recipe))}>Save recipe</button>
        <button type="button" className="secondary" onClick={() => fileInput.current?.click()}>Load recipe…</button>
        <input ref={fileInput} type="file" accept=".json,application/json" hidden data-testid="recipe-input"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            try {
              replace(parseRecipe(await f.text(), f.name));
            } catch (err) {
              appStore.getState().pushError(err, `Could not load the recipe ${f.name}`);
            }
          }} />
      </div>
      {!t && <p className="muted">Load a trajectory to run the analysis.</p>}
      {run.error && !run.running && <p className="invalid" data-testid="run-error">Last run failed: {run.error}</p>}
      {run.cancelled && !run.running && (
        <p className="muted" data-testid="run-cancelled">Run cancelled{hasResults ? '; the figures below are from the previous run.' : '.'}</p>
      )}
      <StageList />
      <Figures />
    </div>
  );
}
