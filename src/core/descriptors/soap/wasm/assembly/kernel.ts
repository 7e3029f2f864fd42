/**
 * AssemblyScript source of the WebAssembly SIMD SOAP kernel (GTO basis), compiled by
 * scripts/build-wasm.mjs into ../kernel-wasm.ts. It performs, operation for operation, the
 * arithmetic of expandGto + powerCompact in ../../soap.ts (the reference), so that its rows equal
 * the TypeScript rows: same fast exp (common/fast-exp.ts), same harmonic recurrence (common/ylm.ts),
 * same summation order of every sum. SIMD runs over two neighbours (harmonics, exponentials), over
 * pairs of radial indices k (the multiply-adds), n (c_nlm) and n' (power spectrum), never across a sum.
 *
 * Memory: the module allocates nothing; the loader (../soap-wasm.ts) lays out every table, scratch
 * and input array in linear memory above heapBase() and passes the addresses.
 */

// ---- constants of the plan (setup) ----
let N: i32 = 0;       // nMax
let NP: i32 = 0;      // nMax rounded up to even (SIMD lanes over k)
let L: i32 = 0;       // lMax
let LL: i32 = 0;      // (L+1)²
let S: i32 = 0;       // species
let NU: i32 = 0;      // distinct exponents
let RW: i32 = 0;      // (L+1)*NP: radial values per neighbour
let NBLK: i32 = 0;    // species-pair blocks
let RMAX2: f64 = 0;   // R_nb²
let CLAMP: bool = true; // some -gamma d² (d <= R_nb) may fall below EXP_MIN
let pGam: usize = 0;    // f64[NU]: distinct gammas
let pUStart: usize = 0; // i32[NU+1]: CSR of the (l*NP + k) slots fed by each gamma
let pUPos: usize = 0;   // i32[(L+1)*N]
let pCoef: usize = 0;   // f64[(L+1)*N*NP]: coef^(l)_nk at (l*N + k)*NP + n (transposed, n padded with 0)
let pTa: usize = 0;     // f64 ylm recurrence a (tri index)
let pTb: usize = 0;     // f64 ylm recurrence b
let pDiag: usize = 0;   // f64[L+1]
let pFrac: usize = 0;   // f64[64]: 2^(j/64), exactly the values of fast-exp.ts POW2_FRAC
let pPref: usize = 0;   // f64[L+1]: pi sqrt(8/(2l+1))
let pBlk: usize = 0;    // i32[2*NBLK]: species pairs (a, b) in feature order
// ---- scratch ----
let pBX: usize = 0; let pBY: usize = 0; let pBZ: usize = 0; let pBR2: usize = 0; let pBW: usize = 0; // f64[cap+8]: groups of 4 and 8 read past the end
let pSpStart: usize = 0; // i32[S+1]
let pFill: usize = 0;    // i32[S]
let pY: usize = 0;       // f64[BLOCK*LL]: solid harmonics at p*LL + lm
let pE: usize = 0;       // unused spare
let pR: usize = 0;       // f64[BLOCK*RW]: w exp(-gamma d²) at p*RW + l*NP + k (pad k stays 0)
let pPrim: usize = 0;    // f64[S*LL*NP]: primitive sums at sp*LL*NP + lm*NP + k
let pCn: usize = 0;      // f64[S*LL*NP + 2]: c_nlm at sp*LL*NP + lm*NP + n (n padded)

const BLOCK: i32 = 64;

export function heapBase(): usize {
  return __heap_base;
}

export function setup(n: i32, l: i32, s: i32, nu: i32, nblk: i32, rmax2: f64,
  gam: usize, uStart: usize, uPos: usize, coef: usize, ta: usize, tb: usize, diag: usize, frac: usize, pref: usize, blk: usize): void {
  N = n; NP = (n + 1) & ~1; L = l; LL = (l + 1) * (l + 1); S = s; NU = nu; RW = (l + 1) * NP; NBLK = nblk; RMAX2 = rmax2;
  let gmax: f64 = 0;
  for (let u = 0; u < nu; u++) gmax = max(gmax, load<f64>(gam + (<usize>u << 3)));
  CLAMP = !(gmax * rmax2 < 690.0);
  pGam = gam; pUStart = uStart; pUPos = uPos; pCoef = coef; pTa = ta; pTb = tb; pDiag = diag; pFrac = frac; pPref = pref; pBlk = blk;
}

