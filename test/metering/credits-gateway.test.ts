/**
 * Prepaid credits through the gateway: 200 simultaneous requests against a balance that covers exactly 50
 * reservations. Exactly 50 are admitted (the upstream holds every answer for 20 s, so all 200 are in
 * flight together), the other 150 get 429 insufficient_quota, exactly the admitted ones are debited in the
 * ledger at their actual cost, and the balance never goes below zero. Memory and Redis counters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModels } from '#src/platform/config/defaults.js';
import { createAccount, type TestAccount } from '../support/fixtures.js';
import { redisVariants, usePortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';

// 1 micro-unit per output token, input free: a request's maximum cost is exactly its max_tokens.
const models = defaultModels.map((m) => ({ ...m, inputPricePerMTok: 0, outputPricePerMTok: 1_000_000 }));
const MAX_TOKENS = 100;

for (const variant of redisVariants('counter')) {
  describe(`credits plan through the gateway (${variant.name})`, () => {
    const t = usePortal({
      ...variant.options,
      sim: { ttftMs: 20_000, outputTokens: 12 },
      config: { models },
    });
    const ledgerOf = (orgId: string) => t.admin.under(`/admin/api/orgs/${orgId}/ledger`);
    let account: TestAccount;
    beforeAll(async () => {
      account = await createAccount(t.store, { plan: 'credits' });
      const grant = await ledgerOf(account.orgId).post('', {
        kind: 'grant',
        amount_micros: 50 * MAX_TOKENS,
        description: 'test credit',
      });
      expect(grant.status).toBe(201);
    });

    it('admits exactly 50 of 200 simultaneous requests and debits exactly those', async () => {
      const responses = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const res = await t
            .as(account.key)
            .post(
              '/v1/chat/completions',
              chatBody({ messages: [{ role: 'user', content: `Request ${i}` }], max_tokens: MAX_TOKENS }),
            );
          const body = await res.json<{ error?: { code: string }; usage?: { completion_tokens: number } }>();
          return { status: res.status, code: body.error?.code, cost: body.usage?.completion_tokens ?? 0 };
        }),
      );
      const admitted = responses.filter((r) => r.status === 200);
      const refused = responses.filter((r) => r.status === 429);
      expect(admitted).toHaveLength(50);
      expect(refused).toHaveLength(150);
      expect(new Set(refused.map((r) => r.code))).toEqual(new Set(['insufficient_quota']));

      const { metering, credits, store } = t.portal.services;
      await metering.flush();
      const debits = await store.query<{ n: number; total: number }>(
        `select count(*)::int as n, coalesce(sum(amount_micros), 0)::float8 as total from billing_ledger
         where org_id = $1 and kind = 'usage_debit'`,
        [account.orgId],
      );
      const spent = admitted.reduce((n, r) => n + r.cost, 0);
      expect(debits[0]).toEqual({ n: 50, total: -spent });
      const ledger = await (await ledgerOf(account.orgId).get('')).json<{ balance_micros: number }>();
      expect(ledger.balance_micros).toBe(50 * MAX_TOKENS - spent);
      expect(ledger.balance_micros).toBeGreaterThanOrEqual(0);
      await expect.poll(() => credits.balance(account.orgId)).toBe(50 * MAX_TOKENS - spent);
    }, 90_000);
  });
}
