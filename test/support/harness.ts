/**
 * The one test harness: a real Portal (the production `startPortal`, listening on 127.0.0.1:0) with a router
 * simulator as its only pool, over the worker's shared in-memory PGlite — or over a fresh PostgreSQL database
 * and Redis when a suite asks (`postgres: true`, `redis: true`; gate those suites with describeWith so that
 * PORTAL_REQUIRE_SERVICES=1 turns a missing service into a failure). Seeds accounts and keys, and hands out
 * callers that send JSON as one identity:
 *
 *   const t = usePortal();                                   // beforeAll / afterAll registered
 *   const { key } = await t.account();
 *   const res = await t.as(key).post('/v1/chat/completions', chatBody());
 *   const user = await t.signUp();                           // a signed-in session for /api/*
 *   await user.post('/api/keys', { name: 'ci' });
 *   await t.admin.post(`/admin/api/orgs/${id}/disable`, { reason: 'abuse' });
 *
 * Transport: requests go over HTTP to the listener, as a client's would. When the suite configures
 * `server.publicUrl`, the harness cannot be addressed by that host over loopback, so requests are handed to
 * the app in-process at the public origin instead (what a reverse proxy in front of it would deliver).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Hono } from 'hono';
import { createApp, type Services } from '#src/app.js';
import { loadConfig } from '#src/platform/config/load.js';
import { resolvePublicOrigin } from '#src/platform/config/public-origin.js';
import type { AppEnv } from '#src/platform/http/context.js';
import type { Logger } from '#src/platform/log.js';
import type { Store } from '#src/platform/store/db.js';
import { startPortal, type RunningPortal } from '#src/server.js';
import { startSimulator, type RunningSimulator } from '#src/inference/simulator/server.js';
import type { SimOptionsInput } from '#src/inference/simulator/options.js';
import { createAccount, type AccountOptions, type TestAccount } from './fixtures.js';
import { sharedTestStore } from './pglite.js';
import { createTestDatabase, type TestDatabase } from './store.js';
import { hasService } from './services.js';
import { bearer, createCaller, sessionCookie, type Caller, type Transport } from './http.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const SIM_KEY_ENV = 'PORTAL_TEST_SIM_KEY';
const SIM_KEY = 'sim-key-for-tests';

export interface TestPortalOptions {
  /** A store to use instead of the worker's shared PGlite (e.g. one a second instance shares). */
  store?: Store;
  /** A fresh PostgreSQL database next to DATABASE_URL, dropped on close (the suite gates on 'postgres'). */
  postgres?: boolean;
  /** An existing database to use (the caller owns it). */
  databaseUrl?: string;
  /** REDIS_URL for the bus, limiter and counters (the suite gates on 'redis'); a URL string names another. */
  redis?: boolean | string;
  sim?: SimOptionsInput;
  /** A logger to use instead of pino on stdout, e.g. one writing to a stream the suite reads lines from. */
  log?: Logger;
  /** Config overrides, merged at the top level (`{ gateway: { rateWindowMs: 2_000 } }`). */
  config?: Record<string, unknown>;
}

export interface Session extends Caller {
  email: string;
  password: string;
  cookie: string;
}

export interface TestPortal {
  url: string;
  /** The public origin (`http://localhost` unless server.publicUrl is set). */
  origin: string;
  portal: RunningPortal;
  /** The app in-process, for requests no HTTP client can send (a forged Host); built on first use. */
  readonly app: Hono<AppEnv>;
  services: Services;
  store: Store;
  sim: RunningSimulator;
  /** No identity: public routes, sign-up, refusals of anonymous requests. */
  anon: Caller;
  /** The admin token, for /admin/api/*. */
  admin: Caller;
  /** An API key (`Authorization: Bearer …`), for /v1/*. */
  as(key: string): Caller;
  /** A session cookie, for /api/*. */
  withCookie(cookie: string): Caller;
  /** An organization on a plan with one key, written straight to the store. */
  account(options?: AccountOptions): Promise<TestAccount>;
  /** Signs up (marking the address verified when verification is on) and signs in. */
  signUp(options?: { email?: string; password?: string; name?: string }): Promise<Session>;
  close(): Promise<void>;
}

export function simPoolConfig(simUrl: string, id = 'test-pool') {
  return {
    id,
    kind: 'cortensor',
    models: ['oss-20b', 'oss-120b', 'gemma4', 'qwen'],
    routers: [{ id: `${id}-r1`, url: simUrl, apiKeyEnv: SIM_KEY_ENV, dedicatedSessions: [1, 2, 3, 4] }],
  };
}

let signUps = 0;

type Callers = Pick<TestPortal, 'anon' | 'admin' | 'as' | 'withCookie'>;

function callersFor(send: Transport, origin: string): Callers {
  return {
    anon: createCaller(send, origin),
    admin: createCaller(send, origin, bearer(ADMIN_TOKEN)),
    as: (key) => createCaller(send, origin, bearer(key)),
    withCookie: (cookie) => createCaller(send, origin, { cookie }),
  };
}

