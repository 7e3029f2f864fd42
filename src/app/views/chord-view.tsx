import { useMemo, useRef, useState } from 'react';
import { useViews, viewsStore } from './use-views.ts';
import { currentMacro } from './views-slice.ts';
import { chordFigureOf, macroNames, microNames } from './analysis-data.ts';
import { Empty, ExportButtons, SvgHost, useSize } from './view-common.tsx';
import type { ChordOrdering } from './layout/chord-layout.ts';

/** Chord diagram of the fluxes between clusters (pipeline.md §10); hover shows both directions. */
export function ChordView() {
  const r = useViews((s) => s.results);
  const macro = useViews((s) => currentMacro(s));
  const level = useViews((s) => s.chordLevel);
  const ordering = useViews((s) => s.chordOrdering);
  const threshold = useViews((s) => s.chordThreshold);
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const [sizeRef, size] = useSize();
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const w = Math.max(200, size.width), h = Math.max(200, size.height);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const fig = useMemo(() => chordFigureOf(viewsStore.getState(), w, h), [r, macro, level, ordering, threshold, w, h]);
  if (!r || !macro || !fig) return <div className="aview"><Empty /></div>;
  const names = level === 'micro' ? microNames(r) : macroNames(macro.nMacro);
  const onMove = (e: React.PointerEvent) => {
    const t = e.target as Element;
    const b = bodyRef.current!.getBoundingClientRect();
    const at = { x: e.clientX - b.left, y: e.clientY - b.top };
    if (t.classList?.contains('ribbon')) {
      const a = Number(t.getAttribute('data-a')), c = Number(t.getAttribute('data-b'));
      setTip({ ...at, text: `${names[a]} → ${names[c]}: ${t.getAttribute('data-ab')} · ${names[c]} → ${names[a]}: ${t.getAttribute('data-ba')}` });
    } else if (t.classList?.contains('arc')) {
      setTip({ ...at, text: `${names[Number(t.getAttribute('data-cluster'))]}: ${t.getAttribute('data-total')} transitions out (self included)` });
    } else setTip(null);
  };
  const st = viewsStore.getState();
  return (
    <div className="aview chord-view">
      <div className="aview-bar">
        <label>level<select value={level} onChange={(e) => st.setChordLevel(e.target.value as 'micro' | 'macro')} aria-label="Chord level">
          <option value="macro">macro</option><option value="micro">micro</option></select></label>
        <label>order<select value={ordering} onChange={(e) => st.setChordOrdering(e.target.value as ChordOrdering)} aria-label="Chord ordering">
          {(['matrix', 'weight', 'weightr', 'position'] as const).map((o) => <option key={o} value={o}>{o}</option>)}</select></label>
        <label title="hide pairs whose larger direction is below this fraction of all transitions">threshold
          <input type="number" min={0} max={1} step={0.0001} value={threshold} onChange={(e) => st.setChordThreshold(Number(e.target.value))} aria-label="Chord threshold" /></label>
        <ExportButtons name={fig.name} make={() => chordFigureOf(viewsStore.getState())} />
      </div>
      <div className="aview-body" ref={(e) => { bodyRef.current = e; sizeRef(e); }} onPointerMove={onMove} onPointerLeave={() => setTip(null)}>
        <SvgHost svg={fig.svg()} data-testid="chord-svg" />
        {tip && <div className="aview-tip" style={{ left: tip.x + 12, top: tip.y + 12 }}>{tip.text}</div>}
      </div>
    </div>
  );
}
