import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { checkXml } from './xml-check.ts';
import { createAppStore } from '../../../src/app/store.ts';
import type { ViewsState } from '../../../src/app/views/views-slice.ts';
import { chordFigureOf, dendrogramFigureOf, heatmapFigureOf, mapFigureOf, timeseriesFigureOf } from '../../../src/app/views/analysis-data.ts';
import { encodePng } from '../../../src/app/export/png-encode.ts';
import { matrixCsv, rowsCsv, recipeJson } from '../../../src/app/export/data-export.ts';
import { loadedTrajectory } from '../../../src/app/store.ts';
import { cuResults, smallResults } from './views-fixtures.ts';

function storeWith(results: ReturnType<typeof smallResults>, nTrajAtoms: number, nTrajFrames: number) {
  const store = createAppStore();
  store.getState().setTrajectory(loadedTrajectory({ name: 't', format: 'xyz', nAtoms: nTrajAtoms, nFrames: nTrajFrames, species: Array(nTrajAtoms).fill('Cu'),
    ids: Int32Array.from({ length: nTrajAtoms }, (_, i) => i + 1), pbc: [true, true, true], propertyNames: [] }, 1, []));
  store.getState().setResults(results);
  return store;
}

describe('figure SVG export (well-formed, expected elements)', () => {
  const r = cuResults();
  const store = storeWith(r, 2400, 500);
  const s = () => store.getState() as ViewsState;

  it('transition heatmap: k x k cells and annotations', () => {
    s().setHeatmapLevel('micro');
    const x = checkXml(heatmapFigureOf(s())!.svg());
    expect(x.root).toBe('svg');
    expect(x.attrs.filter((a) => a.attrs.class === 'cell')).toHaveLength(36);
    const cell = x.attrs.find((a) => a.attrs.class === 'cell' && a.attrs['data-from'] === '1' && a.attrs['data-to'] === '5')!;
    expect(cell.attrs['data-count']).toBe('1240'); // transition_counts_soft[1][5]
    s().setHeatmapLevel('macro');
    expect(checkXml(heatmapFigureOf(s())!.svg()).attrs.filter((a) => a.attrs.class === 'cell')).toHaveLength(36); // 6 macro (no merge at t = 1)
  });

  it('chord: one arc per cluster, a ribbon per exchanging pair, colours inline', () => {
    s().setChordLevel('micro');
    const x = checkXml(chordFigureOf(s())!.svg());
    expect(x.attrs.filter((a) => a.attrs.class === 'arc')).toHaveLength(6);
    // pairs with any exchange in transition_counts_soft: 0-2, 0-3, 0-4, 0-5, 1-4, 1-5, 2-3, 3-4, 4-5 -> 9
    expect(x.attrs.filter((a) => a.attrs.class === 'ribbon')).toHaveLength(9);
    for (const a of x.attrs.filter((e) => e.attrs.class === 'ribbon')) { expect(a.attrs.fill).toMatch(/^#[0-9a-f]{6}$/); expect(a.attrs['fill-opacity']).toBe('0.4'); }
  });

  it('dendrogram: k - 1 links, 6 leaves, a cut line; dragging the cut changes the macro count', () => {
    let d = dendrogramFigureOf(s())!;
    let x = checkXml(d.figure.svg());
    expect(x.attrs.filter((a) => a.attrs.class === 'link')).toHaveLength(5);
    expect(x.attrs.filter((a) => a.attrs.class === 'leaf')).toHaveLength(6);
    expect(x.counts.line).toBeGreaterThan(1);
    s().setMacroCut(1.19);
    d = dendrogramFigureOf(s())!;
    x = checkXml(d.figure.svg());
    expect(d.figure.svg()).toContain('3 macro');
    s().setMacroCut(null);
  });

  it('PCA map: one embedded PNG of the requested plot size, vector contours and traces', () => {
    s().setShowContours(true);
    s().traceAtom(r.atoms[0]);
    const fig = mapFigureOf(s(), 400, 300)!;
    const svg = fig.svg();
    const x = checkXml(svg);
    expect(x.counts.image).toBe(1);
    expect(x.attrs.filter((a) => a.attrs.class === 'contour').length).toBeGreaterThan(5);
    expect(x.attrs.filter((a) => a.attrs.class === 'trace')).toHaveLength(1);
    expect(x.counts.line).toBeGreaterThanOrEqual(478); // 479 frames -> 478 trace segments (+ axis ticks)
    const img = x.attrs.find((a) => a.tag === 'image')!;
    const png = Buffer.from(img.attrs.href.replace('data:image/png;base64,', ''), 'base64');
    // plot area (figure minus MAP_MARGIN) at MAP_RASTER_SCALE = 2 pixels per unit
    expect(png.readUInt32BE(16)).toBe(2 * (400 - 60 - 16));
    expect(png.readUInt32BE(20)).toBe(2 * (300 - 16 - 44));
    s().clearTraces();
    s().setShowContours(false);
  });

  it('LENS time series: a faint line per atom, the histogram', () => {
    const x = checkXml(timeseriesFigureOf(s(), 500, 300)!.svg());
    expect(x.counts.path).toBeGreaterThanOrEqual(900);
    expect(x.attrs.filter((a) => a.attrs.class === 'hist').length).toBeGreaterThan(10);
  });
});

describe('checkXml rejects malformed documents', () => {
  it.each([
    ['<svg><g></svg>'], ['<svg a="1" a="2"/>'], ['<svg>&nbsp;</svg>'], ['<svg/><svg/>'], ['<svg b=1/>'], ['<svg><g></g>'],
  ])('%s', (doc) => { expect(() => checkXml(doc)).toThrow(); });
});

describe('PNG encoder', () => {
  it('writes IHDR with the size and IDAT that inflates to the filtered rows', () => {
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => i * 7);
    const png = Buffer.from(encodePng(rgba, 3, 2));
    expect(png.readUInt32BE(16)).toBe(3);
    expect(png.readUInt32BE(20)).toBe(2);
    const len = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('latin1')).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + len));
    expect(raw.length).toBe(2 * (3 * 4 + 1));
    expect(Array.from(raw.subarray(1, 13))).toEqual(Array.from(rgba.subarray(0, 12)));
  });
});

describe('CSV and JSON exports', () => {
  it('rows CSV: header and one line per row', () => {
    const r = smallResults(2, 3, [4, 9]);
    const lines = rowsCsv(r).trim().split('\n');
    expect(lines[0]).toBe('frame,atom,cluster,macro,lens,pc1,pc2');
    expect(lines).toHaveLength(7);
    // row 3 = frame j 1 (trajectory frame 2), atom a 1 (trajectory atom 9): scores (1.1, 0.95)
    expect(lines[4].split(',')).toEqual(['2', '9', String(r.analysis.cluster.labels[3]), String(r.analysis.macro.labels[3]), String(r.lens![3]), '1.1', '0.95']);
    expect(matrixCsv([1, 2, 3, 4], 2, ['a', 'b'])).toBe('from\\to,a,b\na,1,2\nb,3,4\n');
    expect(JSON.parse(recipeJson(r))).toEqual(r.recipe);
  });
});
