import { beforeEach, describe, expect, it } from 'vitest';
import { createAppStore, type AppState } from '../../src/app/store.ts';
import type { StoreApi } from 'zustand/vanilla';
import { frame, traj } from './fixtures.ts';

let store: StoreApi<AppState>;
const st = () => store.getState();
beforeEach(() => { store = createAppStore(); });

describe('trajectory slice', () => {
  it('installs a trajectory at frame 0 with selection and playback reset', () => {
    st().setTrajectory(traj(1));
    st().setFrameIndex(2);
    st().setPicked(1);
    st().setHovered(0);
    st().setPlaying(true);
    st().setTrajectory(traj(2, { nAtoms: 3 }));
    expect(st().trajectory?.handle).toBe(2);
    expect(st().trajectoryVersion).toBe(2);
    expect([st().frameIndex, st().frameShown, st().frame, st().playing]).toEqual([0, -1, null, false]);
    expect([st().hovered, st().picked, st().selected]).toEqual([null, null, null]);
  });

  it('counts species in first-seen order', () => {
    st().setTrajectory(traj(1, { nAtoms: 5, species: ['H', 'O', 'H', 'C', 'H'], ids: Int32Array.from([1, 2, 3, 4, 5]) }));
    expect(st().trajectory?.speciesCounts).toEqual([['H', 3], ['O', 1], ['C', 1]]);
  });

  it('colours by type when no atom has a known element and types exist, else by species', () => {
    st().setTrajectory(traj(1, { species: ['X', 'X', 'X'], types: ['1', '2', '1'] }));
    expect(st().colourBy).toEqual({ kind: 'type' });
    st().setTrajectory(traj(2));
    expect(st().colourBy).toEqual({ kind: 'species' });
  });

  it('keeps a property colouring across trajectories that have the property, drops it otherwise', () => {
    st().setTrajectory(traj(1, { propertyNames: ['q'] }));
    st().setColourBy({ kind: 'property', name: 'q' });
    st().setTrajectory(traj(2, { propertyNames: ['q'] }));
    expect(st().colourBy).toEqual({ kind: 'property', name: 'q' });
    st().setTrajectory(traj(3));
    expect(st().colourBy).toEqual({ kind: 'species' });
  });
});

describe('playback slice', () => {
  it('clamps and rounds the requested frame', () => {
    st().setTrajectory(traj(1)); // 4 frames
    st().setFrameIndex(7);
    expect(st().frameIndex).toBe(3);
    st().setFrameIndex(-2);
    expect(st().frameIndex).toBe(0);
    st().setFrameIndex(1.6);
    expect(st().frameIndex).toBe(2);
    st().setFrameIndex(Number.NaN);
    expect(st().frameIndex).toBe(0);
  });

  it('steps by one and stops playing when stepping', () => {
    st().setTrajectory(traj(1));
    st().setPlaying(true);
    st().stepFrame(1);
    expect(st().frameIndex).toBe(1);
    expect(st().playing).toBe(false);
    st().stepFrame(-5);
    expect(st().frameIndex).toBe(0);
  });

  it('does not play a single-frame trajectory, or nothing at all', () => {
    st().setPlaying(true);
    expect(st().playing).toBe(false);
    st().setTrajectory(traj(1, { nFrames: 1 }));
    st().togglePlaying();
    expect(st().playing).toBe(false);
    st().setTrajectory(traj(2));
    st().togglePlaying();
    expect(st().playing).toBe(true);
  });

  it('clamps the speed to [MIN_FPS, MAX_FPS]', () => {
    st().setFps(1000);
    expect(st().fps).toBe(60);
    st().setFps(0);
    expect(st().fps).toBe(1);
  });

  it('accepts a frame only for the current trajectory and the right atom count', () => {
    st().setTrajectory(traj(5));
    st().receiveFrame(4, 0, frame(0));
    expect(st().frame).toBeNull();
    st().receiveFrame(5, 0, frame(0, 2));
    expect(st().frame).toBeNull();
    const f = frame(2);
    st().receiveFrame(5, 2, f);
    expect(st().frame).toBe(f);
    expect(st().frameShown).toBe(2);
  });
});

