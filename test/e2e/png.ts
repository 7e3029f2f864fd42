import { inflateSync } from 'node:zlib';

/** A decoded PNG: RGBA, 8 bits per channel, row-major. */
export interface Pixels { width: number; height: number; rgba: Uint8Array }

/**
 * Minimal PNG decoder for the screenshots Chromium writes (8-bit RGB or RGBA, not interlaced):
 * enough to check that a canvas is not blank without an image library.
 */
export function decodePng(buf: Uint8Array): Pixels {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => buf[i] === b)) throw new Error('not a PNG');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 8;
  let width = 0, height = 0, colourType = -1;
  const idat: Uint8Array[] = [];
  while (pos < buf.length) {
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(...buf.subarray(pos + 4, pos + 8));
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = dv.getUint32(pos + 8);
      height = dv.getUint32(pos + 12);
      const depth = data[8];
      colourType = data[9];
      if (depth !== 8 || (colourType !== 2 && colourType !== 6) || data[12] !== 0) {
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${data[12]}`);
      }
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const bpp = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * bpp);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? row[x - bpp] : 0;
      const b = up[x];
      const c = x >= bpp ? up[x - bpp] : 0;
      let v = src[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
      row[x] = v & 255;
    }
  }
  if (bpp === 4) return { width, height, rgba: out };
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = out[3 * i]; rgba[4 * i + 1] = out[3 * i + 1]; rgba[4 * i + 2] = out[3 * i + 2]; rgba[4 * i + 3] = 255;
  }
  return { width, height, rgba };
}

/** Distinct colours and the fraction of pixels farther than `tol` (per channel) from `bg`. */
export function imageStats(p: Pixels, bg: [number, number, number], tol = 12): { distinct: number; foreground: number } {
  const seen = new Set<number>();
  let fg = 0;
  const n = p.width * p.height;
  for (let i = 0; i < n; i++) {
    const r = p.rgba[4 * i], g = p.rgba[4 * i + 1], b = p.rgba[4 * i + 2];
    seen.add((r << 16) | (g << 8) | b);
    if (Math.abs(r - bg[0]) > tol || Math.abs(g - bg[1]) > tol || Math.abs(b - bg[2]) > tol) fg++;
  }
  return { distinct: seen.size, foreground: fg / n };
}
