/**
 * Regression "Redis coming back empty" (issue #17). Three `portal serve` instances on one private PostgreSQL
 * and one private Redis that keeps nothing on disk; a key limited to 12 requests a minute. Before the fix:
 * 12 admitted before the outage, 36 during it (3 instances × the local share 1 × 12, as documented), and 12
 * more after Redis came back empty — 60 in one minute. Now the instances write what they admitted locally
 * back into Redis, so after recovery the minute still counts the outage: at most 12 + 3 × 12 in the minute,
 * and nothing more is admitted after recovery while the outage's 36 are inside the window.
 * Private services only: it kills its own Redis, never the shared one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithPrivate,
  startPrivatePostgres,
  startPrivateRedis,
  type PrivateService,
} from '../support/private-services.js';
import { startPortalProcess, writeConfig, type PortalProcess } from '../support/processes.js';
import { simPoolConfig, ADMIN_TOKEN, remote } from '../support/harness.js';
import { chatBody } from '../support/http.js';
import { createAccount, upsertPlan } from '../support/fixtures.js';
import { openStore, type Store } from '#src/platform/store/db.js';
import { startSimulator, type RunningSimulator } from '#src/inference/simulator/server.js';

const SIM_KEY = 'redis-empty-sim-key';
const LIMIT = 12;

describeWithPrivate(['postgres', 'redis'], 'redis comes back empty: the outage still counts', () => {
  let pg: PrivateService;
  let redis: PrivateService;
  let store: Store;
  let sim: RunningSimulator;
  let instances: PortalProcess[] = [];

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    sim = await startSimulator({ host: '127.0.0.1', port: 0, options: { apiKey: SIM_KEY } });
    const config = writeConfig({ pools: [simPoolConfig(sim.url)], redis: { localShare: 1 } });
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      PORTAL_CONFIG: config,
      PORTAL_ADMIN_TOKEN: ADMIN_TOKEN,
      PORTAL_TEST_SIM_KEY: SIM_KEY,
    };
    instances = [await startPortalProcess(env)]; // migrates
    instances.push(...(await Promise.all([startPortalProcess(env), startPortalProcess(env)])));
    store = await openStore({ databaseUrl: pg.url, dataDir: '.unused' });
    await upsertPlan(store, 'limited', { rpm: 1000, tpm: 10_000_000, rpd: 100_000 });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((p) => p.stop()));
    await store?.close();
    await sim?.close();
    await redis?.destroy();
    await pg?.destroy();
  });

  const call = (url: string, key: string) => remote(url).as(key).post('/v1/chat/completions', chatBody());
  /** Sends `perInstance` requests to each instance; how many were answered 200. */
  async function admitted(key: string, perInstance: number): Promise<number> {
    const results = await Promise.all(
      instances.map(async (p) => {
        let ok = 0;
        for (let i = 0; i < perInstance; i++) if ((await call(p.url, key)).status === 200) ok++;
        return ok;
      }),
    );
    return results.reduce((a, b) => a + b, 0);
  }
  async function readiness(want: 'ready' | 'degraded') {
    const deadline = Date.now() + 15_000;
    for (const p of instances)
      for (;;) {
        const res = await fetch(`${p.url}/readyz`).catch((err: unknown) => {
          // An instance that stopped answering: say why, from its own output.
          throw new Error(
            `${p.url} is not answering (${String(err)}); its output:\n${p.output().slice(-4_000)}`,
          );
        });
        const body = (await res.json()) as { status: string };
        if (body.status === want) break;
        if (Date.now() > deadline) {
          const detail = await remote(p.url).admin.get('/readyz');
          throw new Error(`${p.url} did not become ${want}: ${await detail.text()}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
  }

  it('12/min, Redis down 8 s and back empty: ≤ 12 + 3 × 12 in the minute, none after recovery', async () => {
    const started = Date.now();
    const { key } = await createAccount(store, { plan: 'limited', key: { requestsPerMinute: LIMIT } });
    const before = await admitted(key, 6);
    expect(before).toBe(LIMIT);

    await redis.kill();
    const down = Date.now();
    await readiness('degraded');
    const during = await admitted(key, LIMIT + 4);
    expect(during).toBe(3 * LIMIT); // the documented local share: each instance its own 12
    await new Promise((r) => setTimeout(r, Math.max(0, 8_000 - (Date.now() - down))));
    await redis.start(); // empty: it kept nothing
    await readiness('ready');

    const after = await admitted(key, 6);
    expect(Date.now() - started).toBeLessThan(55_000); // all three phases inside one window of the limit
    expect(after).toBe(0); // the outage's 36 are in Redis again (before the fix: 12)
    expect(before + during + after).toBeLessThanOrEqual(LIMIT + 3 * LIMIT);
  });
});
