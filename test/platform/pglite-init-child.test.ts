/**
 * A fresh embedded data dir is prepared in a short-lived child process (src/platform/store/pglite-options.ts):
 * from the build (`npm start`, `portal serve`) the child runs initdb and every migration, so the server only
 * reopens a migrated dir (the DDL's WebAssembly memory stays in the child); from TypeScript sources
 * it runs initdb only and the server migrates. Both leave a dir the server's own `migrate()` finds complete.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { initialiseInChild, PGLITE_START_PARAMS } from '#src/platform/store/pglite-options.js';
import { listMigrations } from '#src/platform/store/migrate.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-pglite-child-'));
  dirs.push(dir);
  return join(dir, 'pgdata');
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function migrationsIn(dir: string): Promise<string[] | null> {
  const db = await PGlite.create(dir, { startParams: PGLITE_START_PARAMS });
  try {
    const table = await db.query<{ t: string | null }>(`select to_regclass('portal_migrations')::text as t`);
    if (!table.rows[0]?.t) return null;
    return (await db.query<{ tag: string }>('select tag from portal_migrations order by tag')).rows.map(
      (r) => r.tag,
    );
  } finally {
    await db.close();
  }
}

describe('the embedded data dir prepared in a child process', () => {
  it('from the build: initdb and every migration, so the server has nothing left to apply', async () => {
    const built = pathToFileURL(join(process.cwd(), 'dist/platform/store/pglite-options.js')).href;
    const compiled = (await import(built)) as { initialiseInChild: typeof initialiseInChild };
    const dir = freshDir();
    expect(await compiled.initialiseInChild(dir)).toBe(true);
    expect(await migrationsIn(dir)).toEqual(
      listMigrations()
        .map((m) => m.tag)
        .sort(),
    );
  }, 120_000);

  it('from TypeScript sources: initdb only (the child cannot load migrate.ts); the server migrates', async () => {
    const dir = freshDir();
    expect(await initialiseInChild(dir)).toBe(true);
    expect(await migrationsIn(dir)).toBeNull();
  }, 120_000);
});
