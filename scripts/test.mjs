#!/usr/bin/env node
// `npm test`: build (the TypeScript compile is the type check), lint, format check, then every vitest suite.
// Suites needing PostgreSQL / Redis / Chromium run when DATABASE_URL / REDIS_URL / /usr/bin/chromium are there
// and print why when skipped; PORTAL_REQUIRE_SERVICES=1 turns such a skip into a failure.
import { spawnSync } from 'node:child_process';

const steps = [
  ['build', 'npm', ['run', '--silent', 'build']],
  ['typecheck (tests, bench)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['typecheck (dashboard)', 'npx', ['tsc', '-p', 'web/tsconfig.json']],
  ['eslint', 'npx', ['eslint', '.']],
  ['prettier', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['vitest', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
  [
    'fault suites (stop and start PostgreSQL / Redis, one at a time)',
    'npx',
    ['vitest', 'run', '--config', 'vitest.fault.config.ts'],
  ],
];

for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.log(`\n── ${name} ──`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`\nnpm test: step "${name}" failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`── ${name} ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
