import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '#src/platform/log.js';
import { createMetering } from '#src/platform/metering/metering.js';
import { toEventRow } from '#src/platform/metering/rows.js';
import { writeBatch } from '#src/platform/metering/write-batch.js';
import type { Store } from '#src/platform/store/db.js';
import { storeTargets } from '../support/store.js';
import { count, requestLog, rollupMismatches, seedOrg, usageEvent } from './support.js';

const log = createLogger({ level: 'silent' });

for (const target of storeTargets()) {
  describe(`metering writeback on ${target.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let dir: string;
    beforeAll(async () => {
      ({ store, close } = await target.open());
      dir = mkdtempSync(join(tmpdir(), 'portal-metering-'));
      await seedOrg(store.query, 'org_free', { planId: 'free' });
      await seedOrg(store.query, 'org_credits', { planId: 'credits' });
      await seedOrg(store.query, 'org_bodies', { logBodies: true });
    });
    afterAll(async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes every recorded event and log, and the rollups equal the raw events', async () => {
      const metering = createMetering({ store, log, spoolDir: join(dir, 'a'), batchSize: 7 });
      const hourAgo = new Date(Date.now() - 3_600_000);
      for (let i = 0; i < 50; i++) {
        metering.recordUsage(
          usageEvent({ orgId: 'org_free', keyId: `key_${i % 3}`, occurredAt: i % 2 ? hourAgo : new Date() }),
        );
        metering.recordRequest(requestLog({ orgId: 'org_free' }));
      }
      await metering.close();
      expect(await count(store.query, 'usage_events', `org_id = 'org_free'`)).toBe(50);
      expect(await count(store.query, 'request_logs', `org_id = 'org_free'`)).toBe(50);
      expect(await rollupMismatches(store.query)).toEqual([]);
      expect(metering.stats()).toMatchObject({ eventsWritten: 50, logsWritten: 50, queueDepth: 0 });
    });

    it('counts a replayed batch once: events, rollups and debits', async () => {
      const batch = {
        events: [usageEvent({ orgId: 'org_credits', costMicros: 300 })].map(toEventRow),
        logs: [],
      };
      const first = await writeBatch(store.query, batch);
      const second = await writeBatch(store.query, batch);
      expect(first).toMatchObject({ events: 1, debits: 1 });
      expect(second).toMatchObject({ events: 0, rollups: 0, debits: 0 });
      expect(await rollupMismatches(store.query)).toEqual([]);
      const ledger = await store.query<{ amount_micros: string | number }>(
        `select amount_micros from billing_ledger where org_id = 'org_credits' and kind = 'usage_debit'`,
      );
      expect(ledger.map((r) => Number(r.amount_micros))).toEqual([-300]);
    });

    it('debits the ledger only for organizations on a credits plan', async () => {
      const metering = createMetering({ store, log, spoolDir: join(dir, 'b') });
      metering.recordUsage(usageEvent({ orgId: 'org_free', costMicros: 1000 }));
      metering.recordUsage(usageEvent({ orgId: 'org_credits', costMicros: 1000 }));
      await metering.close();
      expect(await count(store.query, 'billing_ledger', `org_id = 'org_free'`)).toBe(0);
      expect(await count(store.query, 'billing_ledger', `org_id = 'org_credits'`)).toBe(2);
    });

    it('keeps bodies only for organizations that turned body logging on', async () => {
      const metering = createMetering({ store, log, spoolDir: join(dir, 'c') });
      const body = { messages: [{ role: 'user', content: 'hi' }] };
      metering.recordRequest(requestLog({ requestId: 'req_on', orgId: 'org_bodies', requestBody: body }));
      metering.recordRequest(requestLog({ requestId: 'req_off', orgId: 'org_free', requestBody: body }));
      await metering.close();
      const rows = await store.query<{ request_id: string; request_body: unknown; body_expires_at: unknown }>(
        `select request_id, request_body, body_expires_at from request_logs where request_id in ('req_on', 'req_off')
         order by request_id`,
      );
      expect(rows[0]).toMatchObject({ request_id: 'req_off', request_body: null, body_expires_at: null });
      expect(rows[1]).toMatchObject({ request_id: 'req_on', request_body: body });
      expect(rows[1]?.body_expires_at).not.toBeNull();
    });

    it('spools a full queue to disk instead of dropping it, and replays it', async () => {
      const metering = createMetering({
        store,
        log,
        spoolDir: join(dir, 'd'),
        queueMax: 10,
        batchSize: 1000,
        flushIntervalMs: 60_000,
      });
      for (let i = 0; i < 95; i++) metering.recordUsage(usageEvent({ orgId: 'org_full' }));
      await metering.flush();
      expect(metering.stats().eventsSpooled).toBeGreaterThanOrEqual(90);
      await metering.flush();
      await metering.close();
      expect(await count(store.query, 'usage_events', `org_id = 'org_full'`)).toBe(95);
      expect(metering.stats()).toMatchObject({ spoolBytes: 0 });
    });

    it('sets a row the store rejects aside and writes the rest of its batch', async () => {
      const metering = createMetering({ store, log, spoolDir: join(dir, 'e'), batchSize: 100 });
      for (let i = 0; i < 9; i++) metering.recordUsage(usageEvent({ orgId: 'org_poison' }));
      metering.recordUsage(usageEvent({ orgId: 'org_poison', status: 1e12 }));
      metering.recordUsage(usageEvent({ orgId: 'org_poison', occurredAt: new Date(Number.NaN) }));
      await metering.close();
      expect(await count(store.query, 'usage_events', `org_id = 'org_poison'`)).toBe(10);
      expect(metering.stats().lastError).toMatch(/rejected/);
    });
  });
}

describe('request-log body retention', () => {
  it('clears bodies past their retention and keeps the metadata and younger bodies', async () => {
    const { sweepExpiredBodies } = await import('#src/platform/metering/retention.js');
    const [target] = storeTargets();
    const { store, close } = await target!.open();
    try {
      await seedOrg(store.query, 'org_ret', { logBodies: true });
      await store.query(`update organizations set body_retention_days = 7 where id = 'org_ret'`);
      const metering = createMetering({ store, log, spoolDir: join(tmpdir(), 'portal-unused-spool') });
      const old = new Date(Date.now() - 8 * 86_400_000);
      metering.recordRequest(
        requestLog({ requestId: 'req_old', orgId: 'org_ret', occurredAt: old, requestBody: { a: 1 } }),
      );
      metering.recordRequest(requestLog({ requestId: 'req_new', orgId: 'org_ret', requestBody: { a: 2 } }));
      await metering.close();
      expect(await sweepExpiredBodies(store.query)).toBe(1);
      const rows = await store.query<{ request_id: string; request_body: unknown }>(
        `select request_id, request_body from request_logs where org_id = 'org_ret' order by request_id`,
      );
      expect(rows).toEqual([
        { request_id: 'req_new', request_body: { a: 2 } },
        { request_id: 'req_old', request_body: null },
      ]);
    } finally {
      await close();
    }
  });
});