export function scratch(bx: usize, by: usize, bz: usize, br2: usize, bw: usize, spStart: usize, fill: usize,
  y: usize, e: usize, r: usize, prim: usize, cn: usize): void {
  pBX = bx; pBY = by; pBZ = bz; pBR2 = br2; pBW = bw; pSpStart = spStart; pFill = fill; pY = y; pE = e; pR = r; pPrim = prim; pCn = cn;
}

// fast-exp.ts constants
const INV_STEP: f64 = 64.0 / Math.LN2;
const STEP_HI: f64 = 6.93147180369123816490e-01 / 64.0;
const STEP_LO: f64 = 1.90821492927058770002e-10 / 64.0;
const MAGIC: f64 = 6755399441055744.0;
const EXP_MIN: f64 = -700.0;

/** fastExp on two lanes, bit for bit (2^q is built from its exponent bits, exact as in the table). */
// @ts-ignore: decorator
@inline function exp2(x: v128, clamp: bool): v128 {
  // pmax (maxpd): x < EXP_MIN ? EXP_MIN : x; those lanes are zeroed at the end. Skipped (clamp false)
  // when no argument can reach EXP_MIN: gamma_max R_nb² < 690 (r_cut 6, sigma 1: 47).
  const xc = clamp ? f64x2.pmax(x, f64x2.splat(EXP_MIN)) : x;
  const t = f64x2.add(f64x2.mul(xc, f64x2.splat(INV_STEP)), f64x2.splat(MAGIC));
  const fi = f64x2.sub(t, f64x2.splat(MAGIC));
  // bits(t) = bits(MAGIC) + i with i = round(x 64/ln2) in [-64635, 0]; its low 6 bits are j = i & 63.
  // 2^q, q = i >> 6: exponent bits (q + 1023) << 52 = ((i + 1023*64) & ~63) << 46 (no 64-bit arithmetic
  // shift in SSE), with i = bits(t) - bits(MAGIC) folded into one add.
  const scale = i64x2.shl(v128.and(i64x2.add(t, i64x2.splat(1023 * 64 - reinterpret<i64>(MAGIC))), i64x2.splat(~(<i64>63))), 46);
  const j0 = <usize>(i32x4.extract_lane(t, 0) & 63), j1 = <usize>(i32x4.extract_lane(t, 2) & 63);
  const frac = v128.load64_lane(pFrac + (j1 << 3), v128.load64_zero(pFrac + (j0 << 3)), 1);
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(fi, f64x2.splat(STEP_HI))), f64x2.mul(fi, f64x2.splat(STEP_LO)));
  let p = f64x2.add(f64x2.splat(1.0 / 120.0), f64x2.mul(r, f64x2.splat(1.0 / 720.0)));
  p = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0 / 6.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0), f64x2.mul(r, p));
  const res = f64x2.mul(f64x2.mul(scale, frac), p);
  return clamp ? v128.andnot(res, f64x2.lt(x, f64x2.splat(EXP_MIN))) : res;
}

// @ts-ignore: decorator
@inline function put(base: usize, idx: i32, v: v128): void {
  // lane 0 -> neighbour p (row base), lane 1 -> neighbour p+1 (row base + LL)
  const a = base + (<usize>idx << 3);
  v128.store64_lane(a, v, 0);
  v128.store64_lane(a + (<usize>LL << 3), v, 1);
}

/**
 * Solid harmonics of neighbours p..p+3 (batch index q) into Y rows p..p+3: ylm.ts solidHarmonics on
 * two lanes, for two pairs interleaved (independent dependency chains overlap).
 */
