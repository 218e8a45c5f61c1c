/**
 * A plan change made through the admin API reaches the gateway at once: the organization's cached policy is
 * dropped on `plan.changed`, so a model the old plan refused is served on the next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type TestAccount } from '../support/fixtures.js';
import { ADMIN_TOKEN, startTestPortal, type TestPortal } from '../support/harness.js';

describe('plan change at the gateway', () => {
  let t: TestPortal;
  let account: TestAccount;
  beforeAll(async () => {
    t = await startTestPortal();
    account = await createAccount(t.store, { plan: 'free' });
  });
  afterAll(() => t?.close());

  const call = () =>
    fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'oss-120b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 }),
    });

  it('serves a model of the new plan on the first request after the change', async () => {
    const before = await call();
    expect(before.status).toBe(403);
    const changed = await fetch(`${t.url}/admin/api/orgs/${account.orgId}/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ plan_id: 'pro' }),
    });
    expect(changed.status).toBe(200);
    // The admin answer comes after `plan.changed` was published: the very next request sees the new plan.
    expect((await call()).status).toBe(200);
  });
});
