import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/log.js';
import { createMetering } from '../../src/platform/metering/metering.js';
import type { Store } from '../../src/platform/store/db.js';
import { describeWith } from '../support/services.js';
import { setReachable } from './pg-control.js';
import { openTestDatabase, type OpenTestDatabase } from '../support/store.js';
import { count, rollupMismatches, seedOrg, usageEvent } from './support.js';

const log = createLogger({ level: 'silent' });

describeWith(['postgres'], 'metering while its PostgreSQL database is unreachable', () => {
  let db: OpenTestDatabase;
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDatabase('portal_meter_outage');
    store = db.store;
    await seedOrg(store.query, 'org_c', { planId: 'credits' });
    dir = mkdtempSync(join(tmpdir(), 'portal-outage-'));
  });
  afterAll(async () => {
    await setReachable(db.name, true).catch(() => {});
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spools during the outage and, once back, holds every event exactly once with matching rollups', async () => {
    const metering = createMetering({
      store,
      log,
      spoolDir: dir,
      batchSize: 50,
      flushIntervalMs: 20,
      probeIntervalMs: 100,
      writeTimeoutMs: 2_000,
    });
    const total = 3_000;
    const record = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        metering.recordUsage(usageEvent({ orgId: 'org_c', keyId: `key_${i % 5}`, costMicros: 7 }));
        if (i % 100 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    };
    await record(0, 1_000);
    await setReachable(db.name, false);
    await record(1_000, 2_000);
    await expect.poll(() => metering.stats().state, { timeout: 10_000 }).toBe('spooling');
    await record(2_000, 2_500);
    await metering.flush();
    expect(metering.stats().spoolBytes).toBeGreaterThan(0);
    await setReachable(db.name, true);
    await record(2_500, total);
    await expect
      .poll(async () => metering.stats().state === 'ok' && metering.stats().spoolBytes === 0, {
        timeout: 20_000,
      })
      .toBe(true);
    await metering.close();
    expect(await count(store.query, 'usage_events', `org_id = 'org_c'`)).toBe(total);
    expect(await count(store.query, 'billing_ledger', `kind = 'usage_debit'`)).toBe(total);
    expect(await rollupMismatches(store.query)).toEqual([]);
    expect(metering.stats().writeFailures).toBeGreaterThan(0);
  });

  it('spools what close() cannot write, and the next writer replays it', async () => {
    const first = createMetering({ store, log, spoolDir: dir, writeTimeoutMs: 1_000, probeIntervalMs: 100 });
    await setReachable(db.name, false);
    for (let i = 0; i < 400; i++) first.recordUsage(usageEvent({ orgId: 'org_close' }));
    await first.close();
    expect(first.stats().eventsSpooled).toBe(400);
    await setReachable(db.name, true);
    const second = createMetering({ store, log, spoolDir: dir });
    await expect.poll(() => second.stats().spoolBytes, { timeout: 10_000 }).toBe(0);
    await second.close();
    expect(await count(store.query, 'usage_events', `org_id = 'org_close'`)).toBe(400);
  });
});
