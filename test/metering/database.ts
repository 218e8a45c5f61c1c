/**
 * The metering suites' fixture: a fresh PostgreSQL database (migrated, one organization on the credits
 * plan) and a spool directory, opened before the suite and removed after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Store } from '#src/platform/store/db.js';
import { openTestDatabase, type OpenTestDatabase } from '../support/store.js';
import { seedOrg } from './support.js';

export interface MeteringDatabase {
  db: OpenTestDatabase;
  store: Store;
  spoolDir: string;
}

/** `beforeClose` runs first in afterAll (e.g. make the database reachable again). */
export function useMeteringDatabase(
  name: string,
  orgId: string,
  beforeClose?: (m: MeteringDatabase) => Promise<unknown>,
): MeteringDatabase {
  const m = {} as MeteringDatabase;
  beforeAll(async () => {
    m.db = await openTestDatabase(name);
    m.store = m.db.store;
    await seedOrg(m.store.query, orgId, { planId: 'credits' });
    m.spoolDir = mkdtempSync(join(tmpdir(), `${name}-`));
  });
  afterAll(async () => {
    if (m.db) await beforeClose?.(m);
    await m.db?.close();
    if (m.spoolDir) rmSync(m.spoolDir, { recursive: true, force: true });
  });
  return m;
}
