/**
 * Attack: keep using the account API after an operator disabled the organization (for abuse, non-payment):
 * create keys, read usage. Every signed-in /api route answers 403 `account_disabled` for its members.
 */
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { errorOf } from '../support/http.js';

describe('a disabled organization', () => {
  const t = usePortal();

  it('its members get 403 account_disabled on /api/*', async () => {
    const user = await t.signUp();
    const account = await (await user.get('/api/account')).json();
    const disabled = await t.admin.post(`/admin/api/orgs/${account.organization.id}/disable`, {
      reason: 'abuse',
    });
    expect(disabled.status).toBe(200);
    const answers = await Promise.all([
      user.post('/api/keys', { name: 'after disable' }),
      user.get('/api/keys'),
      user.get('/api/usage'),
    ]);
    const errors = await Promise.all(answers.map(errorOf));
    expect(errors.map((e) => [e.status, e.code])).toEqual([
      [403, 'account_disabled'],
      [403, 'account_disabled'],
      [403, 'account_disabled'],
    ]);
  });
});
