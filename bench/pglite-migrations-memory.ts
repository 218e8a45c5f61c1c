/**
 * What Portal's migrations cost PGlite in memory (issue 16, docs/benchmarks.md "Embedded memory and start"):
 * a data dir is initialised (initdb only, as from TypeScript sources), then, each in a fresh `--expose-gc`
 * process, PGlite with Portal's start parameters opens it and applies every migration, and then reopens the
 * migrated dir. RSS after a forced GC at each step. The difference is what the server keeps when it migrates
 * itself, and why the build's init child also migrates (src/platform/store/pglite-options.ts).
 *
 * Run: `npx tsx bench/pglite-migrations-memory.ts`
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { initialiseInChild, PGLITE_START_PARAMS } from '../src/platform/store/pglite-options.js';
import { listMigrations } from '../src/platform/store/migrate.js';

const rssMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().rss / 1e6);
};

/** One step in this process: open the dir, optionally migrate, print RSS after each. */
async function step(dir: string, migrate: boolean) {
  const db = await PGlite.create(dir, { startParams: PGLITE_START_PARAMS });
  const report: Record<string, number> = { opened: rssMb() };
  if (migrate) {
    for (const m of listMigrations()) for (const statement of m.statements) await db.exec(statement);
    report.migrated = rssMb();
  }
  await db.close();
  console.log(JSON.stringify(report));
}

const [mode, dir] = process.argv.slice(2);
if (mode === 'step' && dir) {
  await step(dir, process.argv[4] === 'migrate');
} else {
  const root = mkdtempSync(join(tmpdir(), 'portal-pglite-mem-'));
  const data = join(root, 'pgdata');
  try {
    if (!(await initialiseInChild(data))) throw new Error('initdb in the child failed');
    const self = fileURLToPath(import.meta.url);
    const run = (...extra: string[]) =>
      execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, 'step', data, ...extra], {
        encoding: 'utf8',
      }).trim();
    console.log(`open + migrate (what a server that migrates itself holds): ${run('migrate')}`);
    console.log(`reopen the migrated dir (what a restart holds):           ${run()}`);
    console.log(`reopen again:                                             ${run()}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
