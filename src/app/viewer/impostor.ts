import * as THREE from 'three';

/**
 * Sphere impostors: every atom is one camera-facing quad of one InstancedBufferGeometry (a single
 * draw call), and the fragment shader ray-casts the sphere, shades it and writes its true depth so
 * spheres intersect correctly. Per-instance attributes: iPos (vec3), iColor (vec3), iRadius, iFlag
 * (0 normal, 1 dimmed, 2 hovered, 3 picked).
 */

// 1.3: a sphere 30 degrees off axis projects about 1/cos(30) = 1.15 times wider than on axis
const QUAD_MARGIN = '1.3';

const VERTEX = /* glsl */ `
#define QUAD_MARGIN ${QUAD_MARGIN}
attribute vec3 iPos;
attribute vec3 iColor;
attribute float iRadius;
attribute float iFlag;
uniform float uScale;
varying vec3 vColor;
varying vec3 vCenter;
varying vec3 vPoint;
varying float vRadius;
varying float vFlag;
void main() {
  vec4 c = modelViewMatrix * vec4(iPos, 1.0);
  float r = iRadius * uScale;
  // the quad lies in the sphere's centre plane, enlarged so the perspective silhouette (wider off
  // axis and close to the eye) stays inside it
  float d = max(length(c.xyz), 1e-3);
  float grow = 1.0 / sqrt(max(1.0 - (r * r) / (d * d), 0.01));
  vec3 p = c.xyz + vec3(position.xy * r * QUAD_MARGIN * grow, 0.0);
  vColor = iColor;
  vCenter = c.xyz;
  vPoint = p;
  vRadius = r;
  vFlag = iFlag;
  gl_Position = projectionMatrix * vec4(p, 1.0);
}
`;

const FRAGMENT = /* glsl */ `
uniform mat4 projectionMatrix;
varying vec3 vColor;
varying vec3 vCenter;
varying vec3 vPoint;
varying float vRadius;
varying float vFlag;
void main() {
  // ray from the eye (the view-space origin) through this fragment
  vec3 rd = normalize(vPoint);
  vec3 oc = -vCenter;
  float b = dot(oc, rd);
  float c = dot(oc, oc) - vRadius * vRadius;
  float h = b * b - c;
  if (h < 0.0) discard;
  float s = sqrt(h);
  float t = -b - s;
  vec3 hit = rd * t;
  vec3 n = normalize(hit - vCenter);
  vec4 clip = projectionMatrix * vec4(hit, 1.0);
  gl_FragDepth = 0.5 * (clip.z / clip.w) + 0.5;

  vec3 L = normalize(vec3(0.35, 0.45, 1.0));
  float diff = max(dot(n, L), 0.0);
  float spec = pow(max(dot(reflect(-L, n), -rd), 0.0), 48.0);
  vec3 base = vColor;
  if (vFlag > 0.5 && vFlag < 1.5) base = mix(base, vec3(0.35), 0.7);
  // hovered atoms are lightened, the picked atom tinted magenta; both get a bright rim
  if (vFlag > 2.5) base = mix(base, vec3(1.0, 0.2, 0.85), 0.6);
  else if (vFlag > 1.5) base = mix(base, vec3(1.0), 0.4);
  vec3 col = base * (0.32 + 0.68 * diff) + vec3(0.28) * spec;
  float rim = 1.0 - abs(dot(n, -rd));
  if (vFlag > 1.5) col = mix(col, vFlag > 2.5 ? vec3(1.0, 0.45, 0.95) : vec3(1.0), smoothstep(0.35, 0.75, rim));
  gl_FragColor = vec4(col, 1.0);
}
`;

export interface ImpostorSet {
  mesh: THREE.Mesh;
  geometry: THREE.InstancedBufferGeometry;
  material: THREE.ShaderMaterial;
  pos: THREE.InstancedBufferAttribute;
  color: THREE.InstancedBufferAttribute;
  radius: THREE.InstancedBufferAttribute;
  flag: THREE.InstancedBufferAttribute;
}

/** One instanced impostor set for n atoms; buffers are written in place afterwards. */
export function createImpostors(n: number): ImpostorSet {
  const geometry = new THREE.InstancedBufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0]), 3));
  geometry.setIndex([0, 1, 2, 0, 2, 3]);
  const pos = new THREE.InstancedBufferAttribute(new Float32Array(3 * n), 3);
  const color = new THREE.InstancedBufferAttribute(new Float32Array(3 * n), 3);
  const radius = new THREE.InstancedBufferAttribute(new Float32Array(n), 1);
  const flag = new THREE.InstancedBufferAttribute(new Float32Array(n), 1);
  pos.setUsage(THREE.DynamicDrawUsage);
  color.setUsage(THREE.DynamicDrawUsage);
  flag.setUsage(THREE.DynamicDrawUsage);
  geometry.setAttribute('iPos', pos);
  geometry.setAttribute('iColor', color);
  geometry.setAttribute('iRadius', radius);
  geometry.setAttribute('iFlag', flag);
  geometry.instanceCount = n;
  const material = new THREE.ShaderMaterial({
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
    uniforms: { uScale: { value: 1 } },
  });
  const mesh = new THREE.Mesh(geometry, material);
  // instances move every frame and the quad's own bounds say nothing about them
  mesh.frustumCulled = false;
  return { mesh, geometry, material, pos, color, radius, flag };
}
