/**
 * The fake Unkey and Portal's Unkey client checked against Unkey's published v2 OpenAPI document
 * (test/support/unkey-openapi/): every route the fake serves is an operation of the document and accepts
 * exactly the documented request fields, every field the client reads is a documented response field, and a
 * session through every operation — successes, refusals, validation, auth, not-found, rate-limited and
 * failing answers — sends only documented requests and gets only documented answers. A fake or client that
 * drifts from the document fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeUnkeyRoutes, startFakeUnkey, type FakeUnkey } from '../support/fake-unkey.js';
import { unkeyDocument } from '../support/unkey-openapi/document.js';
import { createUnkeyClient, legacyReadFields, readFields, UnkeyError } from '#src/platform/unkey/client.js';
import { rejectionOf } from '../support/rejection.js';

const ROOT_KEY = 'unkey_root_openapi_test';
const API_ID = 'api_openapi_test';
const doc = unkeyDocument();
let fake: FakeUnkey;

beforeAll(async () => {
  fake = await startFakeUnkey({ rootKey: ROOT_KEY, apiId: API_ID });
});
afterAll(() => fake?.close());

const client = (rootKey = ROOT_KEY) => createUnkeyClient({ baseUrl: fake.url, rootKey, timeoutMs: 2_000 });
const statusOf = async (p: Promise<unknown>) => (await rejectionOf(p, UnkeyError)).status;

describe('the fake Unkey and the client against the OpenAPI document', () => {
  it('serves only documented operations, each taking exactly the documented request fields', () => {
    for (const [path, fields] of Object.entries(fakeUnkeyRoutes)) {
      expect(doc.hasOperation(path), path).toBe(true);
      expect([...fields].sort(), path).toEqual([...doc.requestFields(path)].sort());
    }
  });

  it('reads only documented response fields', () => {
    const documented = {
      '/v2/keys.verifyKey': doc.schemaFields('V2KeysVerifyKeyResponseData'),
      'keys.verifyKey ratelimits[]': doc.schemaFields('VerifyKeyRatelimitData'),
      '/v2/ratelimit.multiLimit': doc.schemaFields('V2RatelimitMultiLimitResponseData'),
      'ratelimit.multiLimit limits[]': doc.schemaFields('V2RatelimitMultiLimitCheck'),
      '/v2/keys.updateCredits': doc.schemaFields('KeyCreditsData'),
    };
    for (const [where, fields] of Object.entries(readFields))
      for (const field of fields)
        expect(documented[where as keyof typeof documented], `${where}.${field}`).toContain(field);
    // The fallbacks for older revisions are exactly that: not in the current document.
    for (const field of legacyReadFields['ratelimit.multiLimit limits[]'])
      expect(documented['ratelimit.multiLimit limits[]']).not.toContain(field);
  });

  it('a session through every operation sends documented requests and gets documented answers', async () => {
    const c = client();
    const { key, keyId } = await c.createKey({
      apiId: API_ID,
      prefix: 'ptl',
      name: 'openapi',
      externalId: 'org_openapi',
      meta: { portalKeyId: 'key_1', orgId: 'org_openapi' },
      expires: Date.now() + 3_600_000,
    });
    expect((await c.verifyKey(key)).code).toBe('VALID');
    expect((await c.verifyKey('ptl_4dwsNgk2kKq3xxLT8tPa1ZrF')).code).toBe('NOT_FOUND');
    await c.updateKey({ keyId, enabled: false, name: null, meta: { portalKeyId: 'key_1' }, expires: null });
    expect((await c.verifyKey(key)).code).toBe('DISABLED');
    await c.updateKey({ keyId, enabled: true, expires: Date.now() - 1_000 });
    expect((await c.verifyKey(key)).code).toBe('EXPIRED');
    // Ratelimits attached to the key, checked by name with a cost at verification (limits.provider unkey).
    const rpm = { name: 'rpm', limit: 2, duration: 60_000, autoApply: false };
    await c.updateKey({ keyId, expires: null, ratelimits: [rpm, { ...rpm, name: 'tpm', limit: 100 }] });
    const asked = [
      { name: 'rpm', cost: 1 },
      { name: 'tpm', cost: 60 },
    ];
    const first = await c.verifyKey(key, { ratelimits: asked });
    expect(first.code).toBe('VALID');
    expect(first.ratelimits).toMatchObject([
      { name: 'rpm', exceeded: false, remaining: 1 },
      { name: 'tpm', exceeded: false, remaining: 40 },
    ]);
    const second = await c.verifyKey(key, { ratelimits: asked });
    expect(second).toMatchObject({ valid: false, code: 'RATE_LIMITED' });
    expect(second.ratelimits?.map((r) => r.exceeded)).toEqual([false, true]);
    const overridden = await c.verifyKey(key, {
      ratelimits: [{ name: 'rpm', cost: 1, limit: 10, duration: 60_000 }],
    });
    expect(overridden.ratelimits?.[0]).toMatchObject({ limit: 10, exceeded: false });
    await c.updateKey({ keyId, ratelimits: null });
    expect(await statusOf(c.verifyKey(key, { ratelimits: asked }))).toBe(400);
    // Credits (the mirror, decision 025): set, moved, unlimited; Portal's verifications cost 0, so a key at 0
    // still verifies, while Unkey's default cost of 1 is refused.
    expect(await c.updateCredits({ keyId, operation: 'set', value: 0 })).toEqual({ remaining: 0 });
    expect(await c.verifyKey(key)).toMatchObject({ code: 'VALID', credits: 0 });
    const byDefault = await fetch(`${fake.url}/v2/keys.verifyKey`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ROOT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
    });
    expect(((await byDefault.json()) as { data: { code: string } }).data.code).toBe('USAGE_EXCEEDED');
    expect(await c.updateCredits({ keyId, operation: 'increment', value: 5 })).toEqual({ remaining: 5 });
    expect(await c.updateCredits({ keyId, operation: 'decrement', value: 9 })).toEqual({ remaining: 0 });
    expect(await c.updateCredits({ keyId, operation: 'set', value: null })).toEqual({ remaining: null });
    expect(await statusOf(c.updateCredits({ keyId, operation: 'increment', value: null }))).toBe(400);
    expect(await statusOf(c.updateCredits({ keyId: 'key_missing', operation: 'set', value: 1 }))).toBe(404);
    await c.deleteKey(keyId);
    expect(await statusOf(c.deleteKey(keyId))).toBe(404);
    expect(await statusOf(c.createKey({ apiId: 'api_other', prefix: 'ptl' }))).toBe(404);
    expect(await statusOf(client('wrong_root_key').verifyKey(key))).toBe(401);

    const check = { namespace: 'portal.rpm', identifier: 'org_1:k:key_1', limit: 2, duration: 60_000 };
    expect(
      (await c.multiLimit([check, { ...check, namespace: 'portal.rpd', cost: 1 }])).map((r) => r.success),
    ).toEqual([true, true]);
    await c.multiLimit([check]);
    expect((await c.multiLimit([check]))[0]).toMatchObject({ success: false, remaining: 0 });
    expect((await c.multiLimit([{ ...check, cost: 0 }]))[0]).toMatchObject({ limit: 2, remaining: 0 });

    // A body the document refuses (the client never sends one): Unkey's 400 with its validation errors.
    const refused = await fetch(`${fake.url}/v2/ratelimit.multiLimit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ROOT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ ...check, duration: 10 }]),
    });
    expect(refused.status).toBe(400);

    try {
      fake.mode = 'throttled';
      expect(await statusOf(c.multiLimit([check]))).toBe(429);
      fake.mode = 'error';
      expect(await statusOf(c.verifyKey(key))).toBe(500);
    } finally {
      fake.mode = 'up';
    }
    const paths = new Set(fake.exchanges.map((e) => e.path));
    expect([...paths].sort()).toEqual(Object.keys(fakeUnkeyRoutes).sort());
    expect(new Set(fake.exchanges.map((e) => e.status))).toEqual(new Set([200, 400, 401, 404, 429, 500]));
    expect(doc.problems(fake.exchanges)).toEqual([]);
  });

  it('catches a drifted answer: an undocumented field or status is reported', () => {
    const ok = fake.exchanges.find((e) => e.path === '/v2/keys.verifyKey' && e.status === 200)!;
    const drifted = { ...ok, response: { ...(ok.response as object), extra: true } };
    expect(doc.problems([drifted])).not.toEqual([]);
    expect(doc.problems([{ ...ok, status: 418 }])).toEqual([
      '/v2/keys.verifyKey: status 418 is not documented',
    ]);
    expect(doc.problems([{ ...ok, request: { key: ok.request, apiId: 'api_x' } }])).not.toEqual([]);
  });
});
