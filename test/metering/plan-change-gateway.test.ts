/**
 * A plan change made through the admin API reaches the gateway at once: the organization's cached policy is
 * dropped on `plan.changed`, so a model the old plan refused is served on the next request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type TestAccount } from '../support/fixtures.js';
import { usePortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';

describe('plan change at the gateway', () => {
  const t = usePortal();
  let account: TestAccount;
  beforeAll(async () => {
    account = await createAccount(t.store, { plan: 'free' });
  });

  const call = () => t.as(account.key).post('/v1/chat/completions', chatBody({ model: 'oss-120b' }));

  it('serves a model of the new plan on the first request after the change', async () => {
    const before = await call();
    expect(before.status).toBe(403);
    const changed = await t.admin.post(`/admin/api/orgs/${account.orgId}/plan`, { plan_id: 'pro' });
    expect(changed.status).toBe(200);
    // The admin answer comes after `plan.changed` was published: the very next request sees the new plan.
    expect((await call()).status).toBe(200);
  });
});
