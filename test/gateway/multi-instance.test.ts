/**
 * Three gateway processes sharing PostgreSQL and Redis behave as one: a key's limit holds across all of them
 * (never over-admitting in any window), and a key revoked through one instance is refused by the other two
 * within a second.
 * - On the shared PostgreSQL directly, with Portal's limiter; then with limits.provider = unkey against one
 *   fake Unkey shared by the three, held to what Unkey documents (decision 021: a window of length W may hold
 *   up to 2N); and once more with keys.provider unkey too, where each key's per-minute limit is its attached
 *   Unkey ratelimit, checked at keys.verifyKey on every request (keys issued through an instance's admin API).
 * - Through PgBouncer in transaction mode (as Supabase's pooler on port 6543) in front of a private
 *   PostgreSQL, with Portal's limiter: the three instances race their migrations through the pooler, and the
 *   third one migrates over DATABASE_DIRECT_URL instead.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import {
  describeWithPrivate,
  startPgBouncer,
  startPrivatePostgres,
  startPrivateRedis,
  type PrivateService,
} from '../support/private-services.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { startPortalProcess, writeConfig, type PortalProcess } from '../support/processes.js';
import { simPoolConfig, ADMIN_TOKEN, remote } from '../support/harness.js';
import { chatBody, errorOf } from '../support/http.js';
import { createAccount, upsertPlan } from '../support/fixtures.js';
import { maxAdmittedInAnyWindow, randomLoad } from '../support/limit-check.js';
import { startFakeUnkey, type FakeUnkey } from '../support/fake-unkey.js';
import { exactGuarantee, unkeyGuarantee } from '../support/unkey-limits.js';
import { openStore, type Store } from '#src/platform/store/db.js';
import { startSimulator, type RunningSimulator } from '#src/inference/simulator/server.js';

const WINDOW_MS = 2_000;
const SIM_KEY = 'multi-instance-sim-key';
const UNKEY_ROOT_KEY = 'unkey_root_multi_instance';

type LimiterMode = 'portal' | 'unkey' | 'unkey keys and limits';

/** Where the three instances' database and Redis come from; `extraEnv[i]` goes to instance i only. */
interface Backing {
  databaseUrl: string;
  redisUrl: string;
  extraEnv?: Array<Record<string, string>>;
  close(): Promise<void>;
}

async function sharedBacking(): Promise<Backing> {
  const db: TestDatabase = await createTestDatabase();
  return { databaseUrl: db.url, redisUrl: process.env.REDIS_URL!, close: () => db.drop() };
}

for (const limiter of ['portal', 'unkey', 'unkey keys and limits'] as const) {
  describeWith(
    ['postgres', 'redis'],
    `three gateway instances on shared PostgreSQL and Redis, limits.provider ${limiter}`,
    () => threeInstances(sharedBacking, limiter),
  );
}

describeWithPrivate(
  ['postgres', 'redis', 'pgbouncer'],
  'three gateway instances through PgBouncer in transaction mode',
  () => {
    threeInstances(async () => {
      const pg: PrivateService = await startPrivatePostgres();
      const [bouncer, redis] = await Promise.all([startPgBouncer({ postgres: pg }), startPrivateRedis()]);
      return {
        databaseUrl: bouncer.url,
        redisUrl: redis.url,
        extraEnv: [{}, {}, { DATABASE_DIRECT_URL: pg.url }] as Array<Record<string, string>>,
        async close() {
          await bouncer.destroy();
          await Promise.all([redis.destroy(), pg.destroy()]);
        },
      };
    }, 'portal');
  },
);

