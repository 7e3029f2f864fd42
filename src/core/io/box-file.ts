/**
 * Per-frame box files for formats without a cell (formats.md §3): one line per frame with
 * "a b c" (orthogonal, Å) or "a b c alpha beta gamma" (e.g. the LENS TIP4P `OW.box`: "32 30 68.6").
 * Blank lines and lines starting with '#' are skipped. The result is OpenOptions.box.
 */
import type { ByteSource } from './source.ts';
import type { RunOptions } from '../progress.ts';
import { Fields, LineReader } from './text.ts';
import { lineError } from './formats/common.ts';

export async function readBoxFile(src: ByteSource, o?: RunOptions): Promise<number[][]> {
  const r = new LineReader(src, o, undefined, 'reading box file');
  const f = new Fields();
  const out: number[][] = [];
  while (await r.next()) {
    const n = f.split(r.buf, r.start, r.end);
    if (n === 0 || r.buf[f.starts[0]] === 35) continue; // blank or # comment
    if (n !== 3 && n !== 6) throw lineError(src.name, r.line, '3 numbers (a b c) or 6 (a b c alpha beta gamma)', r.text());
    const row: number[] = [];
    for (let k = 0; k < n; k++) {
      const v = f.number(k);
      if (!Number.isFinite(v) || (k < 3 && v <= 0)) throw lineError(src.name, r.line, 'positive box lengths and finite angles', r.text());
      row.push(v);
    }
    out.push(row);
  }
  if (out.length === 0) throw lineError(src.name, 1, 'at least one box line', 'no box lines');
  return out;
}