function harmonics4(q: i32, p: i32): void {
  const qo = <usize>q << 3;
  const xa = v128.load(pBX + qo), ya = v128.load(pBY + qo), za = v128.load(pBZ + qo);
  const xb = v128.load(pBX + qo, 16), yb = v128.load(pBY + qo, 16), zb = v128.load(pBZ + qo, 16);
  const r2a = f64x2.add(f64x2.add(f64x2.mul(xa, xa), f64x2.mul(ya, ya)), f64x2.mul(za, za));
  const r2b = f64x2.add(f64x2.add(f64x2.mul(xb, xb), f64x2.mul(yb, yb)), f64x2.mul(zb, zb));
  const baseA = pY + (<usize>(p * LL) << 3), baseB = baseA + (<usize>(2 * LL) << 3);
  let cma = f64x2.splat(1.0), sma = f64x2.splat(0.0), cmb = f64x2.splat(1.0), smb = f64x2.splat(0.0);
  let pmm: f64 = 0.28209479177387814; // 1/(2 sqrt(pi)), as ylm.ts Y00
  for (let m = 0; m <= L; m++) {
    if (m > 0) {
      const ca = f64x2.sub(f64x2.mul(xa, cma), f64x2.mul(ya, sma));
      const cb = f64x2.sub(f64x2.mul(xb, cmb), f64x2.mul(yb, smb));
      sma = f64x2.add(f64x2.mul(xa, sma), f64x2.mul(ya, cma));
      smb = f64x2.add(f64x2.mul(xb, smb), f64x2.mul(yb, cmb));
      cma = ca; cmb = cb;
      pmm *= load<f64>(pDiag + (<usize>m << 3));
    }
    const p2s: f64 = m > 0 ? pmm * Math.SQRT2 : pmm;
    let p2a = f64x2.splat(p2s), p2b = p2a;
    if (m == 0) { put(baseA, 0, p2a); put(baseB, 0, p2b); }
    else {
      const o = m * m + m;
      put(baseA, o + m, f64x2.mul(p2a, cma)); put(baseA, o - m, f64x2.mul(p2a, sma));
      put(baseB, o + m, f64x2.mul(p2b, cmb)); put(baseB, o - m, f64x2.mul(p2b, smb));
    }
    if (m == L) break;
    const s3 = f64x2.splat(Math.sqrt(<f64>(2 * m + 3)));
    let p1a = f64x2.mul(f64x2.mul(s3, za), p2a), p1b = f64x2.mul(f64x2.mul(s3, zb), p2b);
    {
      const l = m + 1, o = l * l + l;
      if (m == 0) { put(baseA, o, p1a); put(baseB, o, p1b); }
      else {
        put(baseA, o + m, f64x2.mul(p1a, cma)); put(baseA, o - m, f64x2.mul(p1a, sma));
        put(baseB, o + m, f64x2.mul(p1b, cmb)); put(baseB, o - m, f64x2.mul(p1b, smb));
      }
    }
    for (let l = m + 2; l <= L; l++) {
      const i = <usize>((l * (l + 1)) / 2 + m) << 3;
      const ta = f64x2.splat(load<f64>(pTa + i)), tb = f64x2.splat(load<f64>(pTb + i));
      const pva = f64x2.sub(f64x2.mul(f64x2.mul(ta, za), p1a), f64x2.mul(f64x2.mul(tb, r2a), p2a));
      const pvb = f64x2.sub(f64x2.mul(f64x2.mul(ta, zb), p1b), f64x2.mul(f64x2.mul(tb, r2b), p2b));
      const o = l * l + l;
      if (m == 0) { put(baseA, o, pva); put(baseB, o, pvb); }
      else {
        put(baseA, o + m, f64x2.mul(pva, cma)); put(baseA, o - m, f64x2.mul(pva, sma));
        put(baseB, o + m, f64x2.mul(pvb, cmb)); put(baseB, o - m, f64x2.mul(pvb, smb));
      }
      p2a = p1a; p1a = pva; p2b = p1b; p1b = pvb;
    }
  }
}

