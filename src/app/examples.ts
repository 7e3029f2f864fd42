/** Example trajectories shipped in public/examples/ (served from the page's own origin). */
export interface Example {
  file: string;
  label: string;
}

export const EXAMPLES: readonly Example[] = [
  { file: 'cu211_600K_eam.lammpstrj.gz', label: 'Cu(211) slab at 600 K (LAMMPS dump)' },
];

/** URL of an example relative to the page, so the app works under any base path. */
export function exampleUrl(e: Example): string {
  return new URL(`examples/${e.file}`, document.baseURI).href;
}
