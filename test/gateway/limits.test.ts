/**
 * Sliding-window limits through the gateway: exactly N of N+1 concurrent requests pass, the refusal says
 * when to retry, and over a long randomized run no window of the limit's length ever holds more than N
 * admitted requests — with the in-memory limiter and with Redis. The same cases run with limits.provider =
 * unkey against the fake Unkey, held to what Unkey documents (decision 021: retry-after may reach past the
 * window by duration · cost / limit, and a window of length W may hold up to 2N), and with keys.provider unkey
 * too: keys issued at Unkey with their per-minute limits attached, decided at keys.verifyKey.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '#src/platform/store/schema.js';
import { redisVariants, usePortal } from '../support/harness.js';
import { chatBody, errorOf } from '../support/http.js';
import { upsertPlan } from '../support/fixtures.js';
import { unkeyDocument } from '../support/unkey-openapi/document.js';
import { maxAdmittedInAnyWindow, randomLoad } from '../support/limit-check.js';
import {
  exactGuarantee,
  unkeyGuarantee,
  useFakeUnkeyLimits,
  type LimitGuarantee,
} from '../support/unkey-limits.js';

const WINDOW_MS = 2_000;

const variants: Array<{
  name: string;
  options: object;
  unkey: boolean;
  keys: boolean;
  guarantee: LimitGuarantee;
}> = [
  ...redisVariants('limiter').map((v) => ({ ...v, unkey: false, keys: false, guarantee: exactGuarantee })),
  { name: 'Unkey limiter (fake Unkey)', options: {}, unkey: true, keys: false, guarantee: unkeyGuarantee },
  {
    name: 'Unkey limiter and Unkey keys (fake Unkey)',
    options: {},
    unkey: true,
    keys: true,
    guarantee: unkeyGuarantee,
  },
];

describe.each(variants)('limits with the $name', ({ options, unkey, keys, guarantee }) => {
  const fakeUnkey = unkey ? useFakeUnkeyLimits() : undefined;
  const t = usePortal(() => ({
    ...options,
    config: {
      gateway: { rateWindowMs: WINDOW_MS },
      ...fakeUnkey?.config(),
      ...(keys ? fakeUnkey?.keysConfig() : {}),
    },
  }));
  beforeAll(async () => {
    await upsertPlan(t.store, 'limited', { rpm: 1000, tpm: 10_000_000, rpd: 100_000 });
  });

  /** An account and a key: Portal's own, or with Unkey keys one issued at Unkey through the admin API. */
  async function account(options: Parameters<typeof t.account>[0] = {}) {
    const created = await t.account(options);
    if (!keys) return created;
    const k = options.key ?? {};
    const res = await t.admin.post('/admin/api/keys', {
      org_id: created.orgId,
      name: 'limits',
      limits: {
        requests_per_minute: k.requestsPerMinute ?? null,
        tokens_per_minute: k.tokensPerMinute ?? null,
      },
    });
    expect(res.status).toBe(201);
    const issued = await res.json<{ id: string; key: string }>();
    return { ...created, key: issued.key, keyId: issued.id };
  }
  const call = (key: string, body: Record<string, unknown> = {}) =>
    t.as(key).post('/v1/chat/completions', chatBody(body));

  it.runIf(unkey && !keys)(
    'decides through one ratelimit.multiLimit call carrying every limit and its cost',
    async () => {
      const fake = fakeUnkey!.fake;
      const { key } = await account({ plan: 'limited', key: { requestsPerMinute: 10 } });
      const before = fake.bodies.length;
      expect((await call(key, { max_tokens: 50 })).status).toBe(200);
      // The auth guard's peek (portal.authfail) also goes to Unkey, once, on a key-cache miss (decision 021).
      const decisions = fake.bodies
        .slice(before)
        .filter((b) => b.path === '/v2/ratelimit.multiLimit')
        .map((b) => b.body as Array<{ namespace: string; limit: number; duration: number; cost: number }>)
        .filter((checks) => checks.some((c) => c.namespace === 'portal.rpm'));
      expect(decisions).toHaveLength(1);
      const sent = decisions[0]!;
      expect(sent.map((c) => [c.namespace, c.limit, c.duration])).toEqual([
        ['portal.rpm', 10, WINDOW_MS],
        ['portal.tpm', 10_000_000, WINDOW_MS],
        ['portal.rpd', 100_000, 86_400_000],
      ]);
      expect(sent[1]!.cost).toBeGreaterThan(50); // the prompt's tokens + max_tokens, reserved at admission
    },
  );

  it.runIf(keys)(
    "attaches the key's limits to the Unkey key and checks them at keys.verifyKey, beside one multiLimit",
    async () => {
      const fake = fakeUnkey!.fake;
      const { key, keyId } = await account({ plan: 'limited', key: { requestsPerMinute: 10 } });
      const [row] = await t.store.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
      // The plan's tpm and the key's own (lower) rpm, as Unkey key ratelimits named by namespace.
      expect(fake.keys.get(row!.externalId!)?.ratelimits).toMatchObject([
        { name: 'portal.rpm', limit: 10, duration: WINDOW_MS, autoApply: false },
        { name: 'portal.tpm', limit: 10_000_000, duration: WINDOW_MS, autoApply: false },
      ]);
      const before = fake.bodies.length;
      expect((await call(key, { max_tokens: 50 })).status).toBe(200);
      const sent = fake.bodies.slice(before);
      const verified = sent.filter(
        (b) => b.path === '/v2/keys.verifyKey' && 'ratelimits' in (b.body as object),
      );
      expect(verified).toHaveLength(1);
      const asked = (verified[0]!.body as { ratelimits: Array<{ name: string; cost: number }> }).ratelimits;
      expect(asked.map((r) => r.name)).toEqual(['portal.rpm', 'portal.tpm']);
      expect(asked[0]!.cost).toBe(1);
      expect(asked[1]!.cost).toBeGreaterThan(50); // the prompt's tokens + max_tokens
      const decisions = sent
        .filter((b) => b.path === '/v2/ratelimit.multiLimit')
        .map((b) => (b.body as Array<{ namespace: string }>).map((c) => c.namespace))
        .filter((ns) => ns.includes('portal.rpd'));
      // The organization's allowance, with the key windows mirrored for the usage page.
      expect(decisions).toEqual([['portal.rpm', 'portal.tpm', 'portal.rpd']]);
    },
  );

  it.runIf(keys)("a plan change re-writes the attached limits of the organization's keys", async () => {
    const fake = fakeUnkey!.fake;
    await upsertPlan(t.store, 'faster', { rpm: 77, tpm: 7_000 });
    const { keyId, orgId } = await account({ plan: 'limited' });
    const [row] = await t.store.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    const atUnkey = () => fake.keys.get(row!.externalId!)?.ratelimits?.map((r) => [r.name, r.limit]);
    expect(atUnkey()).toEqual([
      ['portal.rpm', 1000],
      ['portal.tpm', 10_000_000],
    ]);
    const changed = await t.admin.post(`/admin/api/orgs/${orgId}/plan`, { plan_id: 'faster' });
    expect(changed.status).toBeLessThan(300);
    await expect.poll(atUnkey, { timeout: 2_000 }).toEqual([
      ['portal.rpm', 77],
      ['portal.tpm', 7_000],
    ]);
  });

  it.runIf(keys)(
    'a key deleted at Unkey is refused on its next request, though the key cache still holds it',
    async () => {
      const { key, keyId } = await account({ plan: 'limited' });
      expect((await call(key)).status).toBe(200); // cached now
      const [row] = await t.store.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
      fakeUnkey!.fake.keys.get(row!.externalId!)!.deleted = true; // at Unkey only: no bus message
      const refused = await call(key);
      expect(refused.status).toBe(401);
      expect(await errorOf(refused)).toMatchObject({ code: 'key_revoked' });
    },
  );

  it('the usage windows show what was charged: used, remaining and when it frees up', async () => {
    const { key, keyId, orgId } = await account({ plan: 'limited', key: { requestsPerMinute: 5 } });
    for (let i = 0; i < 3; i++) expect((await call(key)).status).toBe(200);
    const windows = await t.services.gateway.windows(orgId);
    const rpm = windows.find((w) => w.name === 'requests_per_minute' && w.key_id === keyId);
    expect(rpm).toMatchObject({ limit: 5, used: 3, remaining: 2 });
    expect(Date.parse(rpm!.resets_at!)).toBeGreaterThan(Date.now());
    expect(windows.find((w) => w.name === 'requests_per_day')).toMatchObject({ limit: 100_000, used: 3 });
  });

  it('N concurrent requests pass and the N+1th gets 429 with retry-after', async () => {
    const { key } = await account({ plan: 'limited', key: { requestsPerMinute: 10 } });
    const results = await Promise.all(Array.from({ length: 11 }, () => call(key)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    const refused = results.find((r) => r.status === 429)!;
    // Portal's window is exact up to one sub-bucket (shared/limits.md): the wait is at most W + W/60;
    // Unkey's weighted window may need W/10 past its reset (decision 021).
    const waitMs = Number(refused.headers.get('retry-after-ms'));
    expect(waitMs).toBeGreaterThan(0);
    expect(waitMs).toBeLessThanOrEqual(guarantee.maxWaitMs(WINDOW_MS, 1, 10));
    expect(refused.headers.get('retry-after')).toBe(String(Math.max(1, Math.ceil(waitMs / 1000))));
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(await errorOf(refused)).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
  });

  it('the window frees up after retry-after', async () => {
    const { key } = await account({ plan: 'limited', key: { requestsPerMinute: 2 } });
    await Promise.all([call(key), call(key)]);
    const refused = await call(key);
    expect(refused.status).toBe(429);
    await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after-ms')) + 50));
    expect((await call(key)).status).toBe(200);
  });

  it('token limits reserve max_tokens at admission, so concurrent requests cannot overshoot', async () => {
    const { key } = await account({ plan: 'limited', key: { tokensPerMinute: 1000 } });
    // Each request reserves its prompt (~11 tokens) + 200: at most 4 fit in 1,000.
    const results = await Promise.all(Array.from({ length: 8 }, () => call(key, { max_tokens: 200 })));
    const passed = results.filter((r) => r.status === 200).length;
    expect(passed).toBe(4);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
  });

  it('the daily allowance answers insufficient_quota with when it frees up, and says not to retry', async () => {
    await upsertPlan(t.store, 'daily3', { rpd: 3 });
    const { key } = await account({ plan: 'daily3' });
    for (let i = 0; i < 3; i++) expect((await call(key)).status).toBe(200);
    const refused = await call(key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(await errorOf(refused)).toMatchObject({
      code: 'insufficient_quota',
      message: expect.stringMatching(/frees up at \d{4}-\d\d-\d\dT/),
    });
  });

  it('over a long randomized run, no window ever holds more than the guarantee allows', async () => {
    const N = 8;
    const { key } = await account({ plan: 'limited', key: { requestsPerMinute: N } });
    const samples = await randomLoad(async () => (await call(key)).status, {
      workers: 6,
      durationMs: 9_000,
      maxGapMs: 250,
    });
    const admitted = samples.filter((s) => s.status === 200).length;
    expect(samples.every((s) => s.status === 200 || s.status === 429)).toBe(true);
    expect(admitted).toBeGreaterThanOrEqual(N * 3); // the windows kept freeing up: not a lock-out
    expect(maxAdmittedInAnyWindow(samples, WINDOW_MS)).toBeLessThanOrEqual(guarantee.maxInAnyWindow(N));
  });

  it.runIf(unkey)('every request sent to Unkey and every answer match its OpenAPI document', () => {
    const exchanges = fakeUnkey!.fake.exchanges;
    expect(exchanges.length).toBeGreaterThan(0);
    expect(unkeyDocument().problems(exchanges)).toEqual([]);
  });
});
