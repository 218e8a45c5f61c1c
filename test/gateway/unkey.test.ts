/**
 * keys.provider = unkey, end to end: Portal issues keys through Unkey's keys.createKey, the gateway verifies
 * them with keys.verifyKey behind its key cache, and revoke / disable / update reach Unkey before the bus
 * evicts. Unkey is a local server implementing its documented v2 contract (test/support/fake-unkey.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { storeVariants, usePortal } from '../support/harness.js';
import { chatBody, errorOf } from '../support/http.js';
import { startFakeUnkey, type FakeUnkey } from '../support/fake-unkey.js';
import { upsertPlan } from '../support/fixtures.js';
import { unkeyDocument } from '../support/unkey-openapi/document.js';
import { apiKeys } from '#src/platform/store/schema.js';
import { hashKey } from '#src/gateway/keys/format.js';

const ROOT_KEY_ENV = 'PORTAL_TEST_UNKEY_ROOT_KEY';
const ROOT_KEY = 'unkey_root_for_portal_tests';
const API_ID = 'api_portal_test';
const VERIFY = '/v2/keys.verifyKey';

describe.each(storeVariants())('keys issued by Unkey ($name)', (variant) => {
  let unkey: FakeUnkey;
  let orgId: string;

  beforeAll(async () => {
    unkey = await startFakeUnkey({ rootKey: ROOT_KEY, apiId: API_ID });
    process.env[ROOT_KEY_ENV] = ROOT_KEY;
  });
  const t = usePortal(() => ({
    ...variant.options,
    config: {
      keys: { provider: 'unkey', unkey: { baseUrl: unkey.url, apiId: API_ID, rootKeyEnv: ROOT_KEY_ENV } },
    },
  }));
  beforeAll(async () => {
    await upsertPlan(t.store, 'unkey-test', {});
    orgId = (await t.account({ plan: 'unkey-test' })).orgId;
  });
  afterAll(() => unkey?.close());

  const call = (key: string, model = 'oss-20b') =>
    t.as(key).post('/v1/chat/completions', chatBody({ model }));
  const admin = (path: string, body?: object) => t.admin.post(`/admin/api${path}`, body);

  async function issue(body: object = {}) {
    const res = await admin('/keys', { org_id: orgId, name: 'unkey test', ...body });
    expect(res.status).toBe(201);
    return res.json<{ id: string; key: string; display_prefix: string; last_four: string }>();
  }

  const verifies = () => unkey.calls[VERIFY] ?? 0;

  it('creates the key at Unkey and keeps only display parts, hash and Unkey key id locally', async () => {
    const created = await issue({ limits: { requests_per_minute: 50 } });
    expect(created.key).toMatch(/^ptl_[1-9A-HJ-NP-Za-km-z]{16,}$/);
    const [row] = await t.store.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    const atUnkey = unkey.keys.get(row!.externalId!);
    expect(atUnkey).toMatchObject({ apiId: API_ID, externalId: orgId, enabled: true, name: 'unkey test' });
    expect(atUnkey!.meta).toEqual({
      portalKeyId: created.id,
      orgId,
      models: null,
      requestsPerMinute: 50,
      tokensPerMinute: null,
    });
    expect(row).toMatchObject({ keyHash: hashKey(created.key), lastFour: created.key.slice(-4) });
    expect(created.display_prefix).toBe(created.key.slice(0, 10));
  });

  it('serves /v1/chat/completions and verifies at Unkey only once (the second call is a cache hit)', async () => {
    const { key } = await issue();
    const before = verifies();
    expect((await call(key)).status).toBe(200);
    expect((await call(key)).status).toBe(200);
    expect(verifies() - before).toBe(1);
  });

  it('401 key_revoked on the next call after a revoke, which deleted the key at Unkey', async () => {
    const { id, key } = await issue();
    expect((await call(key)).status).toBe(200);
    const res = await t.admin.delete(`/admin/api/keys/${id}`);
    expect(res.status).toBe(200);
    const [row] = await t.store.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(unkey.keys.get(row!.externalId!)!.deleted).toBe(true);
    expect(await errorOf(await call(key))).toMatchObject({ status: 401, code: 'key_revoked' });
  });

  it('403 key_disabled after a disable (updateKey enabled=false), 200 again after enable', async () => {
    const { id, key } = await issue();
    expect((await call(key)).status).toBe(200);
    expect((await admin(`/keys/${id}/disable`)).status).toBe(200);
    expect(unkey.bodies.at(-1)).toMatchObject({ path: '/v2/keys.updateKey', body: { enabled: false } });
    expect(await errorOf(await call(key))).toMatchObject({ status: 403, code: 'key_disabled' });
    expect((await admin(`/keys/${id}/enable`)).status).toBe(200);
    expect((await call(key)).status).toBe(200);
  });

  it('a model-scope change through the key service reaches Unkey meta and the gateway', async () => {
    const { id, key } = await issue();
    expect((await call(key, 'oss-120b')).status).toBe(200);
    // The one key service of the running Portal (the admin API and the dashboard use the same instance).
    await t.services.keys.update({ kind: 'admin', id: null }, orgId, id, { models: ['oss-20b'] });
    expect(await errorOf(await call(key, 'oss-120b'))).toMatchObject({
      status: 403,
      code: 'model_not_allowed',
    });
    expect((await call(key, 'oss-20b')).status).toBe(200);
  });

  it('a key whose local row cannot be written is deleted from Unkey again', async () => {
    const missingOrg = `org_missing_${Date.now()}`;
    await expect(
      t.portal.services.keys.create({ kind: 'admin', id: null }, missingOrg, { name: 'orphan' }),
    ).rejects.toThrow();
    const issued = [...unkey.keys.values()].filter((k) => k.externalId === missingOrg);
    expect(issued.length).toBe(1);
    expect(issued[0]!.deleted).toBe(true);
  });

  it('401 key_expired when Unkey answers EXPIRED', async () => {
    const { id, key } = await issue();
    const [row] = await t.store.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    unkey.keys.get(row!.externalId!)!.expires = Date.now() - 1_000;
    expect(await errorOf(await call(key))).toMatchObject({ status: 401, code: 'key_expired' });
  });

  it('401 invalid_api_key when Unkey answers NOT_FOUND, and for a key without Portal meta', async () => {
    expect(await errorOf(await call('ptl_4dwsNgk2kKq3xxLT8tPa1ZrF'))).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
    });
    const foreign = unkey.insert({ apiId: API_ID, externalId: orgId, enabled: true, meta: { plan: 'x' } });
    expect(await errorOf(await call(foreign.key))).toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('401 invalid_api_key without asking Unkey for a key of the wrong shape', async () => {
    const before = verifies();
    expect(await errorOf(await call('sk_not_a_portal_key_at_all_123'))).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
    });
    expect(verifies()).toBe(before);
  });

  it('503 service_unavailable for an uncached key while Unkey is down; cached keys keep working', async () => {
    const warm = await issue();
    const cold = await issue();
    expect((await call(warm.key)).status).toBe(200);
    try {
      for (const mode of ['down', 'error'] as const) {
        unkey.mode = mode;
        const res = await call(cold.key);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(await errorOf(res)).toMatchObject({ status: 503, code: 'service_unavailable' });
        expect((await call(warm.key)).status).toBe(200);
      }
      expect((await admin('/keys', { org_id: orgId, name: 'during outage' })).status).toBe(503);
    } finally {
      unkey.mode = 'up';
    }
    expect((await call(cold.key)).status).toBe(200);
  });

  it('every request Portal sent to Unkey and every answer match its OpenAPI document', () => {
    expect(unkey.exchanges.length).toBeGreaterThan(0);
    expect(unkeyDocument().problems(unkey.exchanges)).toEqual([]);
  });
});
