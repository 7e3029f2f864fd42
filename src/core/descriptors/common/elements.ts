/** Atomic numbers of element symbols (the one table is io/elements.ts). Species order in SOAP is by Z (soap.md §1). */
import { ELEMENTS } from '../../io/elements.ts';

const SYMBOLS = ELEMENTS;

const BY_SYMBOL = new Map(SYMBOLS.map((s, z) => [s.toLowerCase(), z]));

/** Atomic number of an element symbol (case-insensitive), or 0 when it is not an element. */
export function atomicNumber(symbol: string): number {
  return BY_SYMBOL.get(symbol.trim().toLowerCase()) ?? 0;
}

/** Element symbol of an atomic number, or "X". */
export function elementSymbol(z: number): string {
  return SYMBOLS[z] ?? 'X';
}
