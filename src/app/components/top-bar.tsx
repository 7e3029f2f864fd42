import { useRef } from 'react';
import { useApp } from '../store.ts';
import { EXAMPLES, exampleUrl } from '../examples.ts';
import { trajectoryController } from '../services.ts';
import { fmtBytes } from '../format.ts';

function JobProgress() {
  const jobs = useApp((s) => s.jobs);
  if (jobs.length === 0) return null;
  return (
    <div className="jobs" aria-live="polite">
      {jobs.map((j) => {
        const frac = j.progress && j.progress.total > 0 ? Math.min(1, j.progress.done / j.progress.total) : null;
        return (
          <div className="job" key={j.id} data-testid="job">
            <span className="job-label" title={j.label}>{j.label}</span>
            <progress max={1} value={frac ?? undefined} aria-label={`${j.label} progress`} />
            <span className="job-detail">
              {j.progress ? `${j.progress.stage} ${frac !== null ? `${Math.round(100 * frac)}%` : ''}` : ''}
              {j.progress && j.progress.stage.startsWith('index') ? ` of ${fmtBytes(j.progress.total)}` : ''}
            </span>
            {j.cancel && <button type="button" className="secondary" onClick={j.cancel}>Cancel</button>}
          </div>
        );
      })}
    </div>
  );
}

/** Title, Open example, file picker and the progress of running jobs. */
export function TopBar() {
  const input = useRef<HTMLInputElement>(null);
  const busy = useApp((s) => s.jobs.length > 0);
  const ex = EXAMPLES[0];
  return (
    <header className="top-bar">
      <h1>soaplens</h1>
      <button type="button" onClick={() => void trajectoryController().openUrl(exampleUrl(ex), ex.file)}
        disabled={busy} title={ex.label}>Open example</button>
      <button type="button" className="secondary" onClick={() => input.current?.click()} disabled={busy}>Open files…</button>
      <input ref={input} type="file" multiple hidden data-testid="file-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) void trajectoryController().openFiles(files);
        }} />
      <span className="hint">or drop trajectory files anywhere on the page</span>
      <JobProgress />
    </header>
  );
}
