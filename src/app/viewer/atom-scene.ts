import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { createImpostors, type ImpostorSet } from './impostor.ts';
import { pickSphere } from './pick.ts';

export const BACKGROUND = 0x14171c;
const CELL_COLOUR = 0x8fa3bf;
const FOV_DEG = 35;
/** Default view direction (from target to camera), z up: a tilted look at the xz face. */
const VIEW_DIR = new THREE.Vector3(0.55, -1.6, 0.75).normalize();

/** Per-atom highlight flags understood by the impostor shader. */
export const FLAG_NORMAL = 0;
export const FLAG_DIMMED = 1;
export const FLAG_HOVERED = 2;
export const FLAG_PICKED = 3;

/**
 * The imperative three.js scene behind the 3D view: one impostor set for all atoms, the cell as
 * line segments, orbit controls, CPU picking. It knows nothing about the store; the React view
 * feeds it. Positions are stored relative to `centre` in float32 (fine at Å scale once centred).
 * Renders on demand only (controls, data changes), never in a free-running loop.
 */
export class AtomScene {
  readonly renderer: THREE.WebGLRenderer;
  readonly camera: THREE.PerspectiveCamera;
  readonly controls: OrbitControls;
  private readonly scene = new THREE.Scene();
  private imp: ImpostorSet | null = null;
  private readonly cellGeometry = new THREE.BufferGeometry();
  private readonly cellLines: THREE.LineSegments;
  private readonly centre = new Float64Array(3);
  private n = 0;
  private scale = 1;
  private hasPositions = false;
  private frameRequested = 0;
  private readonly ray = new THREE.Raycaster();

