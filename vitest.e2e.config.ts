import { defineConfig } from 'vitest/config';

// End-to-end tests: the production build served by `vite preview`, driven by playwright-core in
// the system Chromium (/usr/bin/chromium). Run after `vite build`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
