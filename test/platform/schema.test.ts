import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '#src/platform/store/db.js';
import { openMemoryStore, openStore } from '#src/platform/store/db.js';
import { migrate } from '#src/platform/store/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { describeWith } from '../support/services.js';

const SHAPE_QUERIES = {
  columns: `select table_name, column_name, data_type, is_nullable, column_default
              from information_schema.columns where table_schema = 'public' order by 1, 2`,
  constraints: `select tc.table_name, tc.constraint_name, tc.constraint_type
                  from information_schema.table_constraints tc
                 where tc.table_schema = 'public' and tc.constraint_name not like '%not_null' order by 1, 2`,
  // Not-null constraints are compared through is_nullable: PostgreSQL 17 (PGlite) names them, 15 does not.
  indexes: `select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`,
};

async function shape(store: Store) {
  const out: Record<string, unknown[]> = {};
  for (const [name, q] of Object.entries(SHAPE_QUERIES)) out[name] = await store.query(q);
  return out;
}

describe('migrations on embedded PGlite', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openMemoryStore();
  });
  afterAll(() => store.close());

  it('apply once, then a second run changes nothing', async () => {
    const first = await migrate(store);
    expect(first.applied.length).toBe(first.total);
    const before = await shape(store);
    const second = await migrate(store);
    expect(second.applied).toEqual([]);
    expect(await shape(store)).toEqual(before);
  });

  it('create every table of the data model', async () => {
    const tables = (
      await store.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      )
    ).map((r) => r.table_name);
    for (const t of [
      'users',
      'organizations',
      'organization_members',
      'api_keys',
      'plans',
      'plan_subscriptions',
      'models',
      'model_access_policies',
      'router_pools',
      'router_pool_models',
      'routers',
      'usage_events',
      'usage_rollups',
      'request_logs',
      'billing_ledger',
      'audit_log',
    ])
      expect(tables).toContain(t);
  });
});

describeWith(['postgres'], 'migrations on PostgreSQL', () => {
  let db: TestDatabase;
  let pgStore: Store;
  let lite: Store;
  beforeAll(async () => {
    db = await createTestDatabase();
    pgStore = await openStore({ databaseUrl: db.url, dataDir: '.portal-unused' });
    lite = await openMemoryStore();
  });
  afterAll(async () => {
    await pgStore?.close();
    await lite?.close();
    await db?.drop();
  });

  it('give exactly the same schema as PGlite', async () => {
    await migrate(pgStore);
    await migrate(lite);
    expect(await shape(pgStore)).toEqual(await shape(lite));
  });

  it('run concurrently from several connections without conflict (advisory lock)', async () => {
    const other = await createTestDatabase();
    const stores = await Promise.all(
      [1, 2, 3].map(() => openStore({ databaseUrl: other.url, dataDir: '.portal-unused' })),
    );
    try {
      const results = await Promise.all(stores.map((s) => migrate(s)));
      // Each migration takes the lock in its own transaction, so the runners may share the work: what holds
      // is that every migration was applied exactly once, by one of them, and none failed.
      const applied = results.flatMap((r) => r.applied).sort();
      expect(applied).toHaveLength(results[0]!.total);
      expect(new Set(applied).size).toBe(applied.length);
      expect((await migrate(stores[0]!)).applied).toEqual([]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await other.drop();
    }
  });
});