/**
 * Radial factors w exp(-gamma d²) of neighbours p..p+7 into R rows p..p+7 at every slot l*NP + k of
 * each gamma (four independent exponentials per step, so their latency chains overlap).
 */
// @ts-ignore: decorator
@inline function radial8(q: i32, p: i32, weighted: bool, clamp: bool): void {
  const qa = pBR2 + (<usize>q << 3), qw = pBW + (<usize>q << 3);
  const r2a = v128.load(qa), r2b = v128.load(qa, 16), r2c = v128.load(qa, 32), r2d = v128.load(qa, 48);
  const wa = v128.load(qw), wb = v128.load(qw, 16), wc = v128.load(qw, 32), wd = v128.load(qw, 48);
  const rs = <usize>RW << 3;
  const row0 = pR + (<usize>(p * RW) << 3);
  let j = load<i32>(pUStart);
  for (let u = 0; u < NU; u++) {
    const g = f64x2.splat(-load<f64>(pGam + (<usize>u << 3)));
    let ea = exp2(f64x2.mul(g, r2a), clamp), eb = exp2(f64x2.mul(g, r2b), clamp);
    let ec = exp2(f64x2.mul(g, r2c), clamp), ed = exp2(f64x2.mul(g, r2d), clamp);
    if (weighted) { ea = f64x2.mul(wa, ea); eb = f64x2.mul(wb, eb); ec = f64x2.mul(wc, ec); ed = f64x2.mul(wd, ed); }
    const j1 = load<i32>(pUStart + (<usize>(u + 1) << 2));
    for (; j < j1; j++) {
      const a = row0 + (<usize>load<i32>(pUPos + (<usize>j << 2)) << 3);
      v128.store64_lane(a, ea, 0); v128.store64_lane(a + rs, ea, 1);
      v128.store64_lane(a + 2 * rs, eb, 0); v128.store64_lane(a + 3 * rs, eb, 1);
      v128.store64_lane(a + 4 * rs, ec, 0); v128.store64_lane(a + 5 * rs, ec, 1);
      v128.store64_lane(a + 6 * rs, ed, 0); v128.store64_lane(a + 7 * rs, ed, 1);
    }
  }
}

