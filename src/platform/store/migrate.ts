/**
 * Runs the SQL migrations that drizzle-kit generates (`migrations/`), in order, each in a transaction, under a
 * Postgres advisory lock so that several instances starting at once apply each migration exactly once.
 * Running it again is a no-op; an applied migration whose file changed is an error, not a silent skip.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from './db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
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
    await query('select pg_advisory_lock($1)', [LOCK_ID]);
    try {
      await query(`create table if not exists portal_migrations (
        tag text primary key, hash text not null, applied_at timestamptz not null default now())`);
      const done = new Map(
        (await query<{ tag: string; hash: string }>('select tag, hash from portal_migrations')).map((r) => [
          r.tag,
          r.hash,
        ]),
      );
      const applied: string[] = [];
      for (const m of migrations) {
        const previous = done.get(m.tag);
        if (previous !== undefined) {
          if (previous !== m.hash) throw new Error(`migration ${m.tag} was changed after it was applied`);
          continue;
        }
        await query('begin');
        try {
          for (const statement of m.statements) await query(statement);
          await query('insert into portal_migrations (tag, hash) values ($1, $2)', [m.tag, m.hash]);
          await query('commit');
        } catch (err) {
          await query('rollback');
          throw new Error(`migration ${m.tag} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(m.tag);
      }
      return { applied, total: migrations.length };
    } finally {
      await query('select pg_advisory_unlock($1)', [LOCK_ID]);
    }
  });
}

/** True when every known migration is applied (for /readyz). */
export async function isMigrated(store: Store): Promise<boolean> {
  const rows = await store.query<{ n: number }>(
    `select count(*)::int as n from portal_migrations where tag = any($1::text[])`,
    [listMigrations().map((m) => m.tag)],
  );
  return rows[0]?.n === listMigrations().length;
}
