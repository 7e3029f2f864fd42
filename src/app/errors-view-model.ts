import { FormatError } from '../core/errors.ts';
import { isWorkerErrorData, placeText, toWorkerErrorData, type WorkerErrorData } from '../../workers/parse-protocol.ts';

/** An error as the page shows it: which file, where in it, what was expected and found. */
export interface AppError {
  id: number;
  /** One line: "Could not read cu.xyz" or the context given. */
  title: string;
  /** The full message ("cu.xyz (line 12): expected ..., found ..."). */
  message: string;
  file?: string;
  /** "line 12", "frame 3, byte 4096". */
  place?: string;
  expected?: string;
  found?: string;
  cancelled?: boolean;
}

/** Builds the displayed error from any thrown value or WorkerErrorData. */
export function describeError(id: number, e: unknown, context?: string): AppError {
  const d: WorkerErrorData = isWorkerErrorData(e) ? e : toWorkerErrorData(e);
  if (d.kind === 'FormatError') {
    const place = placeText(d.at);
    return {
      id,
      title: context ?? `Could not read ${d.file}`,
      message: FormatError.fromData(d).message,
      file: d.file,
      place: place || undefined,
      expected: d.expected,
      found: d.found,
    };
  }
  if (d.kind === 'Cancelled') {
    return { id, title: context ?? 'Cancelled', message: 'Loading was cancelled; the previous trajectory is kept.', cancelled: true };
  }
  return {
    id,
    title: context ?? (d.file ? `Could not read ${d.file}` : 'Something went wrong'),
    message: d.message,
    file: d.file,
  };
}