/** prim[sp][lm][k] += sum_p R[p][l][k] Y[p][lm] over the nb neighbours of the block (sequential in p). */
function accumulate(sp: i32, nb: i32): void {
  const primBase = pPrim + (<usize>(sp * LL * NP) << 3);
  const ystride = <usize>LL << 3, rstride = <usize>RW << 3;
  for (let l = 0; l <= L; l++) {
    const ll = l * l, tl = 2 * l + 1;
    for (let k = 0; k < NP; k += 8) {
      const nk = NP - k; // lanes left (even)
      const rOff = pR + (<usize>(l * NP + k) << 3);
      let m = 0;
      if (nk >= 8) {
        for (; m + 1 < tl; m += 2) {
          let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
          let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
          let yp = pY + (<usize>(ll + m) << 3), rp = rOff;
          for (let p = 0; p < nb; p++) {
            const u = v128.load64_splat(yp), v = v128.load64_splat(yp, 8);
            const f0 = v128.load(rp), f1 = v128.load(rp, 16), f2 = v128.load(rp, 32), f3 = v128.load(rp, 48);
            a0 = f64x2.add(a0, f64x2.mul(f0, u)); a1 = f64x2.add(a1, f64x2.mul(f1, u));
            a2 = f64x2.add(a2, f64x2.mul(f2, u)); a3 = f64x2.add(a3, f64x2.mul(f3, u));
            b0 = f64x2.add(b0, f64x2.mul(f0, v)); b1 = f64x2.add(b1, f64x2.mul(f1, v));
            b2 = f64x2.add(b2, f64x2.mul(f2, v)); b3 = f64x2.add(b3, f64x2.mul(f3, v));
            yp += ystride; rp += rstride;
          }
          const o = primBase + (<usize>((ll + m) * NP + k) << 3), o2 = o + (<usize>NP << 3);
          v128.store(o, f64x2.add(v128.load(o), a0)); v128.store(o, f64x2.add(v128.load(o, 16), a1), 16);
          v128.store(o, f64x2.add(v128.load(o, 32), a2), 32); v128.store(o, f64x2.add(v128.load(o, 48), a3), 48);
          v128.store(o2, f64x2.add(v128.load(o2), b0)); v128.store(o2, f64x2.add(v128.load(o2, 16), b1), 16);
          v128.store(o2, f64x2.add(v128.load(o2, 32), b2), 32); v128.store(o2, f64x2.add(v128.load(o2, 48), b3), 48);
        }
        for (; m < tl; m++) {
          let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
          let yp = pY + (<usize>(ll + m) << 3), rp = rOff;
          for (let p = 0; p < nb; p++) {
            const u = v128.load64_splat(yp);
            a0 = f64x2.add(a0, f64x2.mul(v128.load(rp), u)); a1 = f64x2.add(a1, f64x2.mul(v128.load(rp, 16), u));
            a2 = f64x2.add(a2, f64x2.mul(v128.load(rp, 32), u)); a3 = f64x2.add(a3, f64x2.mul(v128.load(rp, 48), u));
            yp += ystride; rp += rstride;
          }
          const o = primBase + (<usize>((ll + m) * NP + k) << 3);
          v128.store(o, f64x2.add(v128.load(o), a0)); v128.store(o, f64x2.add(v128.load(o, 16), a1), 16);
          v128.store(o, f64x2.add(v128.load(o, 32), a2), 32); v128.store(o, f64x2.add(v128.load(o, 48), a3), 48);
        }
      } else {
        // fewer than 8 radial lanes left: one pair of k at a time
        for (let kk = 0; kk < nk; kk += 2) {
          for (m = 0; m < tl; m++) {
            let a0 = f64x2.splat(0);
            let yp = pY + (<usize>(ll + m) << 3), rp = rOff + (<usize>kk << 3);
            for (let p = 0; p < nb; p++) {
              a0 = f64x2.add(a0, f64x2.mul(v128.load(rp), v128.load64_splat(yp)));
              yp += ystride; rp += rstride;
            }
            const o = primBase + (<usize>((ll + m) * NP + k + kk) << 3);
            v128.store(o, f64x2.add(v128.load(o), a0));
          }
        }
      }
    }
  }
}

/**
 * Compact power-spectrum rows of centres c0..c1-1 (CSR offsets relative to the entry arrays given)
 * into out (stride = compact width). codes: species code per atom (-1: not in the density).
 */
