/**
 * Starts a real Portal for a test: HTTP on 127.0.0.1 (port 0), a fresh store (in-memory PGlite unless a
 * store or DATABASE_URL-derived database is given), and a router simulator as the only pool's upstream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/platform/config/load.js';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from './pglite.js';
import { startPortal, type RunningPortal } from '../../src/server.js';
import { startSimulator, type RunningSimulator } from '../../src/inference/simulator/server.js';
import type { SimOptionsInput } from '../../src/inference/simulator/options.js';
import { createAccount, type AccountOptions, type TestAccount } from './fixtures.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const SIM_KEY_ENV = 'PORTAL_TEST_SIM_KEY';
const SIM_KEY = 'sim-key-for-tests';

export interface TestPortal {
  url: string;
  portal: RunningPortal;
  sim: RunningSimulator;
  store: Store;
  account(options?: AccountOptions): Promise<TestAccount>;
  close(): Promise<void>;
}

export interface TestPortalOptions {
  store?: Store;
  databaseUrl?: string;
  redisUrl?: string;
  sim?: SimOptionsInput;
  /** Extra config (merged at the top level). */
  config?: Record<string, unknown>;
}

export function simPoolConfig(simUrl: string, id = 'test-pool') {
  return {
    id,
    kind: 'cortensor',
    models: ['oss-20b', 'oss-120b', 'gemma4', 'qwen'],
    routers: [{ id: `${id}-r1`, url: simUrl, apiKeyEnv: SIM_KEY_ENV, dedicatedSessions: [1, 2, 3, 4] }],
  };
}

export async function startTestPortal(options: TestPortalOptions = {}): Promise<TestPortal> {
  process.env[SIM_KEY_ENV] = SIM_KEY;
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    options: { apiKey: SIM_KEY, ...options.sim },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  const ownStore = !options.store && !options.databaseUrl;
  const store = options.store ?? (ownStore ? await openTestStore() : undefined);
  const config = loadConfig({
    env: {},
    overrides: {
      server: { host: '127.0.0.1', port: 0, shutdownGraceMs: 2_000 },
      dataDir,
      admin: { token: ADMIN_TOKEN },
      database: { url: options.databaseUrl },
      redis: { url: options.redisUrl },
      pools: [simPoolConfig(sim.url)],
      ...options.config,
      // Suites send many bad keys from 127.0.0.1: the pre-auth guard gets room unless a suite sets its own.
      gateway: {
        authFailureLimit: 1_000,
        ...(options.config?.gateway as Record<string, unknown> | undefined),
      },
    },
  });
  const portal = await startPortal(config, store ? { store } : {});
  const activeStore = portal.services.store;
  return {
    url: portal.url,
    portal,
    sim,
    store: activeStore,
    account: (o) => createAccount(activeStore, o),
    async close() {
      await portal.stop();
      await sim.close();
      if (ownStore) await store?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
