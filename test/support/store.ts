/**
 * Test stores. Every suite that touches the database runs against embedded PGlite (in memory) and, when
 * DATABASE_URL is set, against real PostgreSQL on a database created for that suite and dropped after it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '#src/platform/store/db.js';
import { openTestStore } from './pglite.js';
import { migrate } from '#src/platform/store/migrate.js';
import { hasService } from './services.js';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database next to DATABASE_URL's; drop() removes it. */
export async function createTestDatabase(prefix = 'portal_test'): Promise<TestDatabase> {
  const admin = process.env.DATABASE_URL;
  if (!admin) throw new Error('DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A fresh PostgreSQL database with a migrated store open on it; `close()` closes the store and drops it. */
export interface OpenTestDatabase extends TestDatabase {
  store: Store;
  close(): Promise<void>;
}

export async function openTestDatabase(prefix?: string): Promise<OpenTestDatabase> {
  const db = await createTestDatabase(prefix);
  const store = await openStore({ databaseUrl: db.url, dataDir: '.portal-unused' });
  await migrate(store);
  return {
    ...db,
    store,
    async close() {
      await store.close();
      await db.drop();
    },
  };
}

export interface StoreTarget {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated store; call the returned close() in afterAll. */
  open(): Promise<{ store: Store; url?: string; close(): Promise<void> }>;
}

export function storeTargets(): StoreTarget[] {
  const targets: StoreTarget[] = [
    {
      name: 'pglite',
      async open() {
        const store = await openTestStore();
        await migrate(store);
        return { store, close: () => store.close() };
      },
    },
  ];
  if (hasService('postgres'))
    targets.push({
      name: 'postgres',
      open: () => openTestDatabase(),
    });
  else console.warn('SKIPPED PostgreSQL variants of store suites — DATABASE_URL is not set');
  return targets;
}
