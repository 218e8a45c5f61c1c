/**
 * Stops and starts the shared PostgreSQL cluster for the fault suites (they run alone, see
 * vitest.fault.config.ts). `start` is a no-op when it is already running.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import type { Store } from '#src/platform/store/db.js';

/** Cuts one test database off (no new connections, existing ones killed), or lets it back, without touching others. */
export async function setReachable(name: string, reachable: boolean) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`alter database ${name} allow_connections ${reachable}`);
    if (!reachable)
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
  } finally {
    await admin.end();
  }
}

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
