/**
 * Stops and starts the shared PostgreSQL cluster for the fault suites (they run alone, see
 * vitest.fault.config.ts). `start` is a no-op when it is already running.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { Store } from '../../src/platform/store/db.js';

export function postgres(action: 'stop' | 'start') {
  const version = readdirSync('/etc/postgresql')[0]!;
  const ctl = (a: string) =>
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', a], { stdio: 'pipe' });
  try {
    ctl(action);
  } catch (err) {
    // "already running" is fine for start; anything else is not.
    if (action !== 'start') throw err;
    ctl('status');
  }
}

/** Resolves once the store answers again. */
export async function waitForPostgres(store: Store, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (true) {
    try {
      await store.ping();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
