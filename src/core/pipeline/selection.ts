/**
 * Resolves a recipe's atom selection (pipeline.md §1) against a trajectory's species and one frame.
 */
import type { FrameData } from '../trajectory.ts';
import type { AtomSelection } from './recipe.ts';

/**
 * 0-based indices (ascending, trajectory order) of the atoms `sel` picks. `frame` must be the frame
 * the selection names (sel.frame for z-based kinds; any frame otherwise). Throws a RangeError when
 * the selection is empty or names atoms that do not exist.
 */
export function selectAtoms(sel: AtomSelection, species: readonly string[], frame: FrameData | null): Int32Array {
  const n = species.length;
  const out: number[] = [];
  const needFrame = (): FrameData => {
    if (!frame || frame.positions.length < 3 * n) throw new RangeError('selection: needs the positions of the selection frame');
    return frame;
  };
  switch (sel.kind) {
    case 'all':
      for (let i = 0; i < n; i++) out.push(i);
      break;
    case 'species': {
      const want = new Set(sel.species);
      for (let i = 0; i < n; i++) if (want.has(species[i])) out.push(i);
      break;
    }
    case 'z-above': {
      const f = needFrame();
      // pipeline.md §1: the paper measured z from the lower box bound (LAMMPS zlo).
      const z0 = sel.from === 'cell-bottom' ? (f.origin?.[2] ?? 0) : 0;
      for (let i = 0; i < n; i++) if (f.positions[3 * i + 2] - z0 > sel.z) out.push(i);
      break;
    }
    case 'top-by-z': {
      const f = needFrame();
      if (sel.count > n) throw new RangeError(`selection: top ${sel.count} atoms asked, the trajectory has ${n}`);
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => f.positions[3 * b + 2] - f.positions[3 * a + 2] || a - b);
      for (let q = 0; q < sel.count; q++) out.push(order[q]);
      out.sort((a, b) => a - b);
      break;
    }
    case 'indices': {
      const seen = new Set<number>();
      for (const i of sel.indices) {
        if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`selection: atom index ${i} outside 0..${n - 1}`);
        seen.add(i);
      }
      out.push(...seen);
      out.sort((a, b) => a - b);
      break;
    }
  }
  if (out.length === 0) throw new RangeError('selection: no atom matches');
  return Int32Array.from(out);
}
