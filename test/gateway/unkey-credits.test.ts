/**
 * The Unkey credits mirror end to end (keys.provider = unkey; docs/decisions/025): every key of an organization
 * shows, as its Unkey `credits.remaining`, the number the customer's own pages show — the Plan page's
 * `balance_micros` on a credits plan, the Usage page's `tokens_per_month` remaining on a monthly-quota plan,
 * unlimited otherwise — within a flush interval of a grant, a plan change, a new key or a request. Portal's
 * verifications cost 0 credits, so a key at 0 credits at Unkey still works when Portal's own numbers allow it.
 * Unkey is the local contract fake (test/support/fake-unkey.ts); PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { storeVariants, usePortal, type Session } from '../support/harness.js';
import { chatBody } from '../support/http.js';
import { useFakeUnkeyLimits } from '../support/unkey-limits.js';
import { unkeyDocument } from '../support/unkey-openapi/document.js';
import { apiKeys } from '#src/platform/store/schema.js';

const POLL = { timeout: 5_000, interval: 50 };

describe.each(storeVariants())('Unkey credits mirror ($name)', (variant) => {
  const fakeUnkey = useFakeUnkeyLimits();
  const t = usePortal(() => ({
    ...variant.options,
    config: fakeUnkey.keysConfig({ creditsMirror: { intervalMs: 100 } }),
  }));

  const admin = (path: string, body?: object) => t.admin.post(`/admin/api${path}`, body);
  const orgOf = async (s: Session) =>
    (await (await s.get('/api/account')).json<{ organization: { id: string } }>()).organization.id;

  /** A signed-in customer on a plan, and its organization. */
  async function customer(planId: string) {
    const session = await t.signUp();
    const orgId = await orgOf(session);
    expect((await admin(`/orgs/${orgId}/plan`, { plan_id: planId })).status).toBe(200);
    return { session, orgId };
  }

  async function issue(orgId: string) {
    const res = await admin('/keys', { org_id: orgId, name: 'mirrored' });
    expect(res.status).toBe(201);
    const { id, key } = await res.json<{ id: string; key: string }>();
    const [row] = await t.store.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return { id, key, unkeyId: row!.externalId! };
  }

  const remainingAt = (unkeyId: string) => fakeUnkey.fake.keys.get(unkeyId)?.remaining;
  const balanceShown = async (s: Session) =>
    (await (await s.get('/api/plan')).json<{ balance_micros: number | null }>()).balance_micros;
  const monthlyShown = async (s: Session) => {
    const usage = await (
      await s.get('/api/usage')
    ).json<{ windows: Array<{ name: string; subject: string; remaining: number }> }>();
    return usage.windows.find((w) => w.name === 'tokens_per_month' && w.subject === 'org')?.remaining;
  };
  const call = (key: string) =>
    t.as(key).post('/v1/chat/completions', chatBody({ model: 'oss-20b', max_tokens: 16 }));

  it('credits plan: every key shows the Plan page balance after a grant and after each request', async () => {
    const { session, orgId } = await customer('credits');
    const [first, second] = [await issue(orgId), await issue(orgId)];
    const grant = await admin(`/orgs/${orgId}/ledger`, {
      kind: 'grant',
      amount_micros: 2_000_000,
      description: 'mirror test',
    });
    expect(grant.status).toBe(201);
    await expect.poll(() => remainingAt(first.unkeyId), POLL).toBe(2_000_000);
    await expect.poll(() => remainingAt(second.unkeyId), POLL).toBe(2_000_000);

    expect((await call(first.key)).status).toBe(200);
    expect((await call(second.key)).status).toBe(200);
    await expect.poll(() => balanceShown(session), POLL).toBeLessThan(2_000_000);
    const shown = await balanceShown(session);
    await expect.poll(() => remainingAt(first.unkeyId), POLL).toBe(shown);
    await expect.poll(() => remainingAt(second.unkeyId), POLL).toBe(shown);
  });

  it('monthly-quota plan: every key shows the tokens_per_month remaining of the Usage page', async () => {
    const { session, orgId } = await customer('pro');
    const k = await issue(orgId);
    await expect.poll(() => remainingAt(k.unkeyId), POLL).toBe(50_000_000);
    expect((await call(k.key)).status).toBe(200);
    await expect.poll(() => monthlyShown(session), POLL).toBeLessThan(50_000_000);
    const shown = await monthlyShown(session);
    await expect.poll(() => remainingAt(k.unkeyId), POLL).toBe(shown);
  });

  it('a plan without a monthly quota or credits is unlimited at Unkey; a plan change switches the unit', async () => {
    const { session, orgId } = await customer('free');
    const k = await issue(orgId);
    const setTo = (value: number | null) =>
      fakeUnkey.fake.bodies.some(
        (b) =>
          b.path === '/v2/keys.updateCredits' &&
          JSON.stringify(b.body) === JSON.stringify({ keyId: k.unkeyId, operation: 'set', value }),
      );
    await expect.poll(() => setTo(null), POLL).toBe(true);
    expect(remainingAt(k.unkeyId)).toBeNull();
    expect((await admin(`/orgs/${orgId}/plan`, { plan_id: 'credits' })).status).toBe(200);
    await expect.poll(() => remainingAt(k.unkeyId), POLL).toBe(await balanceShown(session));
    expect(remainingAt(k.unkeyId)).toBe(0);
  });

  it('a key at 0 credits at Unkey still works: Portal verifies at cost 0 and decides with its own numbers', async () => {
    const { orgId } = await customer('pro');
    const k = await issue(orgId);
    await expect.poll(() => remainingAt(k.unkeyId), POLL).toBe(50_000_000);
    fakeUnkey.fake.keys.get(k.unkeyId)!.remaining = 0; // as if Unkey's copy had been set to 0 by hand
    const verifications = fakeUnkey.fake.bodies.length;
    expect((await call(k.key)).status).toBe(200);
    const sent = fakeUnkey.fake.bodies.slice(verifications).filter((b) => b.path === '/v2/keys.verifyKey');
    expect(sent.length).toBeGreaterThan(0);
    for (const b of sent) expect(b.body).toMatchObject({ credits: { cost: 0 } });
    // The next flush puts the real number back.
    await expect.poll(() => remainingAt(k.unkeyId), POLL).toBeGreaterThan(0);
  });

  it('writes nothing for a revoked key, and catches up after Unkey was unreachable', async () => {
    const { session, orgId } = await customer('credits');
    const [kept, revoked] = [await issue(orgId), await issue(orgId)];
    expect((await t.admin.delete(`/admin/api/keys/${revoked.id}`)).status).toBe(200);
    const since = fakeUnkey.fake.bodies.length;
    fakeUnkey.fake.mode = 'down';
    try {
      await admin(`/orgs/${orgId}/ledger`, { kind: 'grant', amount_micros: 300_000, description: 'x' });
      await new Promise((r) => setTimeout(r, 400)); // a few flushes fail
    } finally {
      fakeUnkey.fake.mode = 'up';
    }
    await expect.poll(() => remainingAt(kept.unkeyId), POLL).toBe(await balanceShown(session));
    expect(remainingAt(kept.unkeyId)).toBe(300_000);
    const toRevoked = fakeUnkey.fake.bodies
      .slice(since)
      .filter(
        (b) => b.path === '/v2/keys.updateCredits' && (b.body as { keyId: string }).keyId === revoked.unkeyId,
      );
    expect(toRevoked).toEqual([]);
  });

  it('every updateCredits Portal sent and every answer match the OpenAPI document', () => {
    const exchanges = fakeUnkey.fake.exchanges.filter((e) => e.path === '/v2/keys.updateCredits');
    expect(exchanges.length).toBeGreaterThan(0);
    expect(unkeyDocument().problems(exchanges)).toEqual([]);
  });
});
