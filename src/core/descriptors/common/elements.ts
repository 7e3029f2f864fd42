/** Chemical element symbols by atomic number (index = Z; index 0 unused). Species order in SOAP is by Z (soap.md §1). */
const SYMBOLS = ('X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr ' +
  'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re ' +
  'Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl ' +
  'Mc Lv Ts Og').split(' ');

const BY_SYMBOL = new Map(SYMBOLS.map((s, z) => [s.toLowerCase(), z]));

/** Atomic number of an element symbol (case-insensitive), or 0 when it is not an element. */
export function atomicNumber(symbol: string): number {
  return BY_SYMBOL.get(symbol.trim().toLowerCase()) ?? 0;
}

/** Element symbol of an atomic number, or "X". */
export function elementSymbol(z: number): string {
  return SYMBOLS[z] ?? 'X';
}
