/**
 * SIGTERM to a real `portal serve` process in the middle of a load through /v1: the server stops accepting,
 * finishes what is in flight, flushes metering before closing the store, and exits 0 — and the store then
 * holds exactly one usage event per completion the upstream served.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '#src/inference/simulator/server.js';
import type { Store } from '#src/platform/store/db.js';
import { createAccount, upsertPlan, type TestAccount } from '../support/fixtures.js';
import { remote, simPoolConfig } from '../support/harness.js';
import { chatBody } from '../support/http.js';
import { freePort, writeConfig } from '../support/processes.js';
import { describeWith } from '../support/services.js';
import { openTestDatabase, type OpenTestDatabase } from '../support/store.js';
import { count, rollupMismatches } from './support.js';

const SERVE = fileURLToPath(new URL('./fixtures/serve-child.ts', import.meta.url));
const SIM_KEY = 'sim-key-sigterm';

describeWith(['postgres'], 'SIGTERM to a serving Portal under load', () => {
  let db: OpenTestDatabase;
  let store: Store;
  let sim: RunningSimulator;
  let account: TestAccount;
  let dataDir: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    db = await openTestDatabase('portal_sigterm');
    store = db.store;
    sim = await startSimulator({
      host: '127.0.0.1',
      port: 0,
      options: { apiKey: SIM_KEY, outputTokens: 12 },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'portal-sigterm-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await sim?.close();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 with every served completion metered exactly once', async () => {
    const port = await freePort();
    const config = writeConfig({ pools: [simPoolConfig(sim.url, 'sigterm-pool')] });
    child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--config', config], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        PORTAL_DATA_DIR: dataDir,
        PORTAL_TEST_SIM_KEY: SIM_KEY,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const server = child;
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status, { timeout: 60_000 })
      .toBe(200);
    await upsertPlan(store, 'sigterm-unlimited', {});
    account = await createAccount(store, { plan: 'sigterm-unlimited' });

    let ok = 0;
    let stop = false;
    const workers = Array.from({ length: 12 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await remote(url)
            .as(account.key)
            .post(
              '/v1/chat/completions',
              chatBody({ messages: [{ role: 'user', content: `worker ${w} request ${i}` }], max_tokens: 16 }),
            );
          await res.text();
          if (res.status === 200) ok++;
        } catch {
          // the server is gone: stop this worker
          return;
        }
      }
    });
    await expect.poll(() => ok, { timeout: 60_000 }).toBeGreaterThan(200);
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    stop = true;
    await Promise.all(workers);
    const served = sim.stats().completions;
    expect(served).toBeGreaterThanOrEqual(ok);
    expect(await count(store.query, 'usage_events')).toBe(served);
    expect(await rollupMismatches(store.query)).toEqual([]);
  }, 180_000);
});
