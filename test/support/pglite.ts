/**
 * Fast embedded stores for tests. A fresh PGlite runs initdb (seconds, and far more on a loaded 2-core
 * machine); loading a dump of an already-migrated one is several times faster. The first test process that
 * needs one builds the migrated template and leaves it in the temp dir, named by the hash of the migrations,
 * so every later test file (each runs in its own process) loads it instead. Each test still gets its own
 * private in-memory database.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore, type Store } from '#src/platform/store/db.js';
import { listMigrations, migrate } from '#src/platform/store/migrate.js';

const templateFile = join(
  tmpdir(),
  `portal-pglite-${createHash('sha256')
    .update(
      listMigrations()
        .map((m) => m.hash)
        .join(),
    )
    .digest('hex')
    .slice(0, 16)}.tar`,
);

let template: Promise<Blob> | undefined;

async function buildTemplate(): Promise<Blob> {
  if (existsSync(templateFile)) return new Blob([readFileSync(templateFile)]);
  const store = await openMemoryStore();
  await migrate(store);
  const blob = await store.dump!();
  await store.close();
  const partial = `${templateFile}.${process.pid}`;
  writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
  renameSync(partial, templateFile); // atomic: a concurrent reader sees the whole file or none
  return blob;
}

/** A private, migrated in-memory store; close it in afterAll or the process will not exit. */
export async function openTestStore(): Promise<Store> {
  template ??= buildTemplate();
  try {
    return await openMemoryStore({ loadDataDir: await template });
  } catch {
    // A damaged template (e.g. an interrupted run) must not break the suite: start fresh and migrate.
    template = undefined;
    const store = await openMemoryStore();
    await migrate(store);
    return store;
  }
}

let shared: Promise<Store> | undefined;

/**
 * The test worker's one store (opening PGlite is the slow part): every portal of a file shares it unless it
 * asks for its own. test/support/setup.ts closes it after the file, or the worker would never exit.
 */
export function sharedTestStore(): Promise<Store> {
  shared ??= openTestStore();
  return shared;
}

export async function closeSharedTestStore(): Promise<void> {
  const store = shared;
  shared = undefined;
  if (store) await (await store).close();
}
