import { useEffect, useMemo, useRef, useState } from 'react';
import { useViews, viewsStore } from './use-views.ts';
import { currentMacro } from './views-slice.ts';
import { axisNames, coloursOf, componentName, domainOf, indexOf, mapFigureOf, pointsOf, rowsOfFrame, contoursOf } from './analysis-data.ts';
import { analysedAtomOf, labelStrip, nearestPoint, rasterisePoints, selectionCounts, selectLasso, selectRect, toData, toPixel, tracePath, traceSegmentColour, zoomDomain, panDomain, type Domain, type Frame2d, type MapColourMode } from './layout/map-layout.ts';
import { cssColour, macroColour, microColour } from './layout/palettes.ts';
import { Empty, ExportButtons, useSize } from './view-common.tsx';
import { rowLocation } from '../../core/pipeline/results.ts';

type Tool = 'box' | 'lasso';
/** Pointer travel (CSS px) below which a press-release is a click. */
const CLICK_SLOP = 4;
/** Hover / click pick radius, CSS px. */
const PICK_PX = 6;

/** Last brush timing (ms), for the status line and the e2e test. */
declare global { interface Window { __soaplensBrushMs?: number } }

function Strip({ atom }: { atom: number }) {
  const r = useViews((s) => s.results);
  const macro = useViews((s) => currentMacro(s));
  const mode = useViews((s) => s.mapColour);
  const frameIndex = useViews((s) => s.frameIndex);
  const ref = useRef<HTMLCanvasElement | null>(null);
  const a = r ? analysedAtomOf(r.atoms, atom) : -1;
  useEffect(() => {
    const c = ref.current;
    if (!c || !r || !macro || a < 0) return;
    const useMacro = mode === 'macro';
    const labels = labelStrip(useMacro ? macro.labels : r.analysis.cluster.labels, r.nAtoms, r.nFrames, a);
    c.width = r.nFrames; c.height = 1;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(r.nFrames, 1);
    labels.forEach((l, j) => {
      const col = useMacro ? macroColour(l, macro.nMacro) : microColour(l >= r.analysis.cluster.nClusters ? -1 : l);
      img.data.set([col[0], col[1], col[2], 255], 4 * j);
    });
    ctx.putImageData(img, 0, 0);
  }, [r, macro, mode, a]);
  if (!r || a < 0) return null;
  const j = r.frames.indexOf(frameIndex);
  return (
    <div className="aview-strip" data-trace={atom}>
      <span style={{ width: 70 }}>atom {atom}</span>
      <span style={{ position: 'relative', flex: 1, display: 'flex' }}>
        <canvas ref={ref} />
        {j >= 0 && <span style={{ position: 'absolute', left: `${(100 * (j + 0.5)) / r.nFrames}%`, top: -2, bottom: -2, width: 2, background: '#fff' }} />}
      </span>
      <button type="button" className="secondary" onClick={() => viewsStore.getState().untraceAtom(atom)} aria-label={`Stop tracing atom ${atom}`}>×</button>
    </div>
  );
}

