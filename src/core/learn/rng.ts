/**
 * Seeded pseudo-random numbers for the learning algorithms (k-means++ seeding, subsampling).
 *
 * House rule: no Math.random in core, and no module-level state. Create one generator per fit
 * call with `seededRng(seed)`; the state lives in the closure, so the same seed always gives the
 * same stream and two fits never interfere.
 *
 * Algorithm: sfc32 (Chris Doty-Humphrey's "small fast counting" generator, 128-bit state), with
 * the state initialised from the seed by the splitmix32 mixer and 12 warm-up rounds. Each double
 * uses two 32-bit outputs (53 random bits), so values are uniform on [0, 1) at double resolution.
 */

/** A uniform generator on [0, 1); its state lives in the closure. */
export type Rng = () => number;

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** sfc32 authors' recommendation: discard the first outputs after seeding. */
const WARM_UP_ROUNDS = 12;

/**
 * Returns a deterministic generator for `seed` (any finite number; non-integers and values
 * outside the 32-bit range are folded into 32 bits, so use integers for clarity).
 */
export function seededRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seededRng: seed must be a finite number, got ${seed}`);
  // Fold the seed into 32 bits, keeping the high part of large seeds.
  let s = (Math.floor(seed) >>> 0) ^ (Math.floor(seed / TWO_POW_32) >>> 0);
  const mix = (): number => { // splitmix32
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < WARM_UP_ROUNDS; i++) next32();
  return () => {
    const hi = next32() >>> 5; // 27 bits
    const lo = next32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  };
}

/** A uniform integer in [0, n) drawn from `rng`. */
export function randomInt(rng: Rng, n: number): number {
  const r = Math.floor(rng() * n);
  return r < n ? r : n - 1;
}

/** Fisher-Yates: a uniformly random permutation of 0..n-1. */
export function randomPermutation(rng: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}
