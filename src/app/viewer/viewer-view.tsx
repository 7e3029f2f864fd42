import { useEffect, useRef } from 'react';
import { appStore, useApp, type AppState } from '../store.ts';
import { coloursFollowFrame, elementRadius, fillAtomColours } from '../colours.ts';
import { AtomScene, FLAG_DIMMED, FLAG_HOVERED, FLAG_NORMAL, FLAG_PICKED } from './atom-scene.ts';

/** Pointer travel (CSS px) below which a press-release counts as a click, not an orbit drag. */
const CLICK_SLOP_PX = 4;

function centreOf(s: AppState): [number, number, number] {
  const f = s.frame!;
  if (f.cell) {
    const o = f.origin ?? [0, 0, 0];
    const c = f.cell;
    return [o[0] + (c[0] + c[3] + c[6]) / 2, o[1] + (c[1] + c[4] + c[7]) / 2, o[2] + (c[2] + c[5] + c[8]) / 2];
  }
  const p = f.positions;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 3) {
    for (let d = 0; d < 3; d++) {
      const x = p[i + d];
      if (x < lo[d]) lo[d] = x;
      if (x > hi[d]) hi[d] = x;
    }
  }
  return lo[0] <= hi[0] ? [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2] : [0, 0, 0];
}

/** Species and id of the atom under the pointer, next to it. */
function HoverTip() {
  const t = useApp((s) => s.trajectory);
  const i = useApp((s) => s.hovered);
  if (!t || i === null || i >= t.nAtoms) return null;
  return <span>{t.species[i]} · id {t.ids[i]}</span>;
}

/**
 * The 3D view. React renders only the canvas and its buttons; the AtomScene is fed from store
 * subscriptions (transient updates), so new frames, colours and highlights write instance buffers
 * without re-rendering React.
 */
export function ViewerView() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const sceneRef = useRef<AtomScene | null>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const empty = useApp((s) => s.trajectory === null);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const scene = new AtomScene(canvas);
    sceneRef.current = scene;
    let colours = new Float32Array(0);
    let flags = new Float32Array(0);
    let framed = false; // camera fitted to this trajectory yet?

    const recolour = (s: AppState) => {
      if (!s.trajectory) return;
      fillAtomColours(colours, {
        trajectory: s.trajectory, colourBy: s.colourBy, frame: s.frame, frameIndex: s.frameShown,
        layers: s.layers, range: s.colourRange,
      });
      scene.setColours(colours);
    };
    const reflag = (s: AppState) => {
      const n = flags.length;
      flags.fill(s.selected ? FLAG_DIMMED : FLAG_NORMAL);
      if (s.selected) for (let i = 0; i < n; i++) if (s.selected[i]) flags[i] = FLAG_NORMAL;
      if (s.hovered !== null && s.hovered < n) flags[s.hovered] = FLAG_HOVERED;
      if (s.picked !== null && s.picked < n) flags[s.picked] = FLAG_PICKED;
      scene.setFlags(flags);
    };

    const apply = (s: AppState, prev: AppState | null) => {
      const t = s.trajectory;
      const newTraj = t !== prev?.trajectory;
      if (newTraj && t) {
        const radii = new Float32Array(t.nAtoms);
        for (let i = 0; i < t.nAtoms; i++) radii[i] = elementRadius(t.species[i]);
        scene.setAtoms(t.nAtoms, radii);
        colours = new Float32Array(3 * t.nAtoms);
        flags = new Float32Array(t.nAtoms);
        framed = false;
      }
      if (!t) return;
      const newFrame = s.frame !== prev?.frame || newTraj;
      if (newFrame && s.frame) {
        if (!framed) {
          const c = centreOf(s);
          scene.setCentre(c[0], c[1], c[2]);
        }
        scene.setCell(s.frame.cell, s.frame.origin ?? null);
        scene.setPositions(s.frame.positions);
        if (!framed) { scene.resetView(); framed = true; }
      }
      if (newTraj || s.colourBy !== prev?.colourBy || s.layers !== prev?.layers || s.colourRange !== prev?.colourRange
        || (newFrame && coloursFollowFrame(s.colourBy))) recolour(s);
      if (newTraj || s.hovered !== prev?.hovered || s.picked !== prev?.picked || s.selected !== prev?.selected) reflag(s);
      if (s.atomScale !== prev?.atomScale) scene.setScale(s.atomScale);
    };
    apply(appStore.getState(), null);
    const unsubscribe = appStore.subscribe(apply);

    const box = canvas.parentElement!;
    const ro = new ResizeObserver(() => scene.resize(box.clientWidth, box.clientHeight));
    ro.observe(box);
    scene.resize(box.clientWidth, box.clientHeight);

    // picking: hover is throttled to one ray test per animation frame
    let hoverAt: [number, number] | null = null;
    let hoverRaf = 0;
    let down: [number, number] | null = null;
    const local = (e: PointerEvent): [number, number] => {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    const onMove = (e: PointerEvent) => {
      hoverAt = local(e);
      // the tooltip follows the pointer by style only: no React render per mouse move
      if (tipRef.current) tipRef.current.style.transform = `translate(${hoverAt[0] + 14}px, ${hoverAt[1] + 14}px)`;
      if (hoverRaf) return;
      hoverRaf = requestAnimationFrame(() => {
        hoverRaf = 0;
        if (hoverAt) appStore.getState().setHovered(scene.pick(hoverAt[0], hoverAt[1]));
      });
    };
    const onLeave = () => { hoverAt = null; appStore.getState().setHovered(null); };
    const onDown = (e: PointerEvent) => { down = local(e); };
    const onUp = (e: PointerEvent) => {
      if (!down) return;
      const [x, y] = local(e);
      if (Math.hypot(x - down[0], y - down[1]) <= CLICK_SLOP_PX) appStore.getState().setPicked(scene.pick(x, y));
      down = null;
    };
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerleave', onLeave);
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointerup', onUp);

    return () => {
      unsubscribe();
      ro.disconnect();
      if (hoverRaf) cancelAnimationFrame(hoverRaf);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerleave', onLeave);
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointerup', onUp);
      scene.dispose();
      sceneRef.current = null;
    };
  }, []);

  return (
    <div className="viewer">
      <canvas ref={canvasRef} className="viewer-canvas" data-testid="atoms-canvas" aria-label="3D view of the atoms" />
      {empty && (
        <div className="viewer-empty">
          <p>Drop trajectory files here, or use <strong>Open example</strong> or <strong>Open files…</strong> above.</p>
          <p className="muted">Extended XYZ, XYZ, LAMMPS dump and data, GRO, PDB, XTC, TRR, DCD (.gz and .bz2 too).
            Files are read in your browser and never uploaded.</p>
        </div>
      )}
      <div ref={tipRef} className="hover-tip"><HoverTip /></div>
      <div className="viewer-tools">
        <button type="button" onClick={() => sceneRef.current?.resetView()} disabled={empty} title="Fit everything in view">Reset view</button>
      </div>
    </div>
  );
}
