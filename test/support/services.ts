/**
 * Which real services this run has. Suites that need PostgreSQL, Redis or Chromium run when they are there
 * and are skipped, with the reason printed, when not. With PORTAL_REQUIRE_SERVICES=1 (CI) a missing
 * service fails the run instead of skipping.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe } from 'vitest';

export type ServiceName = 'postgres' | 'redis' | 'redis-cluster' | 'chromium';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const available: Record<ServiceName, () => boolean> = {
  postgres: () => Boolean(process.env.DATABASE_URL),
  redis: () => Boolean(process.env.REDIS_URL),
  // A private cluster is started by the suite (redis-cluster.ts): it needs the binaries, not a running server.
  'redis-cluster': () =>
    ['redis-server', 'redis-cli'].every((bin) => spawnSync(bin, ['--version']).status === 0),
  chromium: () => existsSync(CHROMIUM_PATH),
};

const why: Record<ServiceName, string> = {
  postgres: 'DATABASE_URL is not set',
  redis: 'REDIS_URL is not set',
  'redis-cluster': 'redis-server / redis-cli not on PATH (apt-get install -y redis-server)',
  chromium: `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`,
};

export const requireServices = process.env.PORTAL_REQUIRE_SERVICES === '1';

export function hasService(name: ServiceName): boolean {
  const present = available[name]();
  if (!present && requireServices)
    throw new Error(`PORTAL_REQUIRE_SERVICES=1 but ${name} is missing: ${why[name]}`);
  return present;
}

/** describe() that runs only when every named service is available, and says why when it does not. */
export function describeWith(services: ServiceName[], name: string, fn: () => void) {
  const missing = services.filter((s) => !hasService(s));
  if (missing.length) {
    const reason = missing.map((s) => `${s}: ${why[s]}`).join('; ');
    console.warn(`SKIPPED "${name}" — ${reason}`);
    describe.skip(`${name} [skipped: ${reason}]`, fn);
  } else describe(name, fn);
}
