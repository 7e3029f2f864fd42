import { spawn, type ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';

// Serves the production build on a loopback port for the end-to-end tests.
export const E2E_PORT = 4319;
let server: ChildProcess | undefined;

async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not answer at ${url} within ${ms} ms`);
}

export async function setup(project: TestProject): Promise<void> {
  server = spawn('node_modules/.bin/vite', ['preview', '--port', String(E2E_PORT), '--strictPort', '--host', '127.0.0.1'],
    { stdio: 'ignore' });
  const base = `http://127.0.0.1:${E2E_PORT}/`;
  await waitFor(base, 30_000);
  project.provide('baseUrl', base);
}

export async function teardown(): Promise<void> {
  server?.kill('SIGTERM');
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
