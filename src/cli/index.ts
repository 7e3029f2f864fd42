#!/usr/bin/env node
/**
 * soaplens command line: `npm run cli -- <command> [args]`. Each command lives in
 * ./commands/<command>.ts and exports `run(args: string[]): Promise<number>` (the exit code) and
 * `usage: string`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FormatError } from '../core/errors.ts';

interface Command { run(args: string[]): Promise<number>; usage: string }

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(join(here, 'commands')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(`usage: soaplens <command> [options]\ncommands: ${available.join(', ')}`);
    return name ? 0 : 2;
  }
  if (!available.includes(name)) {
    console.error(`soaplens: unknown command "${name}" (commands: ${available.join(', ')})`);
    return 2;
  }
  const cmd = (await import(`./commands/${name}.ts`)) as Command;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd.usage);
    return 0;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  if (e instanceof FormatError) console.error(`soaplens: ${e.message}`);
  else console.error(`soaplens: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