export function rows(c0: i32, c1: i32, offsets: usize, index: usize, dx: usize, dy: usize, dz: usize, r2: usize,
  w: usize, codes: usize, out: usize, width: i32): void {
  for (let c = c0; c < c1; c++) {
    const e0 = load<i32>(offsets + (<usize>c << 2)), e1 = load<i32>(offsets + (<usize>(c + 1) << 2));
    // counting sort by species (stable), cut to R_nb
    memory.fill(pSpStart, 0, <usize>(S + 1) << 2);
    for (let e = e0; e < e1; e++) {
      const sp = load<i32>(codes + (<usize>load<i32>(index + (<usize>e << 2)) << 2));
      if (sp >= 0 && load<f64>(r2 + (<usize>e << 3)) <= RMAX2) {
        const a = pSpStart + (<usize>(sp + 1) << 2);
        store<i32>(a, load<i32>(a) + 1);
      }
    }
    for (let sp = 0; sp < S; sp++) {
      const a = pSpStart + (<usize>(sp + 1) << 2);
      store<i32>(a, load<i32>(a) + load<i32>(a - 4));
    }
    for (let sp = 0; sp < S; sp++) store<i32>(pFill + (<usize>sp << 2), load<i32>(pSpStart + (<usize>sp << 2)));
    for (let e = e0; e < e1; e++) {
      const sp = load<i32>(codes + (<usize>load<i32>(index + (<usize>e << 2)) << 2));
      const rr = load<f64>(r2 + (<usize>e << 3));
      if (sp < 0 || rr > RMAX2) continue;
      const fa = pFill + (<usize>sp << 2);
      const p = load<i32>(fa);
      store<i32>(fa, p + 1);
      const d = <usize>p << 3, s8 = <usize>e << 3;
      store<f64>(pBR2 + d, rr);
      store<f64>(pBX + d, load<f64>(dx + s8)); store<f64>(pBY + d, load<f64>(dy + s8)); store<f64>(pBZ + d, load<f64>(dz + s8));
      store<f64>(pBW + d, w != 0 ? load<f64>(w + s8) : 1.0);
    }
    memory.fill(pPrim, 0, <usize>(S * LL * NP) << 3);
    for (let sp = 0; sp < S; sp++) {
      const qEnd = load<i32>(pSpStart + (<usize>(sp + 1) << 2));
      for (let q0 = load<i32>(pSpStart + (<usize>sp << 2)); q0 < qEnd; q0 += BLOCK) {
        const nb = min(BLOCK, qEnd - q0);
        for (let p = 0; p < nb; p += 4) harmonics4(q0 + p, p);
        // unweighted: w = 1 and w * e = e exactly, so the multiply is skipped. Every batch slot
        // read (also past the segment) holds a d² <= R_nb² or 0, so CLAMP decides for all.
        if (w != 0) {
          if (CLAMP) for (let p = 0; p < nb; p += 8) radial8(q0 + p, p, true, true);
          else for (let p = 0; p < nb; p += 8) radial8(q0 + p, p, true, false);
        } else {
          if (CLAMP) for (let p = 0; p < nb; p += 8) radial8(q0 + p, p, false, true);
          else for (let p = 0; p < nb; p += 8) radial8(q0 + p, p, false, false);
        }
        accumulate(sp, nb);
      }
      // c_nlm = sum_k coef^(l)_nk prim_klm
      const pb = sp * LL * NP;
      for (let l = 0; l <= L; l++) {
        const tl = 2 * l + 1, cl = l * N * NP, ll = l * l;
        // two n per lane pair; each sum runs over k in order, as in TS
        for (let m = 0; m < tl; m++) {
          const pr = pPrim + (<usize>(pb + (ll + m) * NP) << 3);
          for (let n = 0; n < N; n += 2) {
            let acc = f64x2.splat(0);
            let cf = pCoef + (<usize>(cl + n) << 3);
            for (let k = 0; k < N; k++) {
              acc = f64x2.add(acc, f64x2.mul(v128.load(cf), v128.load64_splat(pr + (<usize>k << 3))));
              cf += <usize>NP << 3;
            }
            v128.store(pCn + (<usize>(pb + (ll + m) * NP + n) << 3), acc);
          }
        }
      }
    }
    // compact power spectrum, two q per lane pair; each sum runs over m in order, as in TS
    let pos = out + (<usize>((c - c0) * width) << 3);
    const mstride = <usize>NP << 3;
    for (let bi = 0; bi < NBLK; bi++) {
      const a = load<i32>(pBlk + (<usize>(2 * bi) << 2)), b = load<i32>(pBlk + (<usize>(2 * bi + 1) << 2));
      for (let l = 0; l <= L; l++) {
        const tl = 2 * l + 1, pref = f64x2.splat(load<f64>(pPref + (<usize>l << 3)));
        const ba = pCn + (<usize>((a * LL + l * l) * NP) << 3), bb = pCn + (<usize>((b * LL + l * l) * NP) << 3);
        for (let n = 0; n < N; n++) {
          for (let q = a == b ? n : 0; q < N; q += 2) {
            let acc = f64x2.splat(0);
            let pa = ba + (<usize>n << 3), pq = bb + (<usize>q << 3);
            for (let m = 0; m < tl; m++) {
              acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(pa), v128.load(pq)));
              pa += mstride; pq += mstride;
            }
            const res = f64x2.mul(acc, pref);
            v128.store64_lane(pos, res, 0);
            if (q + 1 < N) { v128.store64_lane(pos, res, 1, 8); pos += 16; } else pos += 8;
          }
        }
      }
    }
  }
}
