/**
 * Double-double arithmetic (~32 significant digits) for small, badly conditioned matrices: the
 * polynomial SOAP overlap has cond ~1e15-1e17 (soap.md §5), so its S^(-1/2) needs extended precision.
 * A value is a pair [hi, lo] with |lo| <= ulp(hi)/2. Plan-time only: allocation is fine here.
 */
export type DD = readonly [number, number];

const SPLITTER = 134217729; // 2^27 + 1, Dekker's split

function twoSum(a: number, b: number): [number, number] {
  const s = a + b, bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}
function quickTwoSum(a: number, b: number): [number, number] {
  const s = a + b;
  return [s, b - (s - a)];
}
function split(a: number): [number, number] {
  const t = SPLITTER * a, hi = t - (t - a);
  return [hi, a - hi];
}
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const [ah, al] = split(a), [bh, bl] = split(b);
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

export const dd = (x: number): DD => [x, 0];
export function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = quickTwoSum(s, e + t);
  return quickTwoSum(s2, e2 + f);
}
export const ddNeg = (a: DD): DD => [-a[0], -a[1]];
export const ddSub = (a: DD, b: DD): DD => ddAdd(a, ddNeg(b));
export function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}
export function ddDiv(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  let r = ddSub(a, ddMul(b, dd(q1)));
  const q2 = r[0] / b[0];
  r = ddSub(r, ddMul(b, dd(q2)));
  const q3 = r[0] / b[0];
  return ddAdd(quickTwoSum(q1, q2), dd(q3));
}
export function ddSqrt(a: DD): DD {
  if (a[0] <= 0) return dd(0);
  const x = Math.sqrt(a[0]);
  // One Newton step in double-double: x + (a - x²)/(2x).
  return ddAdd(dd(x), ddDiv(ddSub(a, ddMul(dd(x), dd(x))), dd(2 * x)));
}
export const ddAbs = (a: DD): DD => (a[0] < 0 ? ddNeg(a) : a);
export const ddToNumber = (a: DD): number => a[0] + a[1];

/** Cyclic Jacobi sweeps in double-double; converges in well under this many. */
const MAX_SWEEPS = 60;

/**
 * S^(-1/2) of a symmetric positive-definite n x n matrix given in double-double (row-major), by
 * Jacobi eigen-decomposition in double-double. Returns the result in double-double.
 */
export function ddInverseSqrtSymmetric(s: DD[], n: number): DD[] {
  const m = s.slice();
  const v: DD[] = Array.from({ length: n * n }, (_, i) => dd(i % (n + 1) === 0 ? 1 : 0));
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i][0] ** 2;
      for (let j = i + 1; j < n; j++) off += m[i * n + j][0] ** 2;
    }
    if (off === 0 || off <= 1e-66 * diag) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq[0] === 0) continue;
        const theta = ddDiv(ddSub(m[q * n + q], m[p * n + p]), ddMul(dd(2), apq));
        const sgn = theta[0] < 0 ? -1 : 1;
        const t = ddDiv(dd(sgn), ddAdd(ddAbs(theta), ddSqrt(ddAdd(ddMul(theta, theta), dd(1)))));
        const c = ddDiv(dd(1), ddSqrt(ddAdd(ddMul(t, t), dd(1))));
        const sn = ddMul(t, c);
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p], akq = m[k * n + q];
          m[k * n + p] = ddSub(ddMul(c, akp), ddMul(sn, akq));
          m[k * n + q] = ddAdd(ddMul(sn, akp), ddMul(c, akq));
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k], aqk = m[q * n + k];
          m[p * n + k] = ddSub(ddMul(c, apk), ddMul(sn, aqk));
          m[q * n + k] = ddAdd(ddMul(sn, apk), ddMul(c, aqk));
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = ddSub(ddMul(c, vkp), ddMul(sn, vkq));
          v[k * n + q] = ddAdd(ddMul(sn, vkp), ddMul(c, vkq));
        }
      }
    }
  }
  const invSqrt: DD[] = [];
  for (let k = 0; k < n; k++) {
    const lam = m[k * n + k];
    if (!(lam[0] > 0)) throw new RangeError(`overlap matrix is not positive definite (eigenvalue ${lam[0]})`);
    invSqrt.push(ddDiv(dd(1), ddSqrt(lam)));
  }
  const out: DD[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = dd(0);
      for (let k = 0; k < n; k++) acc = ddAdd(acc, ddMul(ddMul(v[i * n + k], v[j * n + k]), invSqrt[k]));
      out.push(acc);
    }
  }
  return out;
}
