/**
 * How Portal runs the embedded PGlite database, sized for a single small instance (measured in
 * docs/benchmarks.md, issue 16):
 *
 * - PostgreSQL's memory settings are lowered: `shared_buffers` 16 MB instead of 128 MB (PGlite's default), small
 *   WAL, work and temp buffers. The shared buffers live in the WebAssembly memory, which never shrinks; at
 *   128 MB a reopened data dir idled at ~290 MB RSS for PGlite alone, at 16 MB ~165 MB. Portal's embedded data
 *   (accounts, keys, usage rollups of one instance) is small and the OS page cache still holds the files.
 * - A fresh data dir is initialised (initdb) in a short-lived child process: PGlite runs initdb in a second
 *   WebAssembly instance whose memory the process keeps after it closes (a first start idled at ~800 MB RSS
 *   for PGlite alone), so the child does it and exits, and Portal then opens the ready data dir as on any
 *   restart. Should the child fail, Portal initialises in-process as before.
 * - Running from compiled JavaScript (`npm start`, `portal serve`), the same child also applies Portal's
 *   migrations (the same `migrate()`), since the catalog work of the DDL grows the WebAssembly memory by
 *   tens of MB that a restart never needs (bench/pglite-migrations-memory.ts, docs/benchmarks.md). From TypeScript sources (tsx, the test
 *   runner) the child cannot load `migrate.ts`, so there the server migrates as on any start. Either way the
 *   server runs `migrate()` after opening: a no-op when the child did it, the whole work when it did not.
 */
import { execFile } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { COMPILED, fromRoot } from '../paths.js';

/** PGlite's own defaults (`PGlite.defaultStartParams`) plus the memory settings above. */
export const PGLITE_START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...['-c', 'shared_buffers=16MB', '-c', 'wal_buffers=1MB', '-c', 'work_mem=2MB', '-c', 'temp_buffers=2MB'],
];

const run = promisify(execFile);

// Runs in the child:
// `node --input-type=module -e INIT <pglite module url> <dir> <start params JSON> [<migrate module url>]`.
const INIT = `
const [url, dir, params, migrateUrl] = process.argv.slice(1);
const { PGlite } = await import(url);
const db = await PGlite.create(dir, { startParams: JSON.parse(params) });
try {
  if (migrateUrl) {
    const { migrate } = await import(migrateUrl);
    const query = async (text, values) => (await db.query(text, values)).rows;
    await migrate({ withConnection: (fn) => fn(query) });
  }
} finally {
  await db.close();
}
`;

/** The compiled `migrate.js` when running compiled (dist/ or the bundle); none from TypeScript sources (see above). */
const MIGRATE_URL = COMPILED ? pathToFileURL(fromRoot('dist/platform/store/migrate.js')).href : undefined;

/** Whether `dir` holds an initialised PostgreSQL data directory. */
export function isInitialised(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/**
 * Runs initdb (and, compiled, the migrations) for `dir` in a child process; false when the data dir was not
 * initialised (the caller then initialises itself). A failed migration there leaves it to the server's own.
 */
export async function initialiseInChild(dir: string): Promise<boolean> {
  try {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const args = ['--input-type=module', '-e', INIT, pathToFileURL(entry).href, dir];
    const params = JSON.stringify(PGLITE_START_PARAMS);
    await run(process.execPath, [...args, params, ...(MIGRATE_URL ? [MIGRATE_URL] : [])], {
      timeout: 300_000,
    });
  } catch {
    // initdb or a migration failed in the child: the server initialises or migrates itself.
  }
  return isInitialised(dir);
}