  constructor(readonly canvas: HTMLCanvasElement) {
    // preserveDrawingBuffer: screenshots and PNG export read the canvas after the frame
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, globalThis.devicePixelRatio || 1));
    this.renderer.setClearColor(BACKGROUND, 1);
    this.camera = new THREE.PerspectiveCamera(FOV_DEG, 1, 0.1, 1000);
    this.camera.up.set(0, 0, 1);
    this.camera.position.copy(VIEW_DIR).multiplyScalar(50);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.screenSpacePanning = true;
    this.controls.addEventListener('change', () => this.requestRender());
    this.cellGeometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(24 * 3), 3));
    this.cellLines = new THREE.LineSegments(this.cellGeometry, new THREE.LineBasicMaterial({ color: CELL_COLOUR }));
    this.cellLines.frustumCulled = false;
    this.cellLines.visible = false;
    this.scene.add(this.cellLines);
  }

  get atomCount(): number { return this.n; }

  /** (Re)allocates the instance buffers for n atoms with their base radii (Å). */
  setAtoms(n: number, radii: Float32Array): void {
    if (this.imp && this.n !== n) {
      this.scene.remove(this.imp.mesh);
      this.imp.geometry.dispose();
      this.imp.material.dispose();
      this.imp = null;
    }
    if (!this.imp) {
      this.imp = createImpostors(n);
      this.imp.material.uniforms.uScale.value = this.scale;
      this.scene.add(this.imp.mesh);
    }
    this.n = n;
    (this.imp.radius.array as Float32Array).set(radii);
    this.imp.radius.needsUpdate = true;
    (this.imp.flag.array as Float32Array).fill(FLAG_NORMAL);
    this.imp.flag.needsUpdate = true;
    this.hasPositions = false;
    this.requestRender();
  }

  /** Sets the point shown at the world origin (Å); call before the first setPositions. */
  setCentre(x: number, y: number, z: number): void {
    this.centre[0] = x; this.centre[1] = y; this.centre[2] = z;
  }

  /** Writes 3N positions (Å) into the instance buffer in place. */
  setPositions(p: Float64Array): void {
    if (!this.imp || p.length !== 3 * this.n) return;
    const a = this.imp.pos.array as Float32Array;
    const [cx, cy, cz] = this.centre;
    for (let i = 0; i < this.n; i++) {
      a[3 * i] = p[3 * i] - cx;
      a[3 * i + 1] = p[3 * i + 1] - cy;
      a[3 * i + 2] = p[3 * i + 2] - cz;
    }
    this.imp.pos.needsUpdate = true;
    this.hasPositions = true;
    this.requestRender();
  }

  /** Copies 3N RGB values in [0, 1] into the instance buffer. */
  setColours(rgb: Float32Array): void {
    if (!this.imp || rgb.length !== 3 * this.n) return;
    (this.imp.color.array as Float32Array).set(rgb);
    this.imp.color.needsUpdate = true;
    this.requestRender();
  }

  /** Copies N highlight flags (FLAG_*) into the instance buffer. */
  setFlags(flags: Float32Array): void {
    if (!this.imp || flags.length !== this.n) return;
    (this.imp.flag.array as Float32Array).set(flags);
    this.imp.flag.needsUpdate = true;
    this.requestRender();
  }

  setScale(s: number): void {
    this.scale = s;
    if (this.imp) this.imp.material.uniforms.uScale.value = s;
    this.requestRender();
  }

  /** Draws the cell spanned by rows a, b, c of `cell` from `origin` (Å); null hides it. */
  setCell(cell: Float64Array | null, origin: Float64Array | null = null): void {
    if (!cell) {
      this.cellLines.visible = false;
      this.requestRender();
      return;
    }
    const o = [(origin?.[0] ?? 0) - this.centre[0], (origin?.[1] ?? 0) - this.centre[1], (origin?.[2] ?? 0) - this.centre[2]];
    const corner = (i: number, j: number, k: number, out: Float32Array, at: number) => {
      for (let d = 0; d < 3; d++) out[at + d] = o[d] + i * cell[d] + j * cell[3 + d] + k * cell[6 + d];
    };
    const attr = this.cellGeometry.getAttribute('position') as THREE.BufferAttribute;
    const a = attr.array as Float32Array;
    let w = 0;
    // the 12 edges: 4 along each lattice vector
    for (let axis = 0; axis < 3; axis++) {
      for (let u = 0; u < 2; u++) {
        for (let v = 0; v < 2; v++) {
          const s = [0, 0, 0];
          s[(axis + 1) % 3] = u;
          s[(axis + 2) % 3] = v;
          corner(s[0], s[1], s[2], a, w); w += 3;
          s[axis] = 1;
          corner(s[0], s[1], s[2], a, w); w += 3;
        }
      }
    }
    attr.needsUpdate = true;
    this.cellLines.visible = true;
    this.requestRender();
  }

  /** Points the camera at everything (atoms and cell) from the default direction. */
  resetView(): void {
    const box = new THREE.Box3();
    if (this.imp && this.hasPositions) {
      const a = this.imp.pos.array as Float32Array;
      const v = new THREE.Vector3();
      for (let i = 0; i < this.n; i++) box.expandByPoint(v.set(a[3 * i], a[3 * i + 1], a[3 * i + 2]));
    }
    if (this.cellLines.visible) box.expandByObject(this.cellLines);
    if (box.isEmpty()) box.set(new THREE.Vector3(-10, -10, -10), new THREE.Vector3(10, 10, 10));
    const sphere = box.getBoundingSphere(new THREE.Sphere());
    const r = Math.max(sphere.radius, 2) + 2 * this.scale;
    const halfV = (FOV_DEG * Math.PI) / 360;
    const halfH = Math.atan(Math.tan(halfV) * this.camera.aspect);
    const dist = (r / Math.sin(Math.min(halfV, halfH))) * 1.02;
    this.controls.target.copy(sphere.center);
    this.camera.position.copy(sphere.center).addScaledVector(VIEW_DIR, dist);
    this.camera.up.set(0, 0, 1);
    this.controls.update();
    this.requestRender();
  }

  /**
   * Atom under the canvas point (x, y in CSS pixels from the canvas's top left), or null: a CPU
   * ray-sphere test over all instances, nearest hit wins (about 1 ms for 100,000 atoms).
   */
  pick(x: number, y: number): number | null {
    if (!this.imp || !this.hasPositions) return null;
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2((x / rect.width) * 2 - 1, -(y / rect.height) * 2 + 1);
    this.ray.setFromCamera(ndc, this.camera);
    const { origin: o, direction: d } = this.ray.ray;
    const i = pickSphere(this.imp.pos.array as Float32Array, this.imp.radius.array as Float32Array, this.scale, this.n,
      o.x, o.y, o.z, d.x, d.y, d.z);
    return i < 0 ? null : i;
  }

  resize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = requestAnimationFrame(() => {
      this.frameRequested = 0;
      this.render();
    });
  }

  render(): void {
    const dist = this.camera.position.distanceTo(this.controls.target);
    this.camera.near = Math.max(0.01, dist * 0.01);
    this.camera.far = dist * 20 + 1000;
    this.camera.updateProjectionMatrix();
    this.renderer.render(this.scene, this.camera);
  }

  dispose(): void {
    if (this.frameRequested) cancelAnimationFrame(this.frameRequested);
    this.controls.dispose();
    if (this.imp) { this.imp.geometry.dispose(); this.imp.material.dispose(); }
    this.cellGeometry.dispose();
    this.renderer.dispose();
  }
}
