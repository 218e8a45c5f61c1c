// Fault suites (*.fault.test.ts) stop and start the shared PostgreSQL / Redis, so they run alone, one file at
// a time, after the main suite (scripts/test.mjs). The soak's short profile (*.soak.test.ts) runs here too:
// it stops only private services, but it loads both cores for minutes and its checks are timing-sensitive.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.fault.test.ts', 'test/**/*.fault.test.ts', 'test/**/*.soak.test.ts'],
    environment: 'node',
    setupFiles: ['test/support/setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
    passWithNoTests: true,
  },
});
