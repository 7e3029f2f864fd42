/**
 * NumPy .npy version 1.0/2.0/3.0 reading and version 1.0 writing (little-endian, C order).
 * Used for fixtures in tests and for the CLI's outputs, which must load with numpy.load.
 */
import { FormatError } from '../errors.ts';

export type NpyArray =
  | { dtype: 'f8'; shape: number[]; data: Float64Array }
  | { dtype: 'f4'; shape: number[]; data: Float32Array }
  | { dtype: 'i4'; shape: number[]; data: Int32Array }
  | { dtype: 'i8'; shape: number[]; data: Float64Array } // int64 widened to float64 (exact below 2^53)
  | { dtype: 'u1'; shape: number[]; data: Uint8Array }
  | { dtype: 'b1'; shape: number[]; data: Uint8Array };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** Parses a .npy file. Throws FormatError naming `name` on anything it cannot read. */
export function readNpy(bytes: Uint8Array, name = 'array.npy'): NpyArray {
  for (let i = 0; i < 6; i++) {
    if (bytes[i] !== MAGIC[i]) throw new FormatError(name, { byte: i }, 'the NumPy magic "\\x93NUMPY"', `byte ${bytes[i]}`);
  }
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, start: number;
  if (major === 1) { headerLen = dv.getUint16(8, true); start = 10; }
  else if (major === 2 || major === 3) { headerLen = dv.getUint32(8, true); start = 12; }
  else throw new FormatError(name, { byte: 6 }, 'npy format version 1, 2 or 3', `version ${major}`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) {
    throw new FormatError(name, { byte: start }, 'a header with descr, fortran_order and shape', header.trim());
  }
  if (fortran === 'True') throw new FormatError(name, { byte: start }, 'C order', 'fortran_order True');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const off = start + headerLen;
  const body = bytes.subarray(off);
  const need = (size: number) => {
    if (body.byteLength < count * size) {
      throw new FormatError(name, { byte: off }, `${count * size} bytes of data`, `${body.byteLength}`);
    }
  };
  // Copy into a fresh aligned buffer: the data offset is not always a multiple of 8.
  const copy = (size: number) => body.slice(0, count * size).buffer;
  switch (descr) {
    case '<f8': need(8); return { dtype: 'f8', shape, data: new Float64Array(copy(8)) };
    case '<f4': need(4); return { dtype: 'f4', shape, data: new Float32Array(copy(4)) };
    case '<i4': need(4); return { dtype: 'i4', shape, data: new Int32Array(copy(4)) };
    case '<i8': {
      need(8);
      const b = new BigInt64Array(copy(8));
      const d = new Float64Array(count);
      for (let i = 0; i < count; i++) d[i] = Number(b[i]);
      return { dtype: 'i8', shape, data: d };
    }
    case '|u1': need(1); return { dtype: 'u1', shape, data: new Uint8Array(copy(1)) };
    case '|b1': need(1); return { dtype: 'b1', shape, data: new Uint8Array(copy(1)) };
    default: throw new FormatError(name, { byte: start }, "dtype '<f8', '<f4', '<i4', '<i8', '|u1' or '|b1'", descr);
  }
}

/**
 * The .npy version 1.0 header (magic, length, dict padded to 64 bytes) for a C-order array; the data
 * follows it. Exposed so writers can stream frames after it without holding the whole array.
 */
export function npyHeader(descr: '<f8' | '<f4' | '<i4' | '|u1', shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + head.length);
  out.set(MAGIC, 0);
  out[6] = 1; out[7] = 0;
  new DataView(out.buffer).setUint16(8, head.length, true);
  out.set(head, 10);
  return out;
}

/** Encodes a typed array as .npy version 1.0 (C order). */
export function writeNpy(data: Float64Array | Float32Array | Int32Array | Uint8Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`shape ${shape.join('x')} needs ${count} values, got ${data.length}`);
  const descr = data instanceof Float64Array ? '<f8' : data instanceof Float32Array ? '<f4' : data instanceof Int32Array ? '<i4' : '|u1';
  const head = npyHeader(descr, shape);
  const out = new Uint8Array(head.length + data.byteLength);
  out.set(head, 0);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), head.length);
  return out;
}
