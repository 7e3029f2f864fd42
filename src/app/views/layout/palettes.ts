/**
 * Colour maps of the figures (pipeline.md §11): tab20 for micro-clusters, turbo for macro-clusters,
 * PuRd for LENS clusters, viridis for time. Continuous maps are piecewise-linear through a few
 * stops sampled from the published maps (close enough for display; no test depends on them).
 * Colours are packed little-endian RGBA in a Uint32 (ImageData byte order) or as CSS hex.
 */

export type Rgb = readonly [number, number, number];

function hex(h: string): Rgb {
  const v = parseInt(h.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export const TAB20: readonly Rgb[] = [
  '#1f77b4', '#aec7e8', '#ff7f0e', '#ffbb78', '#2ca02c', '#98df8a', '#d62728', '#ff9896', '#9467bd', '#c5b0d5',
  '#8c564b', '#c49c94', '#e377c2', '#f7b6d2', '#7f7f7f', '#c7c7c7', '#bcbd22', '#dbdb8d', '#17becf', '#9edae5',
].map(hex);

const TURBO_STOPS: readonly Rgb[] = ['#30123b', '#4662d7', '#36aaf9', '#1ae4b6', '#72fe5e', '#c8ef34', '#faba39', '#f66b19', '#ca2a04', '#7a0403'].map(hex);
const VIRIDIS_STOPS: readonly Rgb[] = ['#440154', '#482878', '#3e4a89', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'].map(hex);
const PURD_STOPS: readonly Rgb[] = ['#f7f4f9', '#e7e1ef', '#d4b9da', '#c994c7', '#df65b0', '#e7298a', '#ce1256', '#980043', '#67001f'].map(hex);

function ramp(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  const a = stops[i], b = stops[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

export const turbo = (t: number): Rgb => ramp(TURBO_STOPS, t);
export const viridis = (t: number): Rgb => ramp(VIRIDIS_STOPS, t);
export const purd = (t: number): Rgb => ramp(PURD_STOPS, t);

/** Noise (-1) and "no value" grey. */
export const GREY: Rgb = [150, 150, 150];

/** Colour of micro-cluster c (tab20; -1 grey). */
export function microColour(c: number): Rgb {
  return c < 0 ? GREY : TAB20[c % TAB20.length];
}

/** Colour of macro-cluster c of n (turbo spread over n, as matplotlib's turbo on 0..n-1). */
export function macroColour(c: number, n: number): Rgb {
  return c < 0 ? GREY : turbo(n > 1 ? c / (n - 1) : 0.5);
}

export function cssColour(c: Rgb): string {
  return `#${((1 << 24) | (c[0] << 16) | (c[1] << 8) | c[2]).toString(16).slice(1)}`;
}

/** Packs a colour with alpha (0..255) into ImageData byte order (little-endian Uint32). */
export function packRgba(c: Rgb, alpha = 255): number {
  return ((alpha << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0;
}
