/**
 * Regression "a credits balance ends below zero" (issue #17, found by the soak without any fault: final
 * balance −1 µ). The reservation is computed from Portal's own count of the prompt, the debit from the
 * upstream's usage, which counts the chat template too, so the last request admitted against a nearly
 * spent balance could cost more than was reserved. A call on a credits plan is now billed at most what was
 * reserved for it ("the most the call can cost"), so the balance never goes below zero.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModels } from '#src/platform/config/defaults.js';
import { createAccount, type TestAccount } from '../support/fixtures.js';
import { usePortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';

// Prompt tokens are all that costs: 1 µ each, answers free.
const models = defaultModels.map((m) => ({ ...m, inputPricePerMTok: 1_000_000, outputPricePerMTok: 0 }));

describe('credits balance never below zero', () => {
  const t = usePortal({ sim: { outputTokens: 4 }, config: { models } });
  const ledgerOf = (orgId: string) => t.admin.under(`/admin/api/orgs/${orgId}/ledger`);
  let account: TestAccount;
  beforeAll(async () => {
    account = await createAccount(t.store, { plan: 'credits' });
    const grant = await ledgerOf(account.orgId).post('', {
      kind: 'grant',
      amount_micros: 500,
      description: 't',
    });
    expect(grant.status).toBe(201);
  });

  it('spending a balance down to refusal leaves it at zero or above, each debit ≤ its reservation', async () => {
    let admitted = 0;
    for (let i = 0; i < 200; i++) {
      const res = await t.as(account.key).post(
        '/v1/chat/completions',
        chatBody({
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: `Question ${i}?` },
          ],
        }),
      );
      if (res.status === 429) break;
      expect(res.status).toBe(200);
      admitted++;
    }
    expect(admitted).toBeGreaterThan(5);
    await t.portal.services.metering.flush();
    const ledger = await (await ledgerOf(account.orgId).get('')).json<{ balance_micros: number }>();
    expect(ledger.balance_micros).toBeGreaterThanOrEqual(0);
    const [events] = await t.store.query<{ n: number }>(
      `select count(*)::int n from usage_events where org_id = $1 and cost_micros > 0`,
      [account.orgId],
    );
    expect(events?.n).toBe(admitted);
  });
});
