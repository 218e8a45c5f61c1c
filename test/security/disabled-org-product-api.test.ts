/**
 * Attack: keep using the account API after an operator disabled the organization (for abuse, non-payment):
 * create keys, read usage. Every signed-in /api route answers 403 `account_disabled` for its members.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { ADMIN_TOKEN, createTestPortal, type TestPortal } from '../product/harness.js';

describe('a disabled organization', () => {
  let store: Store;
  let portal: TestPortal;
  beforeAll(async () => {
    store = await openTestStore();
    portal = await createTestPortal(store);
  });
  afterAll(async () => {
    portal.close();
    await store.close();
  });

  it('its members get 403 account_disabled on /api/*', async () => {
    const user = await portal.signUp();
    const account = (await (await user.req('/api/account')).json()) as { organization: { id: string } };
    const disabled = await portal.req(`/admin/api/orgs/${account.organization.id}/disable`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      json: { reason: 'abuse' },
    });
    expect(disabled.status).toBe(200);
    const answers = await Promise.all([
      user.req('/api/keys', { method: 'POST', json: { name: 'after disable' } }),
      user.req('/api/keys'),
      user.req('/api/usage'),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.json() as Promise<{ error?: { code: string } }>));
    expect(answers.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(bodies.map((b) => b.error?.code)).toEqual([
      'account_disabled',
      'account_disabled',
      'account_disabled',
    ]);
  });
});
