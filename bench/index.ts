/**
 * Benchmarks: `npm run bench -- <name>` runs bench/<name>.ts, which prints its figures.
 * With no name, every benchmark runs in turn.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_')).map((f) => f.slice(0, -3)).sort();

const [name, ...rest] = process.argv.slice(2);
const chosen = name ? [name] : names;
for (const n of chosen) {
  if (!names.includes(n)) {
    console.error(`unknown benchmark "${n}" (have: ${names.join(', ') || 'none'})`);
    process.exit(2);
  }
  console.log(`\n# bench ${n}`);
  const mod = (await import(`./${n}.ts`)) as { main(args: string[]): Promise<void> };
  await mod.main(rest);
}
