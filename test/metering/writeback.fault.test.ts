/**
 * Fault test at the writer level: the shared PostgreSQL is stopped for 10 s and started again while usage
 * events stream into metering. Afterwards every event is in the store exactly once and the rollups and
 * ledger debits agree with the raw events. Runs alone (vitest.fault.config.ts); PostgreSQL is always
 * started again, whatever happens.
 */
import { expect, it } from 'vitest';
import { createLogger } from '#src/platform/log.js';
import { createMetering } from '#src/platform/metering/metering.js';
import { describeWith } from '../support/services.js';
import { useMeteringDatabase } from './database.js';
import { postgres, waitForPostgres } from './pg-control.js';
import { count, rollupMismatches, usageEvent } from './support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWith(['postgres'], 'metering through a 10 s PostgreSQL outage', () => {
  const m = useMeteringDatabase('portal_meter_fault', 'org_fault', async ({ store }) => {
    postgres('start'); // a no-op when it is already running
    await waitForPostgres(store);
  });

  it('loses and duplicates nothing: events, rollups and debits match what was recorded', async () => {
    const log = createLogger({ level: 'silent' });
    const metering = createMetering({
      store: m.store,
      log,
      spoolDir: m.spoolDir,
      writeTimeoutMs: 2_000,
      probeIntervalMs: 250,
    });
    let recorded = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        for (let i = 0; i < 25; i++) {
          metering.recordUsage(
            usageEvent({ orgId: 'org_fault', keyId: `key_${recorded % 7}`, costMicros: 3 }),
          );
          recorded++;
        }
        await sleep(10);
      }
    })();
    try {
      await sleep(3_000);
      postgres('stop');
      const stoppedAt = Date.now();
      await sleep(10_000 - (Date.now() - stoppedAt));
      expect(metering.stats().state).toBe('spooling');
      expect(metering.stats().spoolBytes).toBeGreaterThan(0);
    } finally {
      postgres('start');
    }
    await waitForPostgres(m.store);
    await sleep(3_000);
    stop = true;
    await load;
    await expect
      .poll(() => metering.stats().state === 'ok' && metering.stats().spoolBytes === 0, { timeout: 60_000 })
      .toBe(true);
    await metering.close();
    const stats = metering.stats();
    console.log(
      `fault test: ${recorded} events recorded, ${stats.eventsSpooled} spooled, ` +
        `${stats.eventsReplayed} replayed, ${stats.writeFailures} failed writes`,
    );
    expect(recorded).toBeGreaterThan(3_000);
    expect(stats.eventsSpooled).toBeGreaterThan(0);
    expect(await count(m.store.query, 'usage_events', `org_id = 'org_fault'`)).toBe(recorded);
    expect(await count(m.store.query, 'billing_ledger', `kind = 'usage_debit'`)).toBe(recorded);
    expect(await rollupMismatches(m.store.query)).toEqual([]);
  });
});
