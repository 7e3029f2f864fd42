/**
 * Element symbols, standard atomic weights and the name -> element rules of formats.md §0.3.
 * Weights: IUPAC conventional values (mass number of the longest-lived isotope for elements
 * without a standard weight); they only serve the "nearest weight within 0.1 u" lookup.
 */
export const ELEMENTS: readonly string[] = ('X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn ' +
  'Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr ' +
  'Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np ' +
  'Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og').split(' ');

/** Atomic weights indexed by Z (index 0 unused). */
export const ATOMIC_WEIGHTS: readonly number[] = [0,
  1.008, 4.0026, 6.94, 9.0122, 10.81, 12.011, 14.007, 15.999, 18.998, 20.180,
  22.990, 24.305, 26.982, 28.085, 30.974, 32.06, 35.45, 39.948, 39.098, 40.078,
  44.956, 47.867, 50.942, 51.996, 54.938, 55.845, 58.933, 58.693, 63.546, 65.38,
  69.723, 72.630, 74.922, 78.971, 79.904, 83.798, 85.468, 87.62, 88.906, 91.224,
  92.906, 95.95, 97, 101.07, 102.91, 106.42, 107.87, 112.41, 114.82, 118.71,
  121.76, 127.60, 126.90, 131.29, 132.91, 137.33, 138.91, 140.12, 140.91, 144.24,
  145, 150.36, 151.96, 157.25, 158.93, 162.50, 164.93, 167.26, 168.93, 173.05,
  174.97, 178.49, 180.95, 183.84, 186.21, 190.23, 192.22, 195.08, 196.97, 200.59,
  204.38, 207.2, 208.98, 209, 210, 222, 223, 226, 227, 232.04,
  231.04, 238.03, 237, 244, 243, 247, 247, 251, 252, 257,
  258, 259, 262, 267, 268, 269, 270, 269, 278, 281,
  282, 285, 286, 289, 290, 293, 294, 294];

/** Species of a massless virtual site (formats.md §0.3): excluded from SOAP/LENS by default. */
export const VIRTUAL = 'virtual';
/** Species of an atom whose element could not be determined. */
export const UNKNOWN = 'X';

const BY_UPPER = new Map<string, string>();
for (let z = 1; z < ELEMENTS.length; z++) BY_UPPER.set(ELEMENTS[z].toUpperCase(), ELEMENTS[z]);

/** Tolerance of formats.md §0.3: "nearest standard atomic weight within 0.1 u". */
export const MASS_TOLERANCE = 0.1;

/** Element whose standard weight is nearest to `mass` within 0.1 u; null otherwise. */
export function elementFromMass(mass: number): string | null {
  if (!(mass > 0)) return null;
  let best = -1, bestD = Infinity;
  for (let z = 1; z < ATOMIC_WEIGHTS.length; z++) {
    const d = Math.abs(ATOMIC_WEIGHTS[z] - mass);
    if (d < bestD) { bestD = d; best = z; }
  }
  return bestD <= MASS_TOLERANCE ? ELEMENTS[best] : null;
}

/** Element of atomic number z, or null. */
export function elementFromNumber(z: number): string | null {
  return Number.isInteger(z) && z >= 1 && z < ELEMENTS.length ? ELEMENTS[z] : null;
}

/** Canonical symbol when `s` is exactly an element symbol in any case ("CU" -> "Cu"), else null. */
export function canonicalElement(s: string): string | null {
  return BY_UPPER.get(s.trim().toUpperCase()) ?? null;
}

const WATER: Record<string, string> = { OW: 'O', HW: 'H', HW1: 'H', HW2: 'H', HW3: 'H' };

/**
 * Element from an atom or type name (formats.md §0.3): water-model names, virtual sites,
 * an atomic number, else strip leading digits and match the longest element prefix, taking a
 * two-letter element only when unambiguous: the name is written in element case ("Cu"), or its
 * first letter alone is no element ("ZN"), or the name is the whole residue (ions such as CL in
 * residue CL). Returns "X" when nothing matches.
 */
export function elementFromName(name: string, resName?: string): string {
  const raw = name.trim();
  if (raw === '') return UNKNOWN;
  const up = raw.toUpperCase();
  if (WATER[up]) return WATER[up];
  if (/^(MW\d*|LP\d*|EP\d*|M)$/.test(up)) return VIRTUAL;
  if (/^\d+$/.test(raw)) return elementFromNumber(Number(raw)) ?? UNKNOWN;
  const stripped = raw.replace(/^\d+/, '');
  const letters = /^[A-Za-z]+/.exec(stripped)?.[0] ?? '';
  if (letters === '') return UNKNOWN;
  const one = BY_UPPER.get(letters[0].toUpperCase()) ?? null;
  if (letters.length >= 2) {
    const two = BY_UPPER.get(letters.slice(0, 2).toUpperCase()) ?? null;
    if (two) {
      const elementCase = letters[0] === letters[0].toUpperCase() && letters[1] === letters[1].toLowerCase();
      const whole = letters.length === 2 && stripped.length === 2;
      const ion = whole && (resName === undefined || resName.trim().toUpperCase() === up);
      if (elementCase || !one || ion) return two;
    }
  }
  return one ?? UNKNOWN;
}
