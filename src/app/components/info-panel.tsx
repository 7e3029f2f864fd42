import { useApp } from '../store.ts';
import { cellParameters } from '../../core/geometry/cell.ts';
import { fmtInt, fmtNum } from '../format.ts';

/** File, format, counts, species and cell of the loaded trajectory. */
export function InfoPanel() {
  const t = useApp((s) => s.trajectory);
  const cell = useApp((s) => s.frame?.cell ?? null);
  if (!t) return <p className="muted">No trajectory loaded. Open the example, pick files or drop them on the page.</p>;
  const p = cell ? cellParameters(cell) : null;
  return (
    <dl className="facts" data-testid="trajectory-info">
      <dt>File</dt><dd className="file-name" title={t.name}>{t.name}</dd>
      <dt>Format</dt><dd>{t.format}</dd>
      <dt>Atoms</dt><dd data-testid="atom-count">{fmtInt(t.nAtoms)}</dd>
      <dt>Frames</dt><dd data-testid="frame-total">{fmtInt(t.nFrames)}</dd>
      {t.timestep !== undefined && <><dt>Time step</dt><dd>{fmtNum(t.timestep)} ps</dd></>}
      <dt>Species</dt>
      <dd>{t.speciesCounts.map(([s, n]) => <span key={s} className="chip">{s} {fmtInt(n)}</span>)}</dd>
      <dt>Cell</dt>
      <dd>{p
        ? <>{fmtNum(p[0], 2)} × {fmtNum(p[1], 2)} × {fmtNum(p[2], 2)} Å<br />
          <span className="muted">α {fmtNum(p[3], 1)}° β {fmtNum(p[4], 1)}° γ {fmtNum(p[5], 1)}°</span></>
        : 'none'}</dd>
      <dt>Periodic</dt><dd>{t.pbc.map((b) => (b ? 'T' : 'F')).join(' ')}</dd>
      {t.notes && t.notes.length > 0 && <><dt>Notes</dt><dd className="muted">{t.notes.join('; ')}</dd></>}
    </dl>
  );
}
