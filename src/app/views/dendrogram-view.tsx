import { useMemo, useRef, useState } from 'react';
import { useViews, viewsStore } from './use-views.ts';
import { currentMacro } from './views-slice.ts';
import { dendrogramFigureOf } from './analysis-data.ts';
import { cutToPixel, pixelToCut } from './layout/dendrogram-layout.ts';
import { Empty, ExportButtons, SvgHost, useSize } from './view-common.tsx';

/** Dendrogram of the transition rows with a draggable cut: dragging re-merges the macro-clusters live. */
export function DendrogramView() {
  const r = useViews((s) => s.results);
  const macro = useViews((s) => currentMacro(s));
  const overridden = useViews((s) => s.macroOverride !== null);
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const [sizeRef, size] = useSize();
  const [dragging, setDragging] = useState(false);
  const w = Math.max(200, size.width), h = Math.max(160, size.height);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const d = useMemo(() => dendrogramFigureOf(viewsStore.getState(), w, h), [r, macro, w, h]);
  if (!r || !macro || !d) return <div className="aview"><Empty /></div>;
  const g = d.geometry;
  const xCut = cutToPixel(g, macro.tree.cut);
  const localX = (e: React.PointerEvent) => e.clientX - (e.currentTarget as HTMLElement).getBoundingClientRect().left;
  const setCut = (x: number) => {
    const t = pixelToCut(g, x);
    if (Math.abs(t - macro.tree.cut) > 1e-12) viewsStore.getState().setMacroCut(t);
  };
  return (
    <div className="aview dendrogram-view">
      <div className="aview-bar">
        <span className="counts" data-testid="macro-count">{macro.nMacro} macro-clusters (cut {macro.tree.cut.toFixed(3)})</span>
        <button type="button" className="secondary" disabled={!overridden} onClick={() => viewsStore.getState().setMacroCut(null)}>Run's cut</button>
        <ExportButtons name="dendrogram" make={() => dendrogramFigureOf(viewsStore.getState())?.figure ?? null} />
      </div>
      <div className="aview-body" ref={(e) => { bodyRef.current = e; sizeRef(e); }}>
        <SvgHost svg={d.figure.svg()} data-testid="dendrogram-svg" />
        {g.links.length > 0 && (
          <div data-testid="dendrogram-cut" title="drag to move the cut"
            style={{ position: 'absolute', left: xCut - 6, top: g.top - 8, width: 12, height: g.height + 8, cursor: 'ew-resize', touchAction: 'none', background: dragging ? 'rgba(214,39,40,0.15)' : 'transparent' }}
            onPointerDown={(e) => { (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId); setDragging(true); }}
            onPointerMove={(e) => { if (dragging) setCut(localX(e) + xCut - 6); }}
            onPointerUp={() => setDragging(false)} />
        )}
      </div>
    </div>
  );
}
