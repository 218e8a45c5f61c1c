import { expect, it } from 'vitest';
import { createLogger } from '#src/platform/log.js';
import { createMetering } from '#src/platform/metering/metering.js';
import { describeWith } from '../support/services.js';
import { setReachable } from './pg-control.js';
import { useMeteringDatabase } from './database.js';
import { count, rollupMismatches, usageEvent } from './support.js';

const log = createLogger({ level: 'silent' });

describeWith(['postgres'], 'metering while its PostgreSQL database is unreachable', () => {
  const m = useMeteringDatabase('portal_meter_outage', 'org_c', (m) =>
    setReachable(m.db.name, true).catch(() => {}),
  );

  /** A metering writer on this suite's database and spool directory. */
  const writer = (options: Partial<Parameters<typeof createMetering>[0]> = {}) =>
    createMetering({ store: m.store, log, spoolDir: m.spoolDir, ...options });

  it('spools during the outage and, once back, holds every event exactly once with matching rollups', async () => {
    const metering = writer({
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
    await setReachable(m.db.name, false);
    await record(1_000, 2_000);
    await expect.poll(() => metering.stats().state, { timeout: 10_000 }).toBe('spooling');
    await record(2_000, 2_500);
    await metering.flush();
    expect(metering.stats().spoolBytes).toBeGreaterThan(0);
    await setReachable(m.db.name, true);
    await record(2_500, total);
    await expect
      .poll(async () => metering.stats().state === 'ok' && metering.stats().spoolBytes === 0, {
        timeout: 20_000,
      })
      .toBe(true);
    await metering.close();
    expect(await count(m.store.query, 'usage_events', `org_id = 'org_c'`)).toBe(total);
    expect(await count(m.store.query, 'billing_ledger', `kind = 'usage_debit'`)).toBe(total);
    expect(await rollupMismatches(m.store.query)).toEqual([]);
    expect(metering.stats().writeFailures).toBeGreaterThan(0);
  });

  it('spools what close() cannot write, and the next writer replays it', async () => {
    const first = writer({ writeTimeoutMs: 1_000, probeIntervalMs: 100 });
    await setReachable(m.db.name, false);
    for (let i = 0; i < 400; i++) first.recordUsage(usageEvent({ orgId: 'org_close' }));
    await first.close();
    expect(first.stats().eventsSpooled).toBe(400);
    await setReachable(m.db.name, true);
    const second = writer();
    await expect.poll(() => second.stats().spoolBytes, { timeout: 10_000 }).toBe(0);
    await second.close();
    expect(await count(m.store.query, 'usage_events', `org_id = 'org_close'`)).toBe(400);
  });
});