describe('colouring slice', () => {
  it('takes the property range from the frame shown and widens it as frames arrive', () => {
    st().setTrajectory(traj(1, { propertyNames: ['q'] }));
    st().receiveFrame(1, 0, frame(0, 3, [0.5, 2, 1]));
    st().setColourBy({ kind: 'property', name: 'q' });
    expect(st().colourRange).toEqual([0.5, 2]);
    const before = st().colourRange;
    st().receiveFrame(1, 1, frame(1, 3, [1, 1.5, 0.75])); // inside: same array, no notification
    expect(st().colourRange).toBe(before);
    st().receiveFrame(1, 2, frame(2, 3, [-1, Number.NaN, 3]));
    expect(st().colourRange).toEqual([-1, 3]);
    st().setColourBy({ kind: 'species' });
    expect(st().colourRange).toBeNull();
  });

  it('checks layer shapes, fills a missing range, and falls back to species when a shown layer goes', () => {
    st().setTrajectory(traj(1));
    expect(() => st().addLayer({ id: 'lens', label: 'LENS', kind: 'continuous', nAtoms: 2, frames: Int32Array.from([0]), values: new Float32Array(2) }))
      .toThrow(RangeError);
    expect(() => st().addLayer({ id: 'lens', label: 'LENS', kind: 'continuous', nAtoms: 3, frames: Int32Array.from([0, 1]), values: new Float32Array(3) }))
      .toThrow(RangeError);
    st().addLayer({ id: 'lens', label: 'LENS', kind: 'continuous', nAtoms: 3, frames: Int32Array.from([0, 1]),
      values: Float32Array.from([0, 0.25, 0.5, 0.125, 0.75, 0]) });
    expect(st().layers.lens.range).toEqual([0, 0.75]);
    st().setColourBy({ kind: 'layer', id: 'lens' });
    st().removeLayer('lens');
    expect(st().layers).toEqual({});
    expect(st().colourBy).toEqual({ kind: 'species' });
  });

  it('clamps the atom scale', () => {
    st().setAtomScale(100);
    expect(st().atomScale).toBe(3);
    st().setAtomScale(0);
    expect(st().atomScale).toBe(0.1);
  });
});

describe('selection slice', () => {
  it('replaces the mask and rejects a mask of the wrong length', () => {
    st().setTrajectory(traj(1));
    const m = Uint8Array.from([1, 0, 1]);
    st().setSelection(m);
    expect(st().selected).toBe(m);
    expect(() => st().setSelection(new Uint8Array(4))).toThrow(RangeError);
    st().setSelection(null);
    expect(st().selected).toBeNull();
  });

  it('does not notify when the hovered atom is unchanged', () => {
    st().setTrajectory(traj(1));
    let calls = 0;
    const un = store.subscribe(() => { calls++; });
    st().setHovered(1);
    st().setHovered(1);
    un();
    expect(calls).toBe(1);
  });
});

describe('jobs and errors slices', () => {
  it('tracks a job from start to end', () => {
    let cancelled = 0;
    const id = st().startJob('Reading a.xyz', () => { cancelled++; });
    st().updateJob(id, { stage: 'indexing', done: 5, total: 10 });
    expect(st().jobs).toHaveLength(1);
    expect(st().jobs[0].progress).toEqual({ stage: 'indexing', done: 5, total: 10 });
    st().jobs[0].cancel?.();
    expect(cancelled).toBe(1);
    st().endJob(id);
    st().updateJob(id, { stage: 'late', done: 1, total: 1 }); // after the end: ignored
    expect(st().jobs).toEqual([]);
  });

  it('shows a FormatError from plain worker data with file, line, expected and found', () => {
    const id = st().pushError({ kind: 'FormatError', file: 'bad.xyz', at: { line: 12 }, expected: 'a number for x', found: '"abc"' });
    const e = st().errors[0];
    expect(e).toMatchObject({ id, title: 'Could not read bad.xyz', file: 'bad.xyz', place: 'line 12', expected: 'a number for x', found: '"abc"' });
    expect(e.message).toBe('bad.xyz (line 12): expected a number for x, found "abc"');
    st().pushError(new Error('boom'), 'Could not download example');
    expect(st().errors[1]).toMatchObject({ title: 'Could not download example', message: 'boom' });
    st().pushError({ kind: 'Cancelled', message: 'cancelled' });
    expect(st().errors[2].cancelled).toBe(true);
    st().dismissError(id);
    expect(st().errors.map((x) => x.id)).not.toContain(id);
    expect(st().errors).toHaveLength(2);
  });
});