/** Signs up through the API, marks the address verified in the store, signs in, and keeps the cookie. */
async function signUp(
  { anon, withCookie }: Callers,
  store: Store,
  { email, password = 'correct horse battery', name = 'Test User' }: Parameters<TestPortal['signUp']>[0] = {},
): Promise<Session> {
  const address = email ?? `user${Date.now()}-${signUps++}@example.com`;
  const up = await anon.post('/api/auth/sign-up/email', { email: address, password, name });
  if (up.status !== 200) throw new Error(`sign-up failed: ${up.status} ${await up.text()}`);
  await store.query('update users set email_verified = true where email = $1', [address.toLowerCase()]);
  const signedIn = await anon.post('/api/auth/sign-in/email', { email: address, password });
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.status} ${await signedIn.text()}`);
  const cookie = sessionCookie(signedIn);
  return { ...withCookie(cookie), email: address, password, cookie };
}

export async function startTestPortal(options: TestPortalOptions = {}): Promise<TestPortal> {
  process.env[SIM_KEY_ENV] = SIM_KEY;
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    options: { apiKey: SIM_KEY, ...options.sim },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  let db: TestDatabase | undefined;
  let portal: RunningPortal;
  try {
    db = options.postgres ? await createTestDatabase() : undefined;
    const databaseUrl = db?.url ?? options.databaseUrl;
    const store = options.store ?? (databaseUrl ? undefined : await sharedTestStore());
    portal = await startPortal(configFor(options, { dataDir, databaseUrl, simUrl: sim.url }), {
      store,
      log: options.log,
    });
  } catch (err) {
    await sim.close();
    await db?.drop();
    throw err;
  }
  const { services } = portal;
  const publicOrigin = resolvePublicOrigin(services.config.server);
  let app: Hono<AppEnv> | undefined;
  const inProcess = () => (app ??= createApp(services));
  const send = transportFor(portal, publicOrigin.configured ? inProcess() : undefined, publicOrigin.origin);
  const callers = callersFor(send, publicOrigin.origin);

  return {
    url: portal.url,
    origin: publicOrigin.origin,
    portal,
    get app() {
      return inProcess();
    },
    services,
    store: services.store,
    sim,
    ...callers,
    account: (o) => createAccount(services.store, o),
    signUp: (o) => signUp(callers, services.store, o),
    async close() {
      await portal.stop();
      await sim.close();
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function configFor(
  options: TestPortalOptions,
  at: { dataDir: string; databaseUrl: string | undefined; simUrl: string },
) {
  const redisUrl = options.redis === true ? process.env.REDIS_URL : options.redis || undefined;
  const extra = options.config ?? {};
  const section = (name: string) => extra[name] as Record<string, unknown> | undefined;
  return loadConfig({
    env: {},
    overrides: {
      dataDir: at.dataDir,
      admin: { token: ADMIN_TOKEN },
      database: { url: at.databaseUrl },
      redis: { url: redisUrl },
      pools: [simPoolConfig(at.simUrl)],
      ...extra,
      // server and gateway merge one level deep, so a suite states only what it changes.
      server: { host: '127.0.0.1', port: 0, shutdownGraceMs: 2_000, ...section('server') },
      // Suites send many bad keys from 127.0.0.1: the pre-auth guard gets room unless a suite sets its own.
      gateway: { authFailureLimit: 1_000, ...section('gateway') },
    },
  });
}

/** Over HTTP to the listener; in-process to `app` at the public origin when one is configured. */
function transportFor(portal: RunningPortal, app: Hono<AppEnv> | undefined, origin: string): Transport {
  if (app)
    return async (path, init) => {
      const headers = new Headers(init.headers);
      if (!headers.has('host')) headers.set('host', new URL(origin).host);
      return app.request(`${origin}${path}`, { ...init, headers });
    };
  // Redirects are answers to check, not to follow (links name the public origin, not this listener).
  return (path, init) => fetch(`${portal.url}${path}`, { redirect: 'manual', ...init });
}

/**
 * Starts a portal before the suite (or describe block) and closes it after; the returned object forwards
 * to it, so cases write `t.as(key)` directly.
 */
export function usePortal(options: TestPortalOptions | (() => TestPortalOptions) = {}): TestPortal {
  let current: TestPortal | undefined;
  beforeAll(async () => {
    current = await startTestPortal(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as TestPortal, {
    get(_target, prop) {
      if (!current)
        throw new Error(`usePortal: the portal is not running (read .${String(prop)} in a test or hook)`);
      return current[prop as keyof TestPortal];
    },
  });
}

/**
 * Before each case, the simulator answers at once with `outputTokens` tokens and never fails, so a case that
 * slows it down or makes it fail leaves nothing behind for the next.
 */
export function steadySimEach(t: TestPortal, outputTokens: number) {
  beforeEach(() => {
    t.sim.configure({ ttftMs: 0, tokensPerSecond: 0, outputTokens, disconnectAfterTokens: 0, errorRate: 0 });
  });
}

/**
 * The stores a suite should pass on: embedded PGlite always, and a fresh PostgreSQL database when
 * DATABASE_URL is set (PORTAL_REQUIRE_SERVICES=1 makes its absence a failure, as with describeWith).
 */
export function storeVariants(): Array<{ name: 'pglite' | 'postgres'; options: TestPortalOptions }> {
  const variants: Array<{ name: 'pglite' | 'postgres'; options: TestPortalOptions }> = [
    { name: 'pglite', options: {} },
  ];
  if (hasService('postgres')) variants.push({ name: 'postgres', options: { postgres: true } });
  else console.warn('SKIPPED PostgreSQL variants of store suites — DATABASE_URL is not set');
  return variants;
}

/** In-memory state, and Redis-shared state when REDIS_URL is set (limiter, counters, bus). */
export function redisVariants(what: string): Array<{ name: string; options: TestPortalOptions }> {
  const variants: Array<{ name: string; options: TestPortalOptions }> = [
    { name: `memory ${what}`, options: {} },
  ];
  if (hasService('redis')) variants.push({ name: `Redis ${what}`, options: { redis: true } });
  else console.warn(`SKIPPED Redis variant of the ${what} tests — REDIS_URL is not set`);
  return variants;
}

/** Callers for a Portal this process did not start (a `bin/portal` child, see processes.ts), over HTTP. */
export function remote(url: string): Callers {
  return callersFor((path, init) => fetch(`${url}${path}`, { redirect: 'manual', ...init }), url);
}
