import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One FerretDB for the whole run (unless MONGODB_URI is set); each test file uses its own database.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: process-level e2e tests start CareLoop and FerretDB processes of their own.
    maxWorkers: 2,
  },
});
