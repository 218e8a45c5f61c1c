/**
 * Route-test harness for the product API: the real app over a real store (see ../support/store.ts), with a
 * `req()` helper that sends JSON as a same-origin browser would, and `signUp()` that returns a signed-in
 * client. No mocks: better-auth, the store and the bus are the production ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp, createServices, type Services } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config/load.js';
import type { Store } from '../../src/platform/store/db.js';
import type { AppEnv } from '../../src/platform/http/context.js';
import type { Logger } from '../../src/platform/log.js';

export const ORIGIN = 'http://localhost';
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestPortal {
  app: Hono<AppEnv>;
  services: Services;
  req(path: string, init?: RequestInit & { json?: unknown; cookie?: string }): Promise<Response>;
  signUp(email?: string, password?: string, name?: string): Promise<Client>;
  close(): void;
}

export interface Client {
  email: string;
  password: string;
  cookie: string;
  req(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

let counter = 0;

export async function createTestPortal(
  store: Store,
  overrides: Record<string, unknown> = {},
  options: { log?: Logger } = {},
): Promise<TestPortal> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-product-'));
  const config = loadConfig({ env: {}, overrides: { dataDir, admin: { token: ADMIN_TOKEN }, ...overrides } });
  const services = await createServices(config, { store, ...options });
  const app = createApp(services);
  // Requests go to the configured public origin (a mismatched Host is refused on /api/auth/*).
  const base = config.server.publicUrl ? new URL(config.server.publicUrl).origin : ORIGIN;

  const req: TestPortal['req'] = async (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    if (init.cookie) headers.set('cookie', init.cookie);
    if (!headers.has('origin') && init.method && init.method !== 'GET') headers.set('origin', base);
    const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
    return app.request(`${base}${path}`, { ...init, headers, body });
  };

  /** Signs up and in; with email verification on, the address is marked verified in the store first. */
  async function signUp(email?: string, password = 'correct horse battery', name = 'Test User') {
    const address = email ?? `user${Date.now()}-${counter++}@example.com`;
    const res = await req('/api/auth/sign-up/email', {
      method: 'POST',
      json: { email: address, password, name },
    });
    if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
    await store.query('update users set email_verified = true where email = $1', [address.toLowerCase()]);
    const signedIn = await req('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: address, password },
    });
    if (signedIn.status !== 200)
      throw new Error(`sign-in failed: ${signedIn.status} ${await signedIn.text()}`);
    const cookie = sessionCookie(signedIn);
    return {
      email: address,
      password,
      cookie,
      req: (path: string, init: RequestInit & { json?: unknown } = {}) => req(path, { ...init, cookie }),
    };
  }

  return {
    app,
    services,
    req,
    signUp,
    close: () => {
      for (const c of services.closers) void c.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function sessionCookie(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .filter((c): c is string => Boolean(c) && !c!.endsWith('='))
    .join('; ');
}
