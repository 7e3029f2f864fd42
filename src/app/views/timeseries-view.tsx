import { useEffect, useMemo, useRef } from 'react';
import { useViews, viewsStore } from './use-views.ts';
import { timeseriesFigureOf } from './analysis-data.ts';
import { analysedAtomOf, analysedFrameOf } from './layout/map-layout.ts';
import { doaneBinCount, histogram, valueRange } from './layout/timeseries-layout.ts';
import { cssColour, microColour } from './layout/palettes.ts';
import { Empty, ExportButtons, useSize } from './view-common.tsx';

const M = { left: 40, right: 90, top: 8, bottom: 22 };
/** Brushed atoms drawn bold, at most (the rest stay faint). */
const MAX_BOLD = 60;

/** LENS of every analysed atom against time (faint), traced / brushed atoms bold, side histogram, time cursor. */
export function TimeseriesView() {
  const r = useViews((s) => s.results);
  const traced = useViews((s) => s.traced);
  const selected = useViews((s) => s.selected);
  const frameIndex = useViews((s) => s.frameIndex);
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const baseRef = useRef<HTMLCanvasElement | null>(null);
  const topRef = useRef<HTMLCanvasElement | null>(null);
  const [sizeRef, size] = useSize();
  const values = useMemo(() => (!r ? null : r.lens ?? Float64Array.from({ length: r.nAtoms * r.nFrames }, (_, i) => r.scores[i * r.scoreDim])), [r]);
  const range = useMemo(() => (values ? valueRange(values) : [0, 1] as [number, number]), [values]);
  const hist = useMemo(() => (values ? histogram(values, Math.min(200, doaneBinCount(values))) : null), [values]);
  const pw = Math.max(10, size.width - M.left - M.right), ph = Math.max(10, size.height - M.top - M.bottom);
  const xOf = (j: number) => M.left + (r && r.nFrames > 1 ? (j / (r.nFrames - 1)) * pw : 0);
  const yOf = (v: number) => M.top + (1 - (v - range[0]) / (range[1] - range[0])) * ph;

  useEffect(() => {
    const c = baseRef.current;
    if (!c || !r || !values || !hist || size.width < 20) return;
    c.width = size.width; c.height = size.height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, c.width, c.height);
    ctx.strokeStyle = 'rgba(31,119,180,0.08)'; ctx.lineWidth = 0.5;
    for (let a = 0; a < r.nAtoms; a++) {
      ctx.beginPath();
      for (let j = 0; j < r.nFrames; j++) {
        const x = xOf(j), y = yOf(values[j * r.nAtoms + a]);
        if (j) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      }
      ctx.stroke();
    }
    let max = 0;
    for (const v of hist.counts) max = Math.max(max, v);
    ctx.fillStyle = '#3b528b';
    const hx = M.left + pw + 8, hw = M.right - 14;
    for (let b = 0; b < hist.counts.length; b++) {
      const y0 = yOf(hist.edges[b + 1]), y1 = yOf(hist.edges[b]);
      ctx.fillRect(hx, y0, max > 0 ? (hw * hist.counts[b]) / max : 0, Math.max(0.5, y1 - y0));
    }
    ctx.strokeStyle = '#000'; ctx.lineWidth = 1;
    ctx.strokeRect(M.left, M.top, pw, ph);
    ctx.fillStyle = '#000'; ctx.font = '10px sans-serif';
    ctx.fillText(range[1].toFixed(2), 2, M.top + 8);
    ctx.fillText(range[0].toFixed(2), 2, M.top + ph);
    ctx.fillText(`frame ${r.frames[0]}`, M.left, M.top + ph + 14);
    const last = `frame ${r.frames[r.nFrames - 1]}`;
    ctx.fillText(last, M.left + pw - ctx.measureText(last).width, M.top + ph + 14);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r, values, hist, size.width, size.height]);

  useEffect(() => {
    const c = topRef.current;
    if (!c || !r || !values || size.width < 20) return;
    c.width = size.width; c.height = size.height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    // brushed atoms (the 3D selection of this frame), at most MAX_BOLD of them, then traced atoms
    if (selected) {
      ctx.strokeStyle = 'rgba(255,0,255,0.8)'; ctx.lineWidth = 1.2;
      let shown = 0;
      for (let a = 0; a < r.nAtoms && shown < MAX_BOLD; a++) {
        if (!selected[r.atoms[a]]) continue;
        shown++;
        ctx.beginPath();
        for (let j = 0; j < r.nFrames; j++) { const x = xOf(j), y = yOf(values[j * r.nAtoms + a]); if (j) ctx.lineTo(x, y); else ctx.moveTo(x, y); }
        ctx.stroke();
      }
    }
    traced.forEach((atom, i) => {
      const a = analysedAtomOf(r.atoms, atom);
      if (a < 0) return;
      ctx.strokeStyle = cssColour(microColour(i)); ctx.lineWidth = 1.6;
      ctx.beginPath();
      for (let j = 0; j < r.nFrames; j++) { const x = xOf(j), y = yOf(values[j * r.nAtoms + a]); if (j) ctx.lineTo(x, y); else ctx.moveTo(x, y); }
      ctx.stroke();
    });
    const j = analysedFrameOf(r.frames, frameIndex);
    if (j >= 0) { ctx.strokeStyle = '#d62728'; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(xOf(j), M.top); ctx.lineTo(xOf(j), M.top + ph); ctx.stroke(); }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r, values, traced, selected, frameIndex, size.width, size.height]);

  if (!r || !values) return <div className="aview"><Empty /></div>;
  const onClick = (e: React.MouseEvent) => {
    const x = e.clientX - (e.currentTarget as HTMLElement).getBoundingClientRect().left;
    const j = Math.round(((x - M.left) / pw) * (r.nFrames - 1));
    if (j >= 0 && j < r.nFrames) viewsStore.getState().setFrameIndex(r.frames[j]);
  };
  return (
    <div className="aview timeseries-view">
      <div className="aview-bar">
        <span className="counts">{r.lens ? 'LENS' : 'score 1'} of {r.nAtoms} atoms over {r.nFrames} frames; click to move the time cursor</span>
        <ExportButtons name="lens-time-series" make={() => timeseriesFigureOf(viewsStore.getState())} />
      </div>
      <div className="aview-body" ref={(e) => { bodyRef.current = e; sizeRef(e); }}>
        <canvas ref={baseRef} />
        <canvas ref={topRef} className="overlay" onClick={onClick} data-testid="timeseries-canvas" />
      </div>
    </div>
  );
}
