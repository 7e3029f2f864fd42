/**
 * The project's one error type for bad input. Every reader throws it with the file, the place
 * (text: 1-based line; binary: frame and byte offset) and what was expected, so the UI and the CLI
 * can say exactly where a file went wrong. It survives structured clone as plain data
 * (toData / fromData), because comlink's default error handler drops custom fields.
 */
export interface ErrorPlace {
  line?: number;
  frame?: number;
  byte?: number;
}

export interface FormatErrorData {
  kind: 'FormatError';
  file: string;
  at: ErrorPlace;
  expected: string;
  found: string;
}

function describePlace(at: ErrorPlace): string {
  const parts: string[] = [];
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  if (at.frame !== undefined) parts.push(`frame ${at.frame}`);
  if (at.byte !== undefined) parts.push(`byte ${at.byte}`);
  return parts.join(', ');
}

export class FormatError extends Error {
  readonly file: string;
  readonly at: ErrorPlace;
  readonly expected: string;
  readonly found: string;

  constructor(file: string, at: ErrorPlace, expected: string, found: string) {
    const place = describePlace(at);
    super(`${file}${place ? ` (${place})` : ''}: expected ${expected}, found ${found}`);
    this.name = 'FormatError';
    this.file = file;
    this.at = at;
    this.expected = expected;
    this.found = found;
  }

  toData(): FormatErrorData {
    return { kind: 'FormatError', file: this.file, at: { ...this.at }, expected: this.expected, found: this.found };
  }

  static fromData(d: FormatErrorData): FormatError {
    return new FormatError(d.file, d.at, d.expected, d.found);
  }

  static isData(x: unknown): x is FormatErrorData {
    return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'FormatError';
  }
}

/** Thrown (or rejected with) when a long job is cancelled through its AbortSignal. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Shortens a found value for an error message (a whole line of binary junk helps nobody). */
export function quoteFound(s: string, max = 60): string {
  const clean = s.replace(/[\x00-\x08\x0b-\x1f\x7f-\uffff]/g, '?');
  return JSON.stringify(clean.length > max ? clean.slice(0, max) + '…' : clean);
}