export function MapView() {
  const r = useViews((s) => s.results);
  const macro = useViews((s) => currentMacro(s));
  const mode = useViews((s) => s.mapColour);
  const axes = useViews((s) => s.mapAxes);
  const contoursOn = useViews((s) => s.showContours);
  const brush = useViews((s) => s.brush);
  const traced = useViews((s) => s.traced);
  const frameIndex = useViews((s) => s.frameIndex);
  const namedSets = useViews((s) => s.namedSets);
  const selected = useViews((s) => s.selected);
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const pointsRef = useRef<HTMLCanvasElement | null>(null);
  const overlayRef = useRef<HTMLCanvasElement | null>(null);
  const [sizeRef, size] = useSize();
  const [tool, setTool] = useState<Tool>('box');
  const [setName, setSetName] = useState('');
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const [brushMs, setBrushMs] = useState<number | null>(null);
  const points = useMemo(() => (r ? pointsOf(r, axes[0], axes[1]) : null), [r, axes]);
  const [domain, setDomain] = useState<Domain | null>(null);
  useEffect(() => { setDomain(points ? domainOf(points) : null); }, [points]);
  const drag = useRef<{ x0: number; y0: number; pts: number[]; pan: boolean; moved: boolean; domain: Domain } | null>(null);
  const frame: Frame2d = { left: 0, top: 0, width: Math.max(1, size.width), height: Math.max(1, size.height) };

  // point layer
  useEffect(() => {
    const c = pointsRef.current;
    if (!c || !r || !macro || !points || !domain || size.width < 2 || size.height < 2) return;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const w = Math.round(size.width * dpr), h = Math.round(size.height * dpr);
    c.width = w; c.height = h;
    c.style.width = `${size.width}px`; c.style.height = `${size.height}px`;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    // sparse maps get 2-pixel points so they stay visible; dense ones single pixels
    rasterisePoints(img.data, w, h, points, coloursOf(r, macro, mode), domain, (points.n < 50_000 ? 2 : 1) * (dpr > 1.5 ? 2 : 1));
    ctx.putImageData(img, 0, 0);
    if (contoursOn) {
      ctx.save();
      ctx.scale(dpr, dpr);
      ctx.strokeStyle = '#000'; ctx.lineWidth = 0.6;
      for (const cl of contoursOf(points)) {
        for (const ring of cl.rings) {
          ctx.beginPath();
          for (let i = 0; i < ring.length; i += 2) {
            const [x, y] = toPixel(domain, frame, ring[i], ring[i + 1]);
            if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
          }
          ctx.stroke();
        }
      }
      ctx.restore();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r, macro, mode, points, domain, size.width, size.height, contoursOn]);

  // overlay: brushed points, current frame, traces
  const drawOverlay = (extra?: { rect?: [number, number, number, number]; lasso?: number[] }) => {
    const c = overlayRef.current;
    if (!c || !r || !points || !domain) return;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    c.width = Math.round(size.width * dpr); c.height = Math.round(size.height * dpr);
    c.style.width = `${size.width}px`; c.style.height = `${size.height}px`;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const rows = rowsOfFrame(r, frameIndex);
    for (const row of rows) {
      const [x, y] = toPixel(domain, frame, points.x[row], points.y[row]);
      const sel = brush ? brush[row] === 1 : false;
      ctx.fillStyle = brush ? (sel ? '#ff00ff' : 'rgba(255,255,255,0.35)') : 'rgba(0,0,0,0.8)';
      ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
    }
    for (const atom of traced) {
      const a = analysedAtomOf(r.atoms, atom);
      if (a < 0) continue;
      const path = tracePath(points, r.nAtoms, r.nFrames, a);
      const m = r.nFrames;
      ctx.lineWidth = 1;
      for (let j = 0; j + 1 < m; j++) {
        const [x0, y0] = toPixel(domain, frame, path[2 * j], path[2 * j + 1]);
        const [x1, y1] = toPixel(domain, frame, path[2 * j + 2], path[2 * j + 3]);
        ctx.strokeStyle = cssColour(traceSegmentColour(j, m));
        ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
      }
      const jc = r.frames.indexOf(frameIndex);
      if (jc >= 0) {
        const [x, y] = toPixel(domain, frame, path[2 * jc], path[2 * jc + 1]);
        ctx.strokeStyle = '#ff2020'; ctx.lineWidth = 2;
        ctx.beginPath(); ctx.arc(x, y, 5, 0, 2 * Math.PI); ctx.stroke();
      }
    }
    if (extra?.rect) {
      const [x0, y0, x1, y1] = extra.rect;
      ctx.strokeStyle = '#ff00ff'; ctx.setLineDash([4, 3]); ctx.lineWidth = 1;
      ctx.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    }
    if (extra?.lasso && extra.lasso.length >= 4) {
      ctx.strokeStyle = '#ff00ff'; ctx.setLineDash([4, 3]); ctx.lineWidth = 1;
      ctx.beginPath();
      for (let i = 0; i < extra.lasso.length; i += 2) (i ? ctx.lineTo : ctx.moveTo).call(ctx, extra.lasso[i], extra.lasso[i + 1]);
      ctx.closePath(); ctx.stroke();
    }
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => drawOverlay(), [r, points, domain, size.width, size.height, frameIndex, brush, traced]);

  if (!r || !macro || !points) return <div className="aview"><Empty /></div>;

  const local = (e: React.PointerEvent | React.WheelEvent): [number, number] => {
    const b = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return [e.clientX - b.left, e.clientY - b.top];
  };
  const pick = (px: number, py: number): number => {
    if (!domain) return -1;
    const [x, y] = toData(domain, frame, px, py);
    const rd = (PICK_PX / frame.width) * (domain.x1 - domain.x0);
    return nearestPoint(indexOf(points), points, x, y, rd);
  };
  const onDown = (e: React.PointerEvent) => {
    if (!domain) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    const [x, y] = local(e);
    drag.current = { x0: x, y0: y, pts: [x, y], pan: e.button !== 0 || e.shiftKey, moved: false, domain };
  };
  const onMove = (e: React.PointerEvent) => {
    const [x, y] = local(e);
    const d = drag.current;
    if (!d) {
      const i = pick(x, y);
      if (i < 0) { setTip(null); viewsStore.getState().setHovered(null); return; }
      const loc = rowLocation(r, i);
      viewsStore.getState().setHovered(loc.atom); // the 3D view marks the hovered atom
      const lab = r.analysis.cluster.labels[i];
      setTip({ x, y, text: `atom ${loc.atom} · frame ${loc.frame} · cluster ${lab < 0 ? 'noise' : lab} · macro M${macro.labels[i]}` });
      return;
    }
    if (Math.hypot(x - d.x0, y - d.y0) > CLICK_SLOP) d.moved = true;
    if (!d.moved) return;
    if (d.pan) {
      const [ax, ay] = toData(d.domain, frame, d.x0, d.y0), [bx, by] = toData(d.domain, frame, x, y);
      setDomain(panDomain(d.domain, ax - bx, ay - by));
    } else if (tool === 'box') {
      drawOverlay({ rect: [d.x0, d.y0, x, y] });
    } else {
      d.pts.push(x, y);
      drawOverlay({ lasso: d.pts });
    }
  };
  const onUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (!d || !domain) return;
    const [x, y] = local(e);
    if (!d.moved) {
      const i = pick(x, y);
      if (i < 0) return;
      const loc = rowLocation(r, i);
      const st = viewsStore.getState();
      st.traceAtom(loc.atom);
      st.setPicked(loc.atom);
      st.setFrameIndex(loc.frame);
      return;
    }
    if (d.pan) return;
    const t0 = performance.now();
    let mask: Uint8Array;
    if (tool === 'box') {
      const [ax, ay] = toData(domain, frame, d.x0, d.y0), [bx, by] = toData(domain, frame, x, y);
      mask = selectRect(indexOf(points), points.n, ax, ay, bx, by);
    } else {
      const poly = new Float64Array(d.pts.length);
      for (let i = 0; i < d.pts.length; i += 2) { const [px, py] = toData(domain, frame, d.pts[i], d.pts[i + 1]); poly[i] = px; poly[i + 1] = py; }
      mask = selectLasso(indexOf(points), points, poly);
    }
    viewsStore.getState().setBrush(mask);
    const ms = performance.now() - t0;
    window.__soaplensBrushMs = ms;
    setBrushMs(ms);
  };
  const onWheel = (e: React.WheelEvent) => {
    if (!domain) return;
    const [px, py] = local(e);
    const [x, y] = toData(domain, frame, px, py);
    setDomain(zoomDomain(domain, e.deltaY > 0 ? 1.15 : 1 / 1.15, x, y));
  };
  const counts = brush ? selectionCounts(brush, r.nAtoms, r.nFrames) : null;
  // points of the current frame in the brush, and atoms the 3D view shows highlighted (store mask)
  let inFrame = 0, highlighted = 0;
  if (brush) for (const row of rowsOfFrame(r, frameIndex)) inFrame += brush[row];
  if (selected) for (let i = 0; i < selected.length; i++) highlighted += selected[i];
  const st = () => viewsStore.getState();
  const dims = Array.from({ length: r.scoreDim }, (_, c) => c);
  return (
    <div className="aview map-view">
      <div className="aview-bar">
        <label>colour
          <select value={mode} onChange={(e) => st().setMapColour(e.target.value as MapColourMode)} aria-label="Map colour">
            <option value="micro">micro-cluster</option><option value="macro">macro-cluster</option>
            <option value="lens" disabled={!r.lens}>LENS</option><option value="frame">frame</option>
          </select>
        </label>
        <label>x<select value={axes[0]} aria-label="Map x component" onChange={(e) => st().setMapAxes(Number(e.target.value), axes[1])}>{dims.map((c) => <option key={c} value={c}>{componentName(r, c)}</option>)}</select></label>
        {r.scoreDim > 1
          ? <label>y<select value={axes[1]} aria-label="Map y component" onChange={(e) => st().setMapAxes(axes[0], Number(e.target.value))}>{dims.map((c) => <option key={c} value={c}>{componentName(r, c)}</option>)}</select></label>
          : <label>y {axisNames(r, 0, 0)[1]}</label>}
        <label><input type="checkbox" checked={contoursOn} onChange={(e) => st().setShowContours(e.target.checked)} />contours</label>
        <label>brush<select value={tool} onChange={(e) => setTool(e.target.value as Tool)} aria-label="Brush tool"><option value="box">rectangle</option><option value="lasso">lasso</option></select></label>
        <button type="button" className="secondary" onClick={() => setDomain(domainOf(points))}>Reset zoom</button>
        <span className="counts" data-testid="brush-counts">{counts ? `${counts.points} points · ${counts.atoms} atoms · ${counts.frames} frames` : 'drag to brush, shift-drag to pan, wheel to zoom'}{brushMs !== null ? ` (${brushMs.toFixed(0)} ms)` : ''}</span>
        {brush && <span className="counts">this frame: <b data-testid="frame-points">{inFrame}</b> points, <b data-testid="highlighted-atoms">{highlighted}</b> atoms highlighted in 3D</span>}
        <button type="button" className="secondary" disabled={!brush} onClick={() => st().invertBrush()}>Invert</button>
        <button type="button" className="secondary" disabled={!brush} onClick={() => st().setBrush(null)}>Clear</button>
        <input type="text" placeholder="set name" value={setName} onChange={(e) => setSetName(e.target.value)} aria-label="Set name" />
        <button type="button" className="secondary" disabled={!brush || !setName.trim()} onClick={() => { st().keepBrush(setName); setSetName(''); }}>Keep</button>
        {namedSets.length > 0 && (
          <select value="" onChange={(e) => e.target.value && st().useSet(e.target.value)} aria-label="Named sets">
            <option value="">sets…</option>{namedSets.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
          </select>
        )}
        <ExportButtons name="pca-map" make={() => mapFigureOf(viewsStore.getState(), 640, 560, domain ?? undefined)} />
      </div>
      <div className="aview-body" ref={(e) => { bodyRef.current = e; sizeRef(e); }}>
        <canvas ref={pointsRef} data-testid="map-points" style={{ background: "#ffffff" }} />
        <canvas ref={overlayRef} className="overlay" data-testid="map-overlay" style={{ cursor: 'crosshair', touchAction: 'none' }}
          onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} onPointerLeave={() => { setTip(null); viewsStore.getState().setHovered(null); }} onWheel={onWheel}
          onContextMenu={(e) => e.preventDefault()} />
        <span style={{ position: 'absolute', right: 6, bottom: 4, color: '#555', pointerEvents: 'none' }}>{axisNames(r, axes[0], axes[1])[0]} → · {axisNames(r, axes[0], axes[1])[1]} ↑</span>
        {tip && <div className="aview-tip" style={{ left: tip.x + 12, top: tip.y + 12 }}>{tip.text}</div>}
      </div>
      {traced.length > 0 && (
        <div className="aview-strips">
          {traced.map((atom) => <Strip key={atom} atom={atom} />)}
          <button type="button" className="secondary" onClick={() => st().clearTraces()}>Clear traces</button>
        </div>
      )}
    </div>
  );
}
