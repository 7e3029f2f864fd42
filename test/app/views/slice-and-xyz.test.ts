import { describe, expect, it } from 'vitest';
import { createAppStore, loadedTrajectory } from '../../../src/app/store.ts';
import type { ViewsState } from '../../../src/app/views/views-slice.ts';
import { currentMacro } from '../../../src/app/views/views-slice.ts';
import { labelledExtxyz } from '../../../src/app/export/data-export.ts';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { bytesSource } from '../../../src/core/io/source.ts';
import type { Trajectory, FrameData } from '../../../src/core/trajectory.ts';
import { cuResults, smallResults } from './views-fixtures.ts';

function storeWith(nTrajAtoms: number, nTrajFrames: number) {
  const store = createAppStore();
  store.getState().setTrajectory(loadedTrajectory({ name: 't', format: 'xyz', nAtoms: nTrajAtoms, nFrames: nTrajFrames, species: Array(nTrajAtoms).fill('Cu'),
    ids: Int32Array.from({ length: nTrajAtoms }, (_, i) => i + 1), pbc: [true, true, true], propertyNames: [] }, 1, []));
  return store;
}

describe('views slice', () => {
  it('brush -> per-atom selection of the current frame, follows the frame, invert, named sets, reset on new results', () => {
    const store = storeWith(10, 8);
    const s = () => store.getState() as ViewsState;
    const r = smallResults(4, 5, [1, 3, 6, 9]); // trajectory frames 1..5
    s().setResults(r);
    const brush = new Uint8Array(20);
    brush[1 * 4 + 0] = 1; brush[1 * 4 + 3] = 1; brush[2 * 4 + 2] = 1; // frame j 1 (traj 2): atoms 1, 9; j 2 (traj 3): atom 6
    s().setFrameIndex(2);
    s().setBrush(brush);
    expect(Array.from(s().selected!)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    s().setFrameIndex(3);
    expect(Array.from(s().selected!)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    s().setFrameIndex(7); // not analysed: nothing highlighted
    expect(s().selected!.reduce((a, v) => a + v, 0)).toBe(0);
    s().setFrameIndex(2);
    s().invertBrush();
    expect(s().brush!.reduce((a, v) => a + v, 0)).toBe(17);
    expect(Array.from(s().selected!)).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
    s().keepBrush('rest');
    s().setBrush(null);
    expect(s().selected).toBeNull();
    s().useSet('rest');
    expect(s().brush!.reduce((a, v) => a + v, 0)).toBe(17);
    expect(() => s().setBrush(new Uint8Array(3))).toThrow(RangeError);
    s().setResults(smallResults(4, 5, [1, 3, 6, 9]));
    expect(s().brush).toBeNull();
    expect(s().selected).toBeNull();
    expect(s().traced).toEqual([]);
  });

  it('a 3D pick traces an analysed atom, not an unanalysed one', () => {
    const store = storeWith(10, 8);
    const s = () => store.getState() as ViewsState;
    s().setResults(smallResults(4, 5, [1, 3, 6, 9]));
    s().setPicked(6);
    s().setPicked(2);
    s().setPicked(9);
    expect(s().traced).toEqual([6, 9]);
    s().untraceAtom(6);
    expect(s().traced).toEqual([9]);
  });

  it('dragging the cut re-merges the Cu(211) macro-clusters; null returns to the run', () => {
    const store = storeWith(2400, 500);
    const s = () => store.getState() as ViewsState;
    s().setResults(cuResults());
    expect(currentMacro(s())!.nMacro).toBe(6);
    s().addLayer({ id: 'macro', label: 'Macro-cluster', kind: 'categorical', nAtoms: 2400, frames: Int32Array.from(cuResults().frames),
      values: new Float32Array(479 * 2400), categories: [] });
    s().setMacroCut(1.19);
    const m = currentMacro(s())!;
    // the 3D layer now holds the re-merged labels: 3 categories, atom of row 0 in frame 10
    expect(s().layers.macro.categories).toEqual(['macro 0', 'macro 1', 'macro 2']);
    expect(s().layers.macro.values[cuResults().atoms[5]]).toBe(m.labels[5]);
    expect(m.nMacro).toBe(3);
    // merges at 1.1720 (1, 5), 1.1746 (2, 3), 1.1894 (0, 4): partition {0,4} {1,5} {2,3}
    expect(Array.from(m.microToMacro)).toEqual([0, 1, 2, 2, 0, 1]);
    let n = 0;
    for (let i = 0; i < m.labels.length; i++) if (m.labels[i] === 2) n++;
    expect(n).toBe(48153 + 47688); // soft-label counts of clusters 2 and 3 (README)
    s().setMacroCut(null);
    expect(currentMacro(s())!.nMacro).toBe(6);
    expect(() => s().setMacroCut(-1)).toThrow(RangeError);
  });
});

/** An in-memory trajectory: 5 atoms, 7 frames, orthorhombic cell, positions from a formula. */
function memoryTrajectory(): Trajectory {
  const nAtoms = 5, nFrames = 7;
  const frame = (i: number): FrameData => ({
    positions: Float64Array.from({ length: 15 }, (_, q) => 0.5 * q + 0.125 * i),
    cell: Float64Array.from([10, 0, 0, 0, 11, 0, 0, 0, 12]),
    time: i * 1.5,
  });
  return { name: 'mem', format: 'xyz', nAtoms, nFrames, species: ['Cu', 'Cu', 'Ag', 'Cu', 'Ag'], ids: Int32Array.from([1, 2, 3, 4, 5]),
    pbc: [true, true, true], propertyNames: [], readFrame: async (i) => frame(i) };
}

async function roundTrip(allAtoms: boolean) {
  const t = memoryTrajectory();
  const r = smallResults(2, 4, [1, 4]); // analysed atoms 1 and 4, trajectory frames 1..4
  let text = '';
  for await (const f of labelledExtxyz(t, r, { allAtoms })) text += f;
  const back = await openTrajectory([bytesSource('labelled.extxyz', new TextEncoder().encode(text))]);
  return { t, r, text, back };
}

describe('labelled extended XYZ (pipeline.md §12) round trip through openTrajectory', () => {
  it('analysed atoms only: species, positions, cluster, macro, lens, pc1.. per atom per frame', async () => {
    const { r, text, back } = await roundTrip(false);
    expect(text.split('\n')[1]).toMatch(/frame=1 .*Properties=species:S:1:pos:R:3:cluster:I:1:macro:I:1:lens:R:1:pc1:R:1:pc2:R:1/);
    expect(back.nFrames).toBe(4);
    expect(back.nAtoms).toBe(2);
    expect(back.species).toEqual(['Cu', 'Ag']); // trajectory atoms 1 and 4
    for (let j = 0; j < 4; j++) {
      const f = await back.readFrame(j);
      const frame = j + 1;
      for (let a = 0; a < 2; a++) {
        const atom = r.atoms[a], row = j * 2 + a;
        for (let d = 0; d < 3; d++) expect(f.positions[3 * a + d]).toBe(0.5 * (3 * atom + d) + 0.125 * frame);
        expect(f.properties!.cluster[a]).toBe(r.analysis.cluster.labels[row]);
        expect(f.properties!.macro[a]).toBe(r.analysis.macro.labels[row]);
        expect(f.properties!.lens[a]).toBe(r.lens![row]);
        expect(f.properties!.pc1[a]).toBe(r.scores[2 * row]);
        expect(f.properties!.pc2[a]).toBe(r.scores[2 * row + 1]);
      }
      expect(f.info?.frame).toBe(frame);
    }
  });

  it('all atoms: unanalysed atoms get -1 and NaN, written "nan", and read back as NaN', async () => {
    const { r, text, back } = await roundTrip(true);
    const lines = text.split('\n');
    expect(lines[0]).toBe('5');
    // atom 0 is not analysed: cluster -1, macro -1, lens/pc nan; atom 1 is analysed atom 0 (row 0 of frame j 0)
    expect(lines[2].split(/\s+/).slice(4)).toEqual(['-1', '-1', 'nan', 'nan', 'nan']);
    expect(lines[3].split(/\s+/).slice(4)).toEqual([String(r.analysis.cluster.labels[0]), String(r.analysis.macro.labels[0]), String(r.lens![0]), String(r.scores[0]), String(r.scores[1])]);
    expect(back.nAtoms).toBe(5);
    const f = await back.readFrame(0);
    expect(f.properties!.cluster[0]).toBe(-1);
    expect(Number.isNaN(f.properties!.lens[0])).toBe(true);
    expect(Number.isNaN(f.properties!.pc1[0])).toBe(true);
    expect(f.properties!.lens[1]).toBe(r.lens![0]);
    expect(f.properties!.pc1[1]).toBe(r.scores[0]);
  });
});
