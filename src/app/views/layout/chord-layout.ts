/**
 * Chord diagram geometry (pipeline.md §10) on a raw count matrix T (k x k, row-major). Angles in
 * degrees, counter-clockwise from +x with y up, outer radius R = 0.5. Paths for drawing come from
 * d3-chord's ribbon and d3-shape's arc generators, fed with the §10 angles converted to d3's
 * convention (radians clockwise from 12 o'clock, y down), so the diagram is drawn exactly where
 * the layout says.
 */
import { ribbon } from 'd3-chord';
import { arc } from 'd3-shape';

export const CHORD_GAP_DEG = 1.8;
export const CHORD_R_OUTER = 0.5;
export const CHORD_R_INNER = 0.45;
export const CHORD_R_RIBBON = 0.5 - 0.05 * 0.7;

export type ChordOrdering = 'matrix' | 'weight' | 'weightr' | 'position';

export interface ChordArc {
  cluster: number;
  start: number;
  end: number;
  total: number;
}

/** Piece (a -> b) of arc a: [start, end] in degrees. */
export interface ChordPiece { from: number; to: number; start: number; end: number }

export interface ChordRibbon {
  a: number;
  b: number;
  /** Piece a -> b on arc a and piece b -> a on arc b. */
  aStart: number; aEnd: number;
  bStart: number; bEnd: number;
  /** T[a, b] and T[b, a]. */
  ab: number;
  ba: number;
  /** Cluster whose colour the ribbon takes: the dominant direction (ties -> larger index). */
  colour: number;
}

export interface ChordLayout {
  k: number;
  arcs: ChordArc[];
  /** pieces[a * k + b] */
  pieces: ChordPiece[];
  ribbons: ChordRibbon[];
  total: number;
}

export interface ChordOptions {
  ordering?: ChordOrdering;
  /** Skip a pair when both directions are below this count (reference 0.01). */
  threshold?: number;
}

/** Order of the k pieces on arc a. */
export function pieceOrder(t: ArrayLike<number>, k: number, a: number, ordering: ChordOrdering): number[] {
  const bs = Array.from({ length: k }, (_, b) => b);
  switch (ordering) {
    case 'matrix': return bs;
    case 'weight': return bs.sort((x, y) => (t[a * k + y] - t[a * k + x]) || (y - x));
    case 'weightr': return bs.sort((x, y) => (t[a * k + x] - t[a * k + y]) || (x - y));
    case 'position': return bs.map((q) => (((a + q - Math.floor(k / 2)) % k) + k) % k);
  }
}

export function chordLayout(t: ArrayLike<number>, k: number, o: ChordOptions = {}): ChordLayout {
  if (!Number.isInteger(k) || k < 1 || t.length !== k * k) throw new RangeError(`chord: ${t.length} counts for ${k} x ${k}`);
  const ordering = o.ordering ?? 'matrix';
  const theta = o.threshold ?? 0.01;
  const rows = new Float64Array(k);
  let total = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const v = t[a * k + b];
      if (!(v >= 0)) throw new RangeError(`chord: count T[${a}, ${b}] = ${v} is not a non-negative number`);
      rows[a] += v;
    }
    total += rows[a];
  }
  const arcs: ChordArc[] = [];
  const pieces: ChordPiece[] = new Array(k * k);
  const span = 360 - CHORD_GAP_DEG * k;
  let s = 0;
  for (let a = 0; a < k; a++) {
    const len = total > 0 ? (span * rows[a]) / total : 0;
    arcs.push({ cluster: a, start: s, end: s + len, total: rows[a] });
    let p = s;
    for (const b of pieceOrder(t, k, a, ordering)) {
      const pl = rows[a] > 0 ? (len * t[a * k + b]) / rows[a] : 0;
      pieces[a * k + b] = { from: a, to: b, start: p, end: p + pl };
      p += pl;
    }
    s += len + CHORD_GAP_DEG;
  }
  const ribbons: ChordRibbon[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const ab = t[a * k + b], ba = t[b * k + a];
      if (ab < theta && ba < theta) continue;
      const pa = pieces[a * k + b], pb = pieces[b * k + a];
      ribbons.push({ a, b, aStart: pa.start, aEnd: pa.end, bStart: pb.start, bEnd: pb.end, ab, ba, colour: ab > ba ? a : b });
    }
  }
  return { k, arcs, pieces, ribbons, total };
}

/** A threshold given as a fraction of the total count, as a count. */
export function thresholdFromFraction(layoutTotal: number, fraction: number): number {
  return layoutTotal * fraction;
}

const RAD = Math.PI / 180;
/** §10 angle (deg, CCW from +x, y up) -> d3 angle (rad, CW from 12 o'clock, y down). */
const d3Angle = (deg: number) => Math.PI / 2 - deg * RAD;

/** SVG path of a ribbon, centred at the origin, outer radius R = 0.5 scaled by `scale` (pixels per unit). */
export function ribbonPath(r: ChordRibbon, scale: number): string {
  const radius = CHORD_R_RIBBON * scale;
  const gen = ribbon<unknown, { startAngle: number; endAngle: number; radius: number }>();
  return gen({
    source: { startAngle: d3Angle(r.aEnd), endAngle: d3Angle(r.aStart), radius },
    target: { startAngle: d3Angle(r.bEnd), endAngle: d3Angle(r.bStart), radius },
  } as never) as unknown as string;
}

/** SVG path of an arc's annulus (radii 0.45..0.5 of the unit), centred at the origin. */
export function arcPath(a: ChordArc, scale: number): string {
  return arc()({ innerRadius: CHORD_R_INNER * scale, outerRadius: CHORD_R_OUTER * scale,
    startAngle: d3Angle(a.end), endAngle: d3Angle(a.start) }) ?? '';
}

/** Point at angle deg on radius rho (units), in SVG coordinates (y down), scaled. */
export function polarToSvg(deg: number, rho: number, scale: number): [number, number] {
  return [rho * scale * Math.cos(deg * RAD), -rho * scale * Math.sin(deg * RAD)];
}
