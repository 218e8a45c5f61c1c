/**
 * Regression "migrations through a transaction-mode pooler leave the advisory lock held" (issue #17,
 * Supabase's pooler on port 6543). The migration lock was session-level: through PgBouncer in transaction
 * mode `pg_advisory_lock` and `pg_advisory_unlock` can run on different server connections, so the unlock
 * misses and the lock stays held by a pooled server connection — the next migration waits for ever. Now the
 * lock is transaction-scoped. Also: `migrateVia` migrates over a direct URL (DATABASE_DIRECT_URL).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createPrivateDatabase,
  describeWithPrivate,
  startPgBouncer,
  startPrivatePostgres,
  withDatabase,
  type PrivateService,
} from '../support/private-services.js';
import { openStore, type Store } from '#src/platform/store/db.js';
import { listMigrations, migrate, migrateVia, isMigrated } from '#src/platform/store/migrate.js';

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describeWithPrivate(['postgres', 'pgbouncer'], 'migrations through PgBouncer in transaction mode', () => {
  let pg: PrivateService;
  let bouncer: PrivateService;
  const stores: Store[] = [];
  const open = async (url: string) => {
    const store = await openStore({ databaseUrl: url, dataDir: '.unused' });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    bouncer = await startPgBouncer({ postgres: pg, poolSize: 4 });
    await createPrivateDatabase(pg, 'racing');
    await createPrivateDatabase(pg, 'direct');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
    await bouncer?.destroy();
    await pg?.destroy();
  });

  it('three instances migrating at once through the pooler, then again: each applied once, none hangs', async () => {
    const url = withDatabase(bouncer.url, 'racing');
    const racing = await Promise.all([open(url), open(url), open(url)]);
    const results = await withTimeout(
      Promise.all(racing.map((s) => migrate(s))),
      30_000,
      'racing migrations',
    );
    const total = listMigrations().length;
    expect(results.map((r) => r.applied.length).reduce((a, b) => a + b, 0)).toBe(total);
    for (let round = 0; round < 3; round++) {
      const again = await withTimeout(Promise.all(racing.map((s) => migrate(s))), 10_000, `round ${round}`);
      expect(again.every((r) => r.applied.length === 0)).toBe(true);
    }
    // No advisory lock is left held by any server connection.
    const direct = await open(withDatabase(pg.url, 'racing'));
    expect(await direct.query(`select 1 from pg_locks where locktype = 'advisory'`)).toHaveLength(0);
  });

  it('migrateVia uses the direct URL when one is given', async () => {
    const pooled = await open(withDatabase(bouncer.url, 'direct'));
    // The pooler is hung while migrating: a migration that went through it would time out here.
    bouncer.pause();
    try {
      const result = await withTimeout(
        migrateVia(pooled, withDatabase(pg.url, 'direct')),
        20_000,
        'migrating over the direct URL with the pooler hung',
      );
      expect(result.applied).toHaveLength(listMigrations().length);
    } finally {
      bouncer.resume();
    }
    expect(await isMigrated(pooled)).toBe(true);
  });
});
