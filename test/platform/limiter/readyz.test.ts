/**
 * The composition root with an unreachable Redis: Portal still starts, /readyz says degraded (not down) with
 * the limiter's and the bus's reasons, and the limiter keeps deciding per instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, createServices, type Services } from '../../../src/app.js';
import { loadConfig } from '../../../src/platform/config/load.js';
import { createLogger } from '../../../src/platform/log.js';
import type { Store } from '../../../src/platform/store/db.js';
import { openTestStore } from '../../support/pglite.js';

let store: Store;
let services: Services;
const dataDir = mkdtempSync(join(tmpdir(), 'portal-limiter-'));

beforeAll(async () => {
  store = await openTestStore();
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir,
      redis: { url: 'redis://127.0.0.1:1' },
      admin: { token: 'readyz-test-admin-token-0123456789' },
    },
  });
  services = await createServices(config, { store, log: createLogger({ level: 'silent' }) });
});

afterAll(async () => {
  for (const c of services.closers.reverse()) await c.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('/readyz is degraded, not down, while Redis is unreachable, and limits are still decided', async () => {
  const token = services.config.admin.token!;
  const res = await createApp(services).request('/readyz', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    status: string;
    checks: Record<string, { state: string; detail?: string }>;
  };
  expect(body.status).toBe('degraded');
  expect(body.checks.limiter).toMatchObject({
    state: 'degraded',
    detail: expect.stringMatching(/per-instance/),
  });
  expect(body.checks.bus).toMatchObject({ state: 'degraded' });
  const spec = { key: 'rl:{org_1}:k:rpm', limit: 1, windowMs: 60_000, cost: 1 };
  expect((await services.limiter.consume([spec])).allowed).toBe(true);
  expect((await services.limiter.consume([spec])).allowed).toBe(false);
});
