/**
 * Entitlements and the hot path: each kind of refusal has its own clear error, changes reach the gateway
 * through the bus at once, and a known key costs no store read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { usePortal } from '../support/harness.js';
import { chatBody, errorOf } from '../support/http.js';
import { jumpWallClock } from '../support/clock.js';
import { createAccount, createKey, setKeyStatus, type TestAccount } from '../support/fixtures.js';
import { models, organizations, routerPools } from '#src/platform/store/schema.js';

const t = usePortal();
let account: TestAccount;

beforeAll(async () => {
  account = await t.account();
});

const call = (key: string, model = 'oss-20b') => t.as(key).post('/v1/chat/completions', chatBody({ model }));

describe('refusals', () => {
  it('403 key_disabled for a disabled key, distinct from a revoked one', async () => {
    const { key, keyId } = await createKey(t.store, account.orgId);
    expect((await call(key)).status).toBe(200);
    await setKeyStatus(t.store, keyId, 'disabled');
    await t.services.bus.publish({ type: 'key.changed', keyId });
    expect(await errorOf(await call(key))).toMatchObject({ status: 403, code: 'key_disabled' });
  });

  it('401 key_expired once the expiry passes', async () => {
    const { key } = await createKey(t.store, account.orgId, { expiresAt: new Date(Date.now() + 60_000) });
    expect((await call(key)).status).toBe(200);
    const undo = jumpWallClock(61_000); // the gateway judges expiry by Date.now(); no sleep, no race
    try {
      expect(await errorOf(await call(key))).toMatchObject({ status: 401, code: 'key_expired' });
    } finally {
      undo();
    }
  });

  it('403 account_disabled for every key of a disabled organization', async () => {
    const other = await createAccount(t.store);
    expect((await call(other.key)).status).toBe(200);
    await t.store.db
      .update(organizations)
      .set({ status: 'disabled' })
      .where(eq(organizations.id, other.orgId));
    await t.services.bus.publish({ type: 'org.changed', orgId: other.orgId });
    expect(await errorOf(await call(other.key))).toMatchObject({ status: 403, code: 'account_disabled' });
  });

  it('403 model_not_allowed for a model outside the key scope, naming the scope', async () => {
    const { key } = await createKey(t.store, account.orgId, { scopes: ['qwen'] });
    expect((await call(key, 'qwen')).status).toBe(200);
    const err = await errorOf(await call(key, 'gemma4'));
    expect(err).toMatchObject({ status: 403, code: 'model_not_allowed' });
    expect(err.message).toContain('qwen');
  });

  it('403 model_not_allowed for a model outside the plan', async () => {
    const err = await errorOf(await call(account.key, 'oss-120b'));
    expect(err).toMatchObject({ status: 403, code: 'model_not_allowed' });
    expect(err.message).toMatch(/plan/);
  });

  it('404 model_not_found for an unknown model, and aliases resolve', async () => {
    expect(await errorOf(await call(account.key, 'gpt-4o'))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect((await call(account.key, 'qwen3')).status).toBe(200);
  });

  it('403 model_disabled for a model an operator disabled, and back when re-enabled', async () => {
    await t.store.db.update(models).set({ status: 'disabled' }).where(eq(models.id, 'gemma4'));
    await t.services.bus.publish({ type: 'model.changed', modelId: 'gemma4' });
    await expect.poll(async () => (await call(account.key, 'gemma4')).status, { timeout: 2_000 }).toBe(403);
    expect(await errorOf(await call(account.key, 'gemma4'))).toMatchObject({ code: 'model_disabled' });
    await t.store.db.update(models).set({ status: 'enabled' }).where(eq(models.id, 'gemma4'));
    await t.services.bus.publish({ type: 'model.changed', modelId: 'gemma4' });
    await expect.poll(async () => (await call(account.key, 'gemma4')).status, { timeout: 2_000 }).toBe(200);
  });

  it('503 upstream_unavailable with retry-after while the pool is disabled, and no limit is charged', async () => {
    const poolId = 'test-pool';
    const fresh = await createAccount(t.store);
    const remaining = async (res: Response) => Number(res.headers.get('x-ratelimit-remaining-requests'));
    expect(await remaining(await call(fresh.key))).toBe(19);
    await t.store.db.update(routerPools).set({ state: 'disabled' }).where(eq(routerPools.id, poolId));
    await t.services.bus.publish({ type: 'pool.changed', poolId });
    await expect.poll(async () => (await call(fresh.key)).status, { timeout: 2_000 }).toBe(503);
    const res = await call(fresh.key);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await errorOf(res)).toMatchObject({ code: 'upstream_unavailable' });
    await t.store.db.update(routerPools).set({ state: 'active' }).where(eq(routerPools.id, poolId));
    await t.services.bus.publish({ type: 'pool.changed', poolId });
    let back: Response | undefined;
    await expect
      .poll(async () => (back = await call(fresh.key)).status, { timeout: 2_000, interval: 50 })
      .toBe(200);
    expect(await remaining(back!)).toBe(18); // the refused requests were never charged
  });
});

describe('hot path', () => {
  it('a known key is verified from memory: no store read after the first request', async () => {
    const fresh = await createAccount(t.store);
    const keys = t.services.gateway.keys;
    expect((await call(fresh.key)).status).toBe(200);
    const before = keys.stats().misses;
    const results = await Promise.all(Array.from({ length: 15 }, () => call(fresh.key)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(keys.stats().misses).toBe(before);
  });

  it('last_used_at is written in batches, not per request', async () => {
    const fresh = await createAccount(t.store);
    const lastUsed = async () =>
      (
        await t.store.query<{ last_used_at: Date | null }>(
          'select last_used_at from api_keys where id = $1',
          [fresh.keyId],
        )
      )[0]?.last_used_at ?? null;
    expect((await call(fresh.key)).status).toBe(200);
    expect(await lastUsed()).toBeNull(); // the request did not write it
    await expect.poll(lastUsed, { timeout: 8_000, interval: 250 }).not.toBeNull();
  });

  it('malformed keys are refused without touching the cache or the store', async () => {
    const keys = t.services.gateway.keys;
    const before = keys.stats();
    for (let i = 0; i < 10; i++) expect((await call(`ptl_${'x'.repeat(36)}`)).status).toBe(401);
    expect(keys.stats().misses).toBe(before.misses);
    expect(keys.stats().hits).toBe(before.hits);
  });

  it('every authenticated request gets a request log, refusals included, without prompt text', async () => {
    const ok = await call(account.key);
    const refused = await call(`ptl_${'x'.repeat(36)}`); // failed authentication: metrics only, no row
    await t.services.metering.flush();
    const rows = await t.store.query<{
      request_id: string;
      status: number;
      error_code: string | null;
      org_id: string | null;
      request_body: unknown;
    }>(
      'select request_id, status, error_code, org_id, request_body from request_logs where request_id = any($1)',
      [[ok.headers.get('x-request-id'), refused.headers.get('x-request-id')]],
    );
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    expect(byId.get(ok.headers.get('x-request-id')!)).toMatchObject({
      status: 200,
      error_code: null,
      org_id: account.orgId,
      request_body: null,
    });
    expect(byId.has(refused.headers.get('x-request-id')!)).toBe(false);
  });

  it('answers carry the rate-limit headers and the Portal overhead', async () => {
    const res = await call(account.key);
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('20');
    expect(Number(res.headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(20);
    expect(res.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(ms|s)$|m\d+s$/);
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('40000');
    expect(Number(res.headers.get('x-portal-overhead-ms'))).toBeGreaterThanOrEqual(0);
  });
});
