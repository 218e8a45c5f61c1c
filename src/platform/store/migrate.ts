/**
 * Runs the SQL migrations that drizzle-kit generates (`migrations/`), in order, each in a transaction that
 * holds a transaction-scoped Postgres advisory lock, so that several instances starting at once apply each
 * migration exactly once — also through a transaction-mode pooler (PgBouncer, Supabase's port 6543), where a
 * session-level lock would outlive its unlock. With `database.directUrl` (DATABASE_DIRECT_URL) the server
 * migrates over that direct connection instead (app.ts, `portal migrate`).
 * Running it again is a no-op; an applied migration whose file changed is an error, not a silent skip.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../paths.js';
import { openStore, type Store } from './db.js';

const MIGRATIONS_DIR = `${fromRoot('migrations')}/`;
const LOCK_ID = 7_263_511_001; // arbitrary, fixed: "portal migrations"

interface Migration {
  tag: string;
  hash: string;
  statements: string[];
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(readFileSync(`${dir}meta/_journal.json`, 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.map(({ tag }) => {
    const text = readFileSync(`${dir}${tag}.sql`, 'utf8');
    return {
      tag,
      hash: createHash('sha256').update(text).digest('hex'),
      statements: text
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  });
}

export interface MigrationResult {
  applied: string[];
  total: number;
}

export async function migrate(store: Store): Promise<MigrationResult> {
  const migrations = listMigrations();
  return store.withConnection(async (query) => {
    // Transaction-scoped locks only: through a transaction-mode pooler (PgBouncer, Supabase's port 6543) a
    // session lock and its unlock can land on different server connections, leaving the lock held forever.
    const locked = async <T>(fn: () => Promise<T>): Promise<T> => {
      await query('begin');
      try {
        await query('select pg_advisory_xact_lock($1)', [LOCK_ID]);
        const result = await fn();
        await query('commit');
        return result;
      } catch (err) {
        await query('rollback').catch(() => undefined);
        throw err;
      }
    };
    await locked(() =>
      query(`create table if not exists portal_migrations (
        tag text primary key, hash text not null, applied_at timestamptz not null default now())`),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      const done = await locked(async () => {
        const rows = await query<{ hash: string }>('select hash from portal_migrations where tag = $1', [
          m.tag,
        ]);
        const previous = rows[0]?.hash;
        if (previous !== undefined) {
          if (previous !== m.hash) throw new Error(`migration ${m.tag} was changed after it was applied`);
          return true;
        }
        try {
          for (const statement of m.statements) await query(statement);
        } catch (err) {
          throw new Error(`migration ${m.tag} failed: ${(err as Error).message}`, { cause: err });
        }
        await query('insert into portal_migrations (tag, hash) values ($1, $2)', [m.tag, m.hash]);
        return false;
      });
      if (!done) applied.push(m.tag);
    }
    return { applied, total: migrations.length };
  });
}

/**
 * Migrates `store`, or, when a direct URL is given (DATABASE_DIRECT_URL, next to a pooled DATABASE_URL),
 * over a short-lived connection to that URL instead.
 */
export async function migrateVia(store: Store, directUrl: string | undefined): Promise<MigrationResult> {
  if (!directUrl || store.kind !== 'postgres') return migrate(store);
  const direct = await openStore({ databaseUrl: directUrl, dataDir: '.unused' });
  try {
    return await migrate(direct);
  } finally {
    await direct.close();
  }
}

/** True when every known migration is applied (for /readyz). */
export async function isMigrated(store: Store): Promise<boolean> {
  const rows = await store.query<{ n: number }>(
    `select count(*)::int as n from portal_migrations where tag = any($1::text[])`,
    [listMigrations().map((m) => m.tag)],
  );
  return rows[0]?.n === listMigrations().length;
}
