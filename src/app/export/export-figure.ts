/**
 * Browser side of exports: a figure (rendered from data, see figures.ts) as an SVG or PNG file,
 * the 3D canvas as PNG, and downloads of bytes/strings. PNG rasterises the figure's own SVG into
 * a fresh canvas at `scale` times its size; the live views are never touched.
 */
import type { Figure } from './svg.ts';

export type FigureFormat = 'svg' | 'png';

export interface FigureExportOptions {
  /** PNG pixels per SVG unit (default 2). */
  scale?: number;
  /** Do not start a download, just return the blob (tests). */
  noDownload?: boolean;
}

/** Offers bytes or text as a file download. */
export function download(name: string, data: Blob | Uint8Array | string, type = 'application/octet-stream'): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function svgToPng(svg: string, width: number, height: number, scale: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the figure SVG could not be rasterised'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas context');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await canvasBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

/** Exports a figure as `<name>.svg` or `<name>.png`; resolves to the file's blob. */
export async function exportFigure(fig: Figure, name: string, format: FigureFormat, o: FigureExportOptions = {}): Promise<Blob> {
  const scale = o.scale ?? 2;
  if (!(scale > 0 && scale <= 8)) throw new RangeError(`PNG scale must be in (0, 8], got ${scale}`);
  const svg = fig.svg();
  const blob = format === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg, fig.width, fig.height, scale);
  if (!o.noDownload) download(`${name}.${format}`, blob);
  return blob;
}

/** The 3D view's canvas (preserveDrawingBuffer) as PNG at `scale` times its size. */
export async function exportCanvasPng(canvas: HTMLCanvasElement, name: string, scale = 1, o: { noDownload?: boolean } = {}): Promise<Blob> {
  const out = document.createElement('canvas');
  out.width = Math.round(canvas.width * scale);
  out.height = Math.round(canvas.height * scale);
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(canvas, 0, 0, out.width, out.height);
  const blob = await canvasBlob(out);
  if (!o.noDownload) download(`${name}.png`, blob);
  return blob;
}
