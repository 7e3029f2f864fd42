/**
 * A tiny DOM-free SVG writer: figures are built as strings from data (never copied from the live
 * view), with every colour and the font inline, so the file renders the same anywhere.
 */

export const FIGURE_FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export type Attrs = Record<string, string | number | undefined | null>;

function attrs(a: Attrs): string {
  let s = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null) continue;
    const val = typeof v === 'number' ? fmt(v) : v;
    s += ` ${k}="${escapeXml(val)}"`;
  }
  return s;
}

/** Numbers to at most 3 decimals, no trailing zeros (compact paths). */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/** An element; children are already-serialised strings (or text when `text` is set). */
export function el(tag: string, a: Attrs = {}, children: string | string[] = []): string {
  const inner = Array.isArray(children) ? children.join('') : children;
  return inner === '' ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${inner}</${tag}>`;
}

export function text(x: number, y: number, s: string, a: Attrs = {}): string {
  return el('text', { x, y, ...a }, escapeXml(s));
}

export function polyline(pts: ArrayLike<number>, a: Attrs = {}): string {
  let d = '';
  for (let i = 0; i < pts.length; i += 2) d += `${i ? 'L' : 'M'}${fmt(pts[i])},${fmt(pts[i + 1])}`;
  return el('path', { d, fill: 'none', ...a });
}

/** A standalone SVG document (XML declaration, namespaces, white background, inline font). */
export function svgDocument(width: number, height: number, body: string[], title?: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + el('svg', {
    xmlns: 'http://www.w3.org/2000/svg', 'xmlns:xlink': 'http://www.w3.org/1999/xlink', version: '1.1',
    width, height, viewBox: `0 0 ${fmt(width)} ${fmt(height)}`, 'font-family': FIGURE_FONT, 'font-size': 11,
  }, [title ? el('title', {}, escapeXml(title)) : '', el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }), ...body]);
}

/** A figure ready to export: its size and how to write it as SVG. */
export interface Figure {
  name: string;
  width: number;
  height: number;
  svg(): string;
}