function threeInstances(backing: () => Promise<Backing>, limiter: LimiterMode) {
  const guarantee = limiter === 'portal' ? exactGuarantee : unkeyGuarantee;
  const unkeyKeys = limiter === 'unkey keys and limits';
  let back: Backing;
  let store: Store;
  let sim: RunningSimulator;
  let unkey: FakeUnkey | undefined;
  let instances: PortalProcess[] = [];

  beforeAll(async () => {
    back = await backing();
    sim = await startSimulator({ host: '127.0.0.1', port: 0, options: { apiKey: SIM_KEY } });
    if (limiter !== 'portal') unkey = await startFakeUnkey({ rootKey: UNKEY_ROOT_KEY, apiId: 'api_multi' });
    const config = writeConfig({
      pools: [simPoolConfig(sim.url)],
      gateway: { rateWindowMs: WINDOW_MS },
      ...(unkey ? { limits: { provider: 'unkey', unkey: { baseUrl: unkey.url } } } : {}),
      ...(unkey && unkeyKeys
        ? { keys: { provider: 'unkey', unkey: { baseUrl: unkey.url, apiId: 'api_multi' } } }
        : {}),
    });
    const env = {
      DATABASE_URL: back.databaseUrl,
      REDIS_URL: back.redisUrl,
      PORTAL_CONFIG: config,
      PORTAL_ADMIN_TOKEN: ADMIN_TOKEN,
      PORTAL_TEST_SIM_KEY: SIM_KEY,
      ...(unkey ? { UNKEY_ROOT_KEY } : {}),
    };
    // Started together: migrations race, and the advisory lock must serialise them.
    instances = await Promise.all(
      [0, 1, 2].map((i) => startPortalProcess({ ...env, ...(back.extraEnv?.[i] ?? {}) })),
    );
    store = await openStore({ databaseUrl: back.databaseUrl, dataDir: '.unused' });
    await upsertPlan(store, 'limited', { rpm: 1000, tpm: 10_000_000, rpd: 100_000 });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((p) => p.stop()));
    await store?.close();
    await sim?.close();
    await unkey?.close();
    await back?.close();
  });

  const call = (url: string, key: string) => remote(url).as(key).post('/v1/chat/completions', chatBody());

  /** An account with a key: Portal's own, or with Unkey keys one issued at Unkey through an instance. */
  async function account(requestsPerMinute?: number) {
    const created = await createAccount(store, {
      plan: 'limited',
      ...(requestsPerMinute ? { key: { requestsPerMinute } } : {}),
    });
    if (!unkeyKeys) return created;
    const res = await remote(instances[0]!.url).admin.post('/admin/api/keys', {
      org_id: created.orgId,
      name: 'multi',
      ...(requestsPerMinute ? { limits: { requests_per_minute: requestsPerMinute } } : {}),
    });
    expect(res.status).toBe(201);
    const issued = await res.json<{ id: string; key: string }>();
    return { ...created, key: issued.key, keyId: issued.id };
  }

  it('N concurrent requests spread over three instances: exactly N pass', async () => {
    const { key } = await account(9);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => call(instances[i % 3]!.url, key)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(results.filter((r) => r.status === 429)).toHaveLength(6);
    // In Unkey mode every one of them was decided by the (one, shared) fake Unkey, not by Redis.
    if (unkey) expect(unkey.calls['/v2/ratelimit.multiLimit']).toBeGreaterThanOrEqual(15);
    // With Unkey keys, the key's limit was decided at keys.verifyKey, once per request.
    if (unkey && unkeyKeys) expect(unkey.calls['/v2/keys.verifyKey']).toBeGreaterThanOrEqual(15);
  });

  it('over a randomized run across all three, no window ever holds more than the guarantee allows', async () => {
    const N = 8;
    const { key } = await account(N);
    const samples = await randomLoad(async (i) => (await call(instances[i % 3]!.url, key)).status, {
      workers: 6,
      durationMs: 9_000,
      maxGapMs: 250,
    });
    expect(samples.every((s) => s.status === 200 || s.status === 429)).toBe(true);
    expect(samples.filter((s) => s.status === 200).length).toBeGreaterThanOrEqual(N * 3);
    expect(maxAdmittedInAnyWindow(samples, WINDOW_MS)).toBeLessThanOrEqual(guarantee.maxInAnyWindow(N));
  });

  it('a key revoked through one instance is refused by the other two within 1 s', async () => {
    const { key, keyId } = await account();
    for (const p of instances) expect((await call(p.url, key)).status).toBe(200); // cached everywhere
    const revoked = await remote(instances[0]!.url).admin.delete(`/admin/api/keys/${keyId}`);
    expect(revoked.status).toBeLessThan(300);
    const start = performance.now();
    const refusedAfter = await Promise.all(
      instances.slice(1).map(async (p) => {
        for (;;) {
          const res = await call(p.url, key);
          if (res.status === 401) {
            expect((await errorOf(res)).code).toBe('key_revoked');
            return performance.now() - start;
          }
          if (performance.now() - start > 5_000) return Infinity;
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
    for (const ms of refusedAfter) expect(ms).toBeLessThan(1_000);
  });
}
