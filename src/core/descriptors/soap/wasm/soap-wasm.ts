/**
 * Loader of the WebAssembly SIMD SOAP kernel (assembly/kernel.ts, bytes in kernel-wasm.ts): compiles
 * it synchronously once per thread, lays out the plan's tables and per-frame inputs in its linear
 * memory, and returns compact power-spectrum rows. GTO basis only; the TypeScript path in ../soap.ts
 * is the reference and the fallback: createSoapWasmKernel returns null wherever WebAssembly SIMD is
 * unavailable (or compilation is refused), and the caller then uses TypeScript.
 */
import type { NeighbourList } from '../../../geometry/neighbours.ts';
import { POW2_FRAC } from '../../common/fast-exp.ts';
import type { YlmTable } from '../../common/ylm.ts';
import type { GtoBasis } from '../basis.ts';
import { SOAP_KERNEL_WASM_BASE64 } from './kernel-wasm.ts';

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setup(n: number, l: number, s: number, nu: number, nblk: number, rmax2: number, gam: number, uStart: number, uPos: number,
    coef: number, ta: number, tb: number, diag: number, frac: number, pref: number, blk: number): void;
  scratch(bx: number, by: number, bz: number, br2: number, bw: number, spStart: number, fill: number, y: number, e: number,
    r: number, prim: number, cn: number): void;
  rows(c0: number, c1: number, offsets: number, index: number, dx: number, dy: number, dz: number, r2: number, w: number,
    codes: number, out: number, width: number): void;
}

/** What the kernel needs of a SoapPlan (GTO). */
export interface SoapWasmConfig {
  nMax: number;
  lMax: number;
  nSpecies: number;
  gto: GtoBasis;
  ylm: YlmTable;
  /** Species pairs in feature order. */
  blocks: readonly { a: number; b: number }[];
  neighbourRadius: number;
  compactWidth: number;
  /** Neighbour entries copied into linear memory per kernel call (default 2^20; bounds memory on large frames). */
  chunkEntries?: number;
}

/** The neighbour-list fields the kernel reads. */
export type SoapWasmNeighbours = Pick<NeighbourList, 'n' | 'offsets' | 'index' | 'dx' | 'dy' | 'dz' | 'r2'>;

export interface SoapWasmKernel {
  /**
   * Compact rows (dscribe layout, compactWidth values each) of every centre of nl, delivered in
   * chunks of consecutive centres: onRows(c0, c1, rows) with rows a view of (c1-c0)*compactWidth
   * values that is valid only during the call. weights: per-entry radial weight or null (all 1).
   */
  compactRows(nl: SoapWasmNeighbours, codes: Int32Array, weights: Float64Array | null,
    onRows: (c0: number, c1: number, rows: Float64Array) => void): void;
}

const CHUNK_ENTRIES = 1 << 20;
const BLOCK = 64;
const PAGE = 65536;

let moduleCache: WebAssembly.Module | null | undefined;

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The compiled module, or null when this runtime has no WebAssembly SIMD (cached per thread). */
export function soapWasmModule(): WebAssembly.Module | null {
  if (moduleCache !== undefined) return moduleCache;
  try {
    moduleCache = typeof WebAssembly === 'object' ? new WebAssembly.Module(decodeBase64(SOAP_KERNEL_WASM_BASE64) as Uint8Array<ArrayBuffer>) : null;
  } catch {
    moduleCache = null;
  }
  return moduleCache;
}

/** True when the SIMD kernel compiles here. */
export function soapWasmAvailable(): boolean {
  return soapWasmModule() !== null;
}

