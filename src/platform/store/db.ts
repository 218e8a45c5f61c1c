/**
 * Opens the store: PostgreSQL (`DATABASE_URL`, production and Supabase) or embedded PGlite (a real Postgres
 * compiled to WASM, data under the data dir). Both give the same drizzle database and the same raw-SQL
 * helpers, so the rest of the code never asks which one it has.
 */
import { mkdirSync, accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';
import { initialiseInChild, isInitialised, PGLITE_START_PARAMS } from './pglite-options.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A raw query runner bound to one connection (or the pool). */
export type Query = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

export interface Store {
  readonly kind: 'postgres' | 'pglite';
  /** Where the data lives, safe to log (no password). */
  readonly description: string;
  readonly db: Db;
  readonly query: Query;
  /** Runs fn on one dedicated connection (for session-level locks and transactions). */
  withConnection<T>(fn: (query: Query) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** In-memory PGlite only: the data dir as a tarball (see openMemoryStore). */
  dump?(): Promise<Blob>;
}

/**
 * Runs `fn` in one transaction: every write it makes through `tx` commits together or not at all. Both
 * drivers give a real transaction (node-postgres: one pooled connection; PGlite: its one connection, held
 * exclusively until the end, so inside `fn` use `tx` only — a query on the outer `db` would wait forever).
 * Called with a transaction, it nests as a savepoint.
 *
 * @example
 *   await inTransaction(db, async (tx) => { await tx.insert(apiKeys).values(row); await recordAudit(tx, entry); });
 */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  // A drizzle transaction is a PgDatabase with rollback(); the cast only drops its narrower schema generics.
  return db.transaction((tx) => fn(tx as unknown as Db));
}

export class StoreError extends Error {
  override name = 'StoreError';
}

export async function openStore(options: { databaseUrl?: string; dataDir: string }): Promise<Store> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database url)';
  }
}

async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  const description = `PostgreSQL ${redactUrl(url)}`;
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new StoreError(`cannot reach ${description}: ${describePgError(err)}`);
  }
  const query: Query = async (text, params) => (await pool.query(text, params as unknown[])).rows;
  return {
    kind: 'postgres',
    description,
    db: drizzlePg({ client: pool, schema }) as unknown as Db,
    query,
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn(async (text, params) => (await client.query(text, params as unknown[])).rows);
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Store> {
  const dir = resolve(dataDir, 'pgdata');
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new StoreError(
      `data dir ${resolve(dataDir)} is not writable (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  let client: PGlite;
  try {
    if (!isInitialised(dir)) await initialiseInChild(dir);
    client = await PGlite.create(dir, { startParams: PGLITE_START_PARAMS });
  } catch (err) {
    throw new StoreError(`cannot open the embedded database in ${dir}: ${(err as Error).message}`);
  }
  // PGlite has one connection: queue raw queries through it like any other.
  const query: Query = async (text, params) => (await client.query(text, params as unknown[])).rows as never;
  return {
    kind: 'pglite',
    description: `embedded PGlite at ${join(resolve(dataDir), 'pgdata')}`,
    db: drizzlePglite({ client, schema }) as unknown as Db,
    query,
    withConnection: (fn) => fn(query),
    async ping() {
      await client.query('select 1');
    },
    async close() {
      await client.close();
    },
  };
}

/**
 * Opens an in-memory PGlite store (tests and benchmarks), optionally from a data-dir dump
 * (`PGlite.dumpDataDir()`), which skips initdb — much faster than a fresh start.
 */
export async function openMemoryStore(options: { loadDataDir?: Blob } = {}): Promise<Store> {
  const client = await PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  const query: Query = async (text, params) => (await client.query(text, params as unknown[])).rows as never;
  return {
    kind: 'pglite',
    description: 'in-memory PGlite',
    db: drizzlePglite({ client, schema }) as unknown as Db,
    query,
    withConnection: (fn) => fn(query),
    ping: async () => void (await client.query('select 1')),
    close: () => client.close(),
    dump: () => client.dumpDataDir('none'),
  };
}

function describePgError(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  if (e.errors?.length) return e.errors.map((x) => x.message).join('; ');
  return e.code && e.message ? `${e.code} ${e.message}` : (e.message ?? String(err));
}
