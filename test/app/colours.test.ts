import { describe, expect, it } from 'vitest';
import { categoryColour, elementColour, fillAtomColours, legendOf, MISSING, scaleColour, finiteRange } from '../../src/app/colours.ts';
import type { ColourBy } from '../../src/app/store.ts';
import { frame, traj } from './fixtures.ts';

const VIRIDIS_FIRST = [0x44 / 255, 0x01 / 255, 0x54 / 255];
const VIRIDIS_LAST = [0xfd / 255, 0xe7 / 255, 0x25 / 255];

describe('colours', () => {
  it('uses CPK-like element colours (O red, H white, Cu copper)', () => {
    expect(elementColour('O')).toEqual([1, 13 / 255, 13 / 255]);
    expect(elementColour('H')).toEqual([1, 1, 1]);
    expect(elementColour('Cu')).toEqual([200 / 255, 128 / 255, 51 / 255]);
  });

  it('maps the ends of the continuous scale to its end stops, clamps outside, NaN to missing', () => {
    expect(scaleColour(0)).toEqual(VIRIDIS_FIRST);
    expect(scaleColour(1)).toEqual(VIRIDIS_LAST);
    expect(scaleColour(-3)).toEqual(VIRIDIS_FIRST);
    expect(scaleColour(7)).toEqual(VIRIDIS_LAST);
    expect(scaleColour(Number.NaN)).toEqual(MISSING);
  });

  it('ignores NaN in ranges', () => {
    expect(finiteRange([Number.NaN, 2, -1])).toEqual([-1, 2]);
    expect(finiteRange([Number.NaN])).toBeNull();
  });

  it('fills species colours per atom and lists them in the legend', () => {
    const t = traj(1);
    const out = new Float32Array(9);
    const inp = { trajectory: t, colourBy: { kind: 'species' } as ColourBy, frame: null, frameIndex: 0, layers: {}, range: null };
    fillAtomColours(out, inp);
    expect([...out.subarray(0, 3)]).toEqual([...Float32Array.from(elementColour('O'))]);
    expect([...out.subarray(6, 9)]).toEqual([1, 1, 1]);
    expect(legendOf(inp)).toEqual({ kind: 'categorical', title: 'Species', items: [{ label: 'O', colour: elementColour('O') }, { label: 'H', colour: elementColour('H') }] });
  });

  it('colours a property over the given range, and shows missing without a frame', () => {
    const t = traj(1, { propertyNames: ['q'] });
    const out = new Float32Array(9);
    const colourBy: ColourBy = { kind: 'property', name: 'q' };
    fillAtomColours(out, { trajectory: t, colourBy, frame: frame(0, 3, [0, 5, 10]), frameIndex: 0, layers: {}, range: [0, 10] });
    expect([...out.subarray(0, 3)]).toEqual([...Float32Array.from(VIRIDIS_FIRST)]);
    expect([...out.subarray(6, 9)]).toEqual([...Float32Array.from(VIRIDIS_LAST)]);
    expect(legendOf({ trajectory: t, colourBy, frame: null, frameIndex: 0, layers: {}, range: [0, 10] }))
      .toEqual({ kind: 'continuous', title: 'q', min: 0, max: 10 });
    fillAtomColours(out, { trajectory: t, colourBy, frame: null, frameIndex: 0, layers: {}, range: null });
    expect([...out.subarray(3, 6)]).toEqual([...Float32Array.from(MISSING)]);
  });

  it('colours a categorical layer by label for the frames it covers', () => {
    const t = traj(1);
    const layer = { id: 'cl', label: 'cluster', kind: 'categorical' as const, nAtoms: 3, frames: Int32Array.from([2]), values: Float32Array.from([0, 2, 1]) };
    const out = new Float32Array(9);
    const inp = { trajectory: t, colourBy: { kind: 'layer', id: 'cl' } as ColourBy, frame: null, frameIndex: 2, layers: { cl: layer }, range: null };
    fillAtomColours(out, inp);
    expect([...out.subarray(3, 6)]).toEqual([...Float32Array.from(categoryColour(2))]);
    expect(legendOf(inp).kind === 'categorical' && legendOf(inp)).toMatchObject({ items: [{ label: '0' }, { label: '1' }, { label: '2' }] });
    fillAtomColours(out, { ...inp, frameIndex: 0 });
    expect([...out.subarray(0, 3)]).toEqual([...Float32Array.from(MISSING)]);
  });
});
