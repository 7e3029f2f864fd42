import { useEffect, useState } from 'react';
import { appStore, useApp, type Job } from '../store.ts';
import type { LensConvention } from '../../core/descriptors/lens/lens.ts';
import { computeLens, computeSoap } from '../compute/compute-actions.ts';
import { browserComputeServices } from '../compute/services.ts';
import { fmtNum } from '../format.ts';
import '../compute/compute.css';

/** The progress bar and Cancel of the running job whose label starts with `prefix`, if any. */
function JobLine({ job }: { job: Job | undefined }) {
  if (!job) return null;
  const p = job.progress;
  const frac = p && p.total > 0 ? Math.min(1, p.done / p.total) : null;
  return (
    <div className="progress-line" data-testid="compute-progress">
      <progress max={1} value={frac ?? undefined} aria-label={`${job.label} progress`} />
      <span>{p ? `${fmtNum(p.done, 6)} / ${fmtNum(p.total, 6)} frames` : 'starting…'}</span>
      {job.cancel && <button type="button" className="secondary small" onClick={job.cancel}>Cancel</button>}
    </div>
  );
}

/**
 * Compute LENS / SOAP for the loaded trajectory on the worker pool, each with progress and Cancel;
 * the results become colour layers (LENS; timeSOAP and distance to the frame-mean SOAP).
 */
export function ComputePanel() {
  const t = useApp((s) => s.trajectory);
  const recipe = useApp((s) => s.recipe);
  const jobs = useApp((s) => s.jobs);
  const layers = useApp((s) => s.layers);
  const [cutoff, setCutoff] = useState(String(recipe.lens.cutoff));
  const [convention, setConvention] = useState<LensConvention>(recipe.lens.convention);
  // follow the recipe's LENS cutoff when a preset or a loaded recipe changes it
  useEffect(() => { setCutoff(String(recipe.lens.cutoff)); setConvention(recipe.lens.convention); }, [recipe.lens.cutoff, recipe.lens.convention]);
  if (!t) return <p className="muted">Load a trajectory to compute descriptors.</p>;
  const lensJob = jobs.find((j) => j.label.startsWith('LENS'));
  const soapJob = jobs.find((j) => j.label.startsWith('SOAP'));
  const c = Number(cutoff);
  const cutoffOk = cutoff.trim() !== '' && Number.isFinite(c) && c > 0;
  const noFiles = t.sources.length === 0;
  const s = recipe.soap;
  return (
    <div className="compute-panel" data-testid="compute-panel">
      <section className="compute-block">
        <h3>LENS</h3>
        <p className="muted">Local environment change of every atom between consecutive frames (0: same neighbours, 1: all changed).</p>
        <label className="field"><span>Cutoff (Å)</span>
          <input type="number" min={0} step={0.1} value={cutoff} aria-invalid={!cutoffOk} aria-label="LENS cutoff"
            onChange={(e) => setCutoff(e.target.value)} /></label>
        <label className="field"><span>Convention</span>
          <select value={convention} aria-label="LENS convention" onChange={(e) => setConvention(e.target.value as LensConvention)}>
            <option value="soapify">soapify</option>
            <option value="dynsight">dynsight</option>
          </select></label>
        <div className="buttons">
          <button type="button" disabled={!cutoffOk || !!lensJob || noFiles || t.nFrames < 2}
            onClick={() => void computeLens(appStore, browserComputeServices, { cutoff: c, convention })}>Compute LENS</button>
          {layers.lens && <span className="muted">done: colour “LENS”</span>}
        </div>
        {t.nFrames < 2 && <p className="muted">LENS needs at least two frames.</p>}
        <JobLine job={lensJob} />
      </section>
      <section className="compute-block">
        <h3>SOAP</h3>
        <p className="muted">
          SOAP of every atom in every frame (r_cut {s.rCut} Å, n_max {s.nMax}, l_max {s.lMax}, σ {s.sigma ?? 1} Å from the parameters;
          filled, normalised), streamed: the spectra are not kept. Shown as two colours: <b>timeSOAP</b>, how far an atom's
          spectrum moved since the previous frame, and <b>SOAP distance to frame mean</b>, how unusual its environment is in its frame.
        </p>
        <div className="buttons">
          <button type="button" disabled={!!soapJob || noFiles}
            onClick={() => void computeSoap(appStore, browserComputeServices)}>Compute SOAP</button>
          {layers.timesoap && <span className="muted">done: colour “timeSOAP”</span>}
        </div>
        <JobLine job={soapJob} />
      </section>
    </div>
  );
}
