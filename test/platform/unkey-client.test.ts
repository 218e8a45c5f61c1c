/**
 * The Unkey v2 client against a local server implementing the documented contract: requests carry the root
 * key and the documented bodies, answers are unwrapped from `data`, failures become UnkeyError with the
 * error envelope's status and type, and "unavailable" is told apart from "wrong request".
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUnkey, type FakeUnkey } from '../support/fake-unkey.js';
import { createUnkeyClient, UnkeyError, unkeyClientFromConfig } from '#src/platform/unkey/client.js';
import { rejectionOf } from '../support/rejection.js';

const ROOT_KEY = 'unkey_root_client_test';
const API_ID = 'api_client_test';
let unkey: FakeUnkey;

beforeAll(async () => {
  unkey = await startFakeUnkey({ rootKey: ROOT_KEY, apiId: API_ID });
});
afterAll(() => unkey?.close());

const client = (rootKey = ROOT_KEY, timeoutMs = 2_000) =>
  createUnkeyClient({ baseUrl: unkey.url, rootKey, timeoutMs });

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, UnkeyError);

describe('unkey client', () => {
  it('creates, verifies, disables, re-enables and deletes a key', async () => {
    const c = client();
    const expires = Date.now() + 3_600_000;
    const { key, keyId } = await c.createKey({
      apiId: API_ID,
      prefix: 'ptl',
      name: 'ci',
      externalId: 'org_1',
      meta: { portalKeyId: 'key_1' },
      expires,
    });
    expect(key).toMatch(/^ptl_/);
    expect(await c.verifyKey(key)).toMatchObject({
      valid: true,
      code: 'VALID',
      keyId,
      name: 'ci',
      meta: { portalKeyId: 'key_1' },
      expires,
      identity: { externalId: 'org_1' },
    });
    await c.updateKey({ keyId, enabled: false });
    expect(await c.verifyKey(key)).toMatchObject({ valid: false, code: 'DISABLED' });
    await c.updateKey({ keyId, enabled: true, expires: null });
    expect((await c.verifyKey(key)).code).toBe('VALID');
    await c.deleteKey(keyId);
    expect(await c.verifyKey(key)).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('a wrong root key is a 401 UnkeyError that is not "unavailable"', async () => {
    const err = await failureOf(client('unkey_wrong').verifyKey('ptl_x'));
    expect(err.status).toBe(401);
    expect(err.unavailable).toBe(false);
    expect(err.type).toMatch(/^https:\/\/unkey\.com\/docs\/errors\//);
    expect(err.requestId).toMatch(/^req_/);
  });

  it('a body outside the documented schema is a 400, an unknown key id a 404', async () => {
    expect(
      (await failureOf(client().createKey({ apiId: API_ID, prefix: 'a-prefix-that-is-too-long' }))).status,
    ).toBe(400);
    expect((await failureOf(client().deleteKey('key_does_not_exist'))).status).toBe(404);
  });

  it('no answer within the deadline is an "unavailable" UnkeyError with status 0', async () => {
    const silent = createServer(() => {}); // accepts and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const c = createUnkeyClient({ baseUrl: `http://127.0.0.1:${port}`, rootKey: ROOT_KEY, timeoutMs: 200 });
      const err = await failureOf(c.verifyKey('ptl_x'));
      expect(err.status).toBe(0);
      expect(err.unavailable).toBe(true);
      expect(err.message).toContain('no answer in 200 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a 500 error envelope, a 429 and a dropped connection are all "unavailable"', async () => {
    for (const mode of ['error', 'throttled', 'down'] as const) {
      unkey.mode = mode;
      try {
        const err = await failureOf(client().verifyKey('ptl_x'));
        expect(err.unavailable).toBe(true);
        expect(err.status).toBe(mode === 'error' ? 500 : mode === 'throttled' ? 429 : 0);
      } finally {
        unkey.mode = 'up';
      }
    }
  });

  it('multiLimit reads the per-check verdict as `passed`, or as `success` from an older revision', async () => {
    const check = { namespace: 'portal.rpm', identifier: 'org_1', limit: 2, remaining: 0, reset: 1 };
    const answering = (limits: object[]) =>
      createUnkeyClient({
        baseUrl: 'http://unkey.invalid',
        rootKey: ROOT_KEY,
        timeoutMs: 1_000,
        fetch: async () => new Response(JSON.stringify({ meta: { requestId: 'req_1' }, data: { limits } })),
      });
    const ask = [{ namespace: 'portal.rpm', identifier: 'org_1', limit: 2, duration: 60_000 }];
    expect(await answering([{ ...check, passed: false }]).multiLimit(ask)).toMatchObject([
      { success: false },
    ]);
    expect(await answering([{ ...check, success: true }]).multiLimit(ask)).toMatchObject([{ success: true }]);
    expect((await failureOf(answering([check]).multiLimit(ask))).status).toBe(502);
    expect((await failureOf(answering([]).multiLimit(ask))).status).toBe(502);
  });

  it('refuses to start without the root key in the named environment variable', () => {
    const config = { baseUrl: unkey.url, rootKeyEnv: 'UNKEY_ROOT_KEY_MISSING', timeoutMs: 1_000 };
    expect(() => unkeyClientFromConfig(config, {})).toThrow(/UNKEY_ROOT_KEY_MISSING is not set/);
  });
});
