import { useState } from 'react';
import { useViews, viewsStore } from './use-views.ts';
import { currentMacro } from './views-slice.ts';
import { download, exportCanvasPng } from '../export/export-figure.ts';
import { labelledExtxyz, matrixCsv, recipeJson, rowsCsv } from '../export/data-export.ts';
import { resultsFiles } from '../../core/pipeline/export.ts';
import { openTrajectory } from '../../core/io/index.ts';
import { blobSource } from '../../core/io/source.ts';
import { macroNames, microNames } from './analysis-data.ts';

const NPY_FILES = ['scores.npy', 'labels.npy', 'macro_labels.npy', 'transition_counts.npy', 'macro_transition_counts.npy', 'lens.npy'];

/** Data exports of the current results and the 3D view as PNG. */
export function ExportPanel() {
  const r = useViews((s) => s.results);
  const t = useViews((s) => s.trajectory);
  const [busy, setBusy] = useState<string | null>(null);
  const [scale, setScale] = useState(2);
  const fail = (e: unknown, what: string) => viewsStore.getState().pushError(e, what);
  const png3d = () => {
    const c = document.querySelector<HTMLCanvasElement>('[data-panel="viewer"] canvas');
    if (!c) { fail(new Error('the 3D view is not shown'), '3D PNG'); return; }
    exportCanvasPng(c, '3d-view', scale).catch((e) => fail(e, '3D PNG'));
  };
  const xyz = async () => {
    const s = viewsStore.getState();
    if (!r || !t) return;
    setBusy('extended XYZ');
    const job = s.startJob('labelled extended XYZ');
    try {
      const traj = await openTrajectory(t.sources.map((f) => blobSource(f)));
      const parts: string[] = [];
      for await (const frame of labelledExtxyz(traj, r, { macro: currentMacro(s) ?? undefined, onProgress: (p) => s.updateJob(job, p) })) parts.push(frame);
      download('labelled.extxyz', new Blob(parts, { type: 'text/plain' }));
    } catch (e) { fail(e, 'labelled extended XYZ'); } finally { s.endJob(job); setBusy(null); }
  };
  if (!r) return <div className="export-panel"><div className="row"><span>3D view</span><button type="button" className="secondary" onClick={png3d} disabled={!t}>PNG</button></div></div>;
  const macro = currentMacro(viewsStore.getState())!;
  return (
    <div className="export-panel">
      <div className="row"><span>3D view</span><button type="button" className="secondary" onClick={png3d} data-export="3d-png">PNG</button>
        <select value={scale} onChange={(e) => setScale(Number(e.target.value))} aria-label="3D PNG scale">{[1, 2, 3].map((v) => <option key={v} value={v}>{v}x</option>)}</select></div>
      <div className="row"><button type="button" className="secondary" disabled={busy !== null || !t} onClick={xyz} data-export="extxyz">Labelled extended XYZ</button></div>
      <div className="row">
        <button type="button" className="secondary" onClick={() => download('rows.csv', rowsCsv(r, macro), 'text/csv')} data-export="rows-csv">rows CSV</button>
        <button type="button" className="secondary" onClick={() => download('transitions_micro.csv', matrixCsv(r.analysis.transitions.counts, r.analysis.transitions.k, microNames(r)), 'text/csv')}>micro matrix CSV</button>
        <button type="button" className="secondary" onClick={() => download('transitions_macro.csv', matrixCsv(macro.transitions.counts, macro.nMacro, macroNames(macro.nMacro)), 'text/csv')}>macro matrix CSV</button>
      </div>
      <div className="row">
        {NPY_FILES.map((name) => (
          <button type="button" className="secondary" key={name} onClick={() => {
            const f = resultsFiles(r).find((x) => x.name === name);
            if (f) download(f.name, f.bytes); else fail(new Error(`${name} is not part of these results`), name);
          }}>{name}</button>))}
      </div>
      <div className="row"><button type="button" className="secondary" onClick={() => download('recipe.json', recipeJson(r), 'application/json')} data-export="recipe">recipe JSON</button></div>
    </div>
  );
}
