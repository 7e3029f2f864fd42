import { useMemo, useRef, useState } from 'react';
import { useViews, viewsStore } from './use-views.ts';
import { currentMacro } from './views-slice.ts';
import { heatmapFigureOf, macroNames, microNames } from './analysis-data.ts';
import { Empty, ExportButtons, SvgHost, useSize } from './view-common.tsx';

/** Transition matrix heatmap (row %, dendrogram order; hover shows counts; diagonal can be hidden). */
export function MatrixView() {
  const r = useViews((s) => s.results);
  const macro = useViews((s) => currentMacro(s));
  const level = useViews((s) => s.heatmapLevel);
  const hide = useViews((s) => s.hideDiagonal);
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const [sizeRef, size] = useSize();
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const w = Math.max(200, size.width), h = Math.max(200, size.height);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const fig = useMemo(() => heatmapFigureOf(viewsStore.getState(), w, h), [r, macro, level, hide, w, h]);
  if (!r || !macro || !fig) return <div className="aview"><Empty /></div>;
  const names = level === 'micro' ? microNames(r) : macroNames(macro.nMacro);
  const onMove = (e: React.PointerEvent) => {
    const t = e.target as Element;
    if (!t.classList?.contains('cell')) { setTip(null); return; }
    const from = Number(t.getAttribute('data-from')), to = Number(t.getAttribute('data-to'));
    const k = level === 'micro' ? r.analysis.transitions.k : macro.nMacro;
    const counts = level === 'micro' ? r.analysis.transitions.counts : macro.transitions.counts;
    let row = 0;
    for (let b = 0; b < k; b++) row += counts[from * k + b];
    const b = bodyRef.current!.getBoundingClientRect();
    setTip({ x: e.clientX - b.left, y: e.clientY - b.top,
      text: `${names[from]} → ${names[to]}: ${counts[from * k + to]} of ${row} (${t.getAttribute('data-percent')} %)` });
  };
  const st = viewsStore.getState();
  return (
    <div className="aview matrix-view">
      <div className="aview-bar">
        <label>level<select value={level} onChange={(e) => st.setHeatmapLevel(e.target.value as 'micro' | 'macro')} aria-label="Matrix level">
          <option value="macro">macro</option><option value="micro">micro</option></select></label>
        <label><input type="checkbox" checked={hide} onChange={(e) => st.setHideDiagonal(e.target.checked)} />hide diagonal</label>
        <ExportButtons name={fig.name} make={() => heatmapFigureOf(viewsStore.getState())} />
      </div>
      <div className="aview-body" ref={(e) => { bodyRef.current = e; sizeRef(e); }} onPointerMove={onMove} onPointerLeave={() => setTip(null)}>
        <SvgHost svg={fig.svg()} data-testid="matrix-svg" />
        {tip && <div className="aview-tip" style={{ left: tip.x + 12, top: tip.y + 12 }}>{tip.text}</div>}
      </div>
    </div>
  );
}
