import { useEffect, useRef, useState, type RefObject } from 'react';
import { exportFigure, type FigureFormat } from '../export/export-figure.ts';
import type { Figure } from '../export/svg.ts';
import { appStore } from '../store.ts';
import './views.css';

/**
 * Size (CSS px) of an element, following resizes. Returns a callback ref (the element may mount
 * after the view's first render, e.g. once results arrive) and the size.
 */
export function useSize(): [(el: HTMLElement | null) => void, { width: number; height: number }] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (!el) return;
    const update = () => setSize((s) => (s.width === el.clientWidth && s.height === el.clientHeight ? s : { width: el.clientWidth, height: el.clientHeight }));
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, size];
}

/** SVG / PNG export buttons for a view; `make` renders the figure from data at export time. */
export function ExportButtons({ make, name }: { make: () => Figure | null; name: string }) {
  const [scale, setScale] = useState(2);
  const run = (format: FigureFormat) => {
    const fig = make();
    if (!fig) return;
    exportFigure(fig, name, format, { scale }).catch((e) => appStore.getState().pushError(e, `export ${name}`));
  };
  return (
    <span className="export-buttons">
      <button type="button" className="secondary" onClick={() => run('svg')} data-export={`${name}-svg`}>SVG</button>
      <button type="button" className="secondary" onClick={() => run('png')} data-export={`${name}-png`}>PNG</button>
      <select value={scale} onChange={(e) => setScale(Number(e.target.value))} title="PNG scale" aria-label="PNG scale">
        {[1, 2, 3, 4].map((v) => <option key={v} value={v}>{v}x</option>)}
      </select>
    </span>
  );
}

export function Empty() {
  return <div className="aview-empty">No analysis results yet: run the pipeline from the parameters panel.</div>;
}

/** An SVG string shown inside a host element (figures are rendered from data as strings). */
export function SvgHost({ svg, hostRef, ...rest }: { svg: string; hostRef?: RefObject<HTMLDivElement | null> } & React.HTMLAttributes<HTMLDivElement>) {
  const local = useRef<HTMLDivElement | null>(null);
  const ref = hostRef ?? local;
  useEffect(() => {
    if (ref.current) ref.current.innerHTML = svg.replace(/^<\?xml[^>]*>\s*/, '');
  }, [svg, ref]);
  return <div className="svg-host" ref={ref} {...rest} />;
}