/** A kernel instance (own linear memory) for one plan, or null when WebAssembly SIMD is unavailable. */
export function createSoapWasmKernel(cfg: SoapWasmConfig): SoapWasmKernel | null {
  const mod = soapWasmModule();
  if (!mod) return null;
  let ex: KernelExports;
  try {
    ex = new WebAssembly.Instance(mod, {}).exports as unknown as KernelExports;
  } catch {
    return null;
  }
  const N = cfg.nMax, L = cfg.lMax, S = cfg.nSpecies, NP = (N + 1) & ~1, LL = (L + 1) * (L + 1), RW = (L + 1) * NP;
  const g = cfg.gto, nU = g.uniqueGammas.length;
  let top = (ex.heapBase() + 15) & ~15;
  const alloc = (bytes: number): number => { const p = top; top = (top + bytes + 15) & ~15; return p; };
  const ensure = (end: number): void => {
    const have = ex.memory.buffer.byteLength;
    if (end > have) ex.memory.grow(Math.ceil((end - have) / PAGE));
  };
  // Plan tables.
  const uStart = new Int32Array(nU + 1), uPos = new Int32Array((L + 1) * N);
  for (let i = 0; i < (L + 1) * N; i++) uStart[g.gammaRow[i] + 1]++;
  for (let u = 0; u < nU; u++) uStart[u + 1] += uStart[u];
  const fillU = uStart.slice(0, nU);
  for (let l = 0; l <= L; l++) for (let k = 0; k < N; k++) uPos[fillU[g.gammaRow[l * N + k]]++] = l * NP + k;
  const coefT = new Float64Array((L + 1) * N * NP);
  for (let l = 0; l <= L; l++) for (let n = 0; n < N; n++) for (let k = 0; k < N; k++) coefT[(l * N + k) * NP + n] = g.coefs[(l * N + n) * N + k];
  const pref = Float64Array.from({ length: L + 1 }, (_, l) => Math.PI * Math.sqrt(8 / (2 * l + 1)));
  const blk = Int32Array.from(cfg.blocks.flatMap((b) => [b.a, b.b]));
  const f64 = (a: Float64Array): number => { const p = alloc(a.length * 8 + 8); ensure(top); new Float64Array(ex.memory.buffer, p, a.length).set(a); return p; };
  const i32 = (a: Int32Array): number => { const p = alloc(a.length * 4 + 8); ensure(top); new Int32Array(ex.memory.buffer, p, a.length).set(a); return p; };
  const pGam = f64(g.uniqueGammas), pUStart = i32(uStart), pUPos = i32(uPos), pCoef = f64(coefT), pTa = f64(cfg.ylm.a),
    pTb = f64(cfg.ylm.b), pDiag = f64(cfg.ylm.diag), pFrac = f64(POW2_FRAC), pPref = f64(pref), pBlk = i32(blk);
  ex.setup(N, L, S, nU, cfg.blocks.length, cfg.neighbourRadius * cfg.neighbourRadius, pGam, pUStart, pUPos, pCoef, pTa, pTb,
    pDiag, pFrac, pPref, pBlk);
  // Fixed scratch (zeroed memory: the padding slots k >= N of R are never written and stay 0).
  const pSpStart = alloc(4 * (S + 1)), pFill = alloc(4 * S), pY = alloc(8 * BLOCK * LL), pR = alloc(8 * BLOCK * RW),
    pPrim = alloc(8 * S * LL * NP), pCn = alloc(8 * (S * LL * NP + 2));
  const chunkEntries = cfg.chunkEntries ?? CHUNK_ENTRIES;
  const dynBase = top;
  ensure(dynBase);
  let batchCap = -1;
  let bx = 0, by = 0, bz = 0, br2 = 0, bw = 0, inputBase = 0;

  return {
    compactRows(nl, codes, weights, onRows) {
      const n = nl.n, off = nl.offsets, W = cfg.compactWidth;
      let maxNb = 0;
      for (let c = 0; c < n; c++) maxNb = Math.max(maxNb, off[c + 1] - off[c]);
      if (maxNb > batchCap) {
        batchCap = Math.max(maxNb, 2 * batchCap, 256);
        top = dynBase;
        const sz = 8 * (batchCap + 8); // the kernel reads up to 7 slots past the last neighbour (groups of 8)
        bx = alloc(sz); by = alloc(sz); bz = alloc(sz); br2 = alloc(sz); bw = alloc(sz);
        inputBase = top;
        ensure(inputBase);
        ex.scratch(bx, by, bz, br2, bw, pSpStart, pFill, pY, 0, pR, pPrim, pCn);
      }
      const nAtoms = codes.length;
      let c0 = 0;
      while (c0 < n) {
        // Chunk of centres with at most CHUNK_ENTRIES entries (at least one centre).
        let c1 = c0 + 1;
        while (c1 < n && off[c1 + 1] - off[c0] <= chunkEntries) c1++;
        const e0 = off[c0], ne = off[c1] - e0, nc = c1 - c0;
        top = inputBase;
        const pOff = alloc(4 * (nc + 1)), pIdx = alloc(4 * ne), pDx = alloc(8 * ne), pDy = alloc(8 * ne), pDz = alloc(8 * ne),
          pR2 = alloc(8 * ne), pW = weights ? alloc(8 * ne) : 0, pCodes = alloc(4 * nAtoms), pOut = alloc(8 * nc * W);
        ensure(top);
        const buf = ex.memory.buffer;
        const o = new Int32Array(buf, pOff, nc + 1);
        for (let c = 0; c <= nc; c++) o[c] = off[c0 + c] - e0;
        new Int32Array(buf, pIdx, ne).set(nl.index.subarray(e0, e0 + ne));
        new Float64Array(buf, pDx, ne).set(nl.dx.subarray(e0, e0 + ne));
        new Float64Array(buf, pDy, ne).set(nl.dy.subarray(e0, e0 + ne));
        new Float64Array(buf, pDz, ne).set(nl.dz.subarray(e0, e0 + ne));
        new Float64Array(buf, pR2, ne).set(nl.r2.subarray(e0, e0 + ne));
        if (weights) new Float64Array(buf, pW, ne).set(weights.subarray(e0, e0 + ne));
        new Int32Array(buf, pCodes, nAtoms).set(codes);
        ex.rows(0, nc, pOff, pIdx, pDx, pDy, pDz, pR2, pW, pCodes, pOut, W);
        onRows(c0, c1, new Float64Array(ex.memory.buffer, pOut, nc * W));
        c0 = c1;
      }
    },
  };
}
