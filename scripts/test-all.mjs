#!/usr/bin/env node
// The README's test command: type check, unit tests, production build, end-to-end tests.
// Prints `N passed, N failed` last (totals over unit and end-to-end tests; a failing type check or
// build counts as one failed check each). Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = '.test-results';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const bin = (name) => `node_modules/.bin/${name}`;
function run(label, cmd, args) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
}
function counts(file) {
  if (!existsSync(file)) return null;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: j.numPassedTests ?? 0, failed: (j.numFailedTests ?? 0) + (j.numTodoTests ?? 0) };
}

let passed = 0;
let failed = 0;
const only = process.argv[2]; // optional: 'unit' or 'e2e'

if (!only) {
  if (!run('type check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])) failed += 1;
}
if (!only || only === 'unit') {
  const ok = run('unit tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json',
    `--outputFile.json=${out}/unit.json`]);
  const c = counts(`${out}/unit.json`);
  if (c) { passed += c.passed; failed += c.failed; }
  if (!ok && (!c || c.failed === 0)) failed += 1; // the runner itself failed (e.g. a file did not load)
}
if (!only || only === 'e2e') {
  const built = only === 'e2e' ? true : run('production build', bin('vite'), ['build']);
  if (!built) failed += 1;
  else {
    const ok = run('end-to-end tests', bin('vitest'), ['run', '-c', 'vitest.e2e.config.ts',
      '--reporter=default', '--reporter=json', `--outputFile.json=${out}/e2e.json`]);
    const c = counts(`${out}/e2e.json`);
    if (c) { passed += c.passed; failed += c.failed; }
    if (!ok && (!c || c.failed === 0)) failed += 1;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
