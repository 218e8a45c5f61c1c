/**
 * Regression "5xx tail after recovery" (issue #17: the 30-minute soak through PgBouncer saw 503
 * service_unavailable up to 15 s after PostgreSQL was started again; the promise is recovery within 2 s of the
 * database answering). Stops a private PostgreSQL for ~5 s while the store is in use — directly and through a
 * private PgBouncer in transaction mode, as the soak runs — starts it again and polls the store until it
 * answers. Private services only: never the shared 5432.
 *
 * Cause: PgBouncer waits `server_login_retry` (15 s by default) after a failed server login before trying
 * again, so queries through it kept failing for up to 15 s after PostgreSQL was back (measured here before the
 * fix: 9.8 s through PgBouncer, 8 ms direct). The private PgBouncer (the soak's too) now sets it to 1 s.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore, type Store } from '#src/platform/store/db.js';
import {
  describeWithPrivate,
  startPgBouncer,
  startPrivatePostgres,
  type PrivateService,
} from '../support/private-services.js';

const RECOVERY_BOUND_MS = 2_000;

/** A ping that gives up after 1 s (through PgBouncer a query waits for a server connection, not failing). */
function ping(store: Store): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    store.ping(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('ping timed out')), 1_000);
    }),
  ]).finally(() => clearTimeout(timer));
}

describeWithPrivate(
  ['postgres', 'pgbouncer'],
  'the store recovers within 2 s of PostgreSQL answering',
  () => {
    let pg: PrivateService;
    let bouncer: PrivateService;
    let direct: Store;
    let pooled: Store;

    beforeAll(async () => {
      pg = await startPrivatePostgres();
      bouncer = await startPgBouncer({ postgres: pg });
      [direct, pooled] = await Promise.all([
        openStore({ databaseUrl: pg.url, dataDir: '.unused' }),
        openStore({ databaseUrl: bouncer.url, dataDir: '.unused' }),
      ]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([direct?.close(), pooled?.close()]);
      await bouncer?.destroy();
      await pg?.destroy();
    });

    /** Polls `ping` every 50 ms; ms from the call until the first success (or Infinity after `maxMs`). */
    async function recoveryMs(ping: () => Promise<void>, maxMs: number): Promise<number> {
      const from = Date.now();
      while (Date.now() - from < maxMs) {
        try {
          await ping();
          return Date.now() - from;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      return Infinity;
    }

    it('PostgreSQL stopped ~5 s while used, started again: both stores answer within 2 s', async () => {
      await Promise.all([ping(direct), ping(pooled)]);
      await pg.stop();
      const stopped = Date.now();
      // Keep using both stores while it is down (the soak's load does): every call fails.
      while (Date.now() - stopped < 5_000) {
        const results = await Promise.allSettled([ping(direct), ping(pooled)]);
        expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
        await new Promise((r) => setTimeout(r, 200));
      }
      await pg.start(); // returns once PostgreSQL answers a direct connection
      const [directMs, pooledMs] = await Promise.all([
        recoveryMs(() => ping(direct), 20_000),
        recoveryMs(() => ping(pooled), 20_000),
      ]);
      console.log(
        `recovered after PostgreSQL answered: direct ${directMs} ms, through PgBouncer ${pooledMs} ms`,
      );
      expect(directMs, 'direct').toBeLessThanOrEqual(RECOVERY_BOUND_MS);
      expect(pooledMs, 'through PgBouncer').toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    }, 60_000);
  },
);
