import { Fragment } from 'react';
import { useApp } from '../store.ts';
import { fmtNum } from '../format.ts';

/** The hovered atom (or else the clicked one): id, species, position in the frame shown. */
export function AtomPanel() {
  const t = useApp((s) => s.trajectory);
  const hovered = useApp((s) => s.hovered);
  const picked = useApp((s) => s.picked);
  const frame = useApp((s) => s.frame);
  const frameShown = useApp((s) => s.frameShown);
  const setPicked = useApp((s) => s.setPicked);
  const i = hovered ?? picked;
  if (!t || i === null || i >= t.nAtoms) {
    return <p className="muted">Hover over an atom to inspect it; click to keep it.</p>;
  }
  const p = frame?.positions;
  return (
    <div data-testid="atom-info">
      <dl className="facts">
        <dt>Atom</dt><dd>id {t.ids[i]} <span className="muted">(index {i}){hovered === null ? ', clicked' : ''}</span></dd>
        <dt>Species</dt><dd>{t.species[i]}{t.types && t.types[i] !== t.species[i] ? ` (type ${t.types[i]})` : ''}</dd>
        <dt>Position</dt><dd>{p ? `${fmtNum(p[3 * i])}, ${fmtNum(p[3 * i + 1])}, ${fmtNum(p[3 * i + 2])} Å` : '–'}</dd>
        <dt>Frame</dt><dd>{frameShown + 1}</dd>
        {frame?.properties && Object.entries(frame.properties).map(([k, v]) => (
          <Fragment key={k}><dt>{k}</dt><dd>{fmtNum(v[i])}</dd></Fragment>
        ))}
      </dl>
      {picked !== null && <button type="button" className="secondary small clear-pick" onClick={() => setPicked(null)}>Clear pick</button>}
    </div>
  );
}
