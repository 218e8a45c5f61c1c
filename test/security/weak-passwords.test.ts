/**
 * Attack: guessing works against short and common passwords — `password` was accepted. New passwords
 * (sign-up, change, reset) need at least 10 characters and must not be a common or easily guessed one.
 */
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { errorOf } from '../support/http.js';

describe('weak passwords', () => {
  const t = usePortal();
  const signUp = (password: string) =>
    t.anon.post('/api/auth/sign-up/email', {
      email: `weak-${Math.random()}@example.com`,
      password,
      name: 'W',
    });

  it.each(['password', 'secret123', 'password12', 'qwertyuiop', '1234567890', 'aaaaaaaaaaaa'])(
    'sign-up refuses %j with 400 naming the password',
    async (password) => {
      expect(await errorOf(await signUp(password))).toMatchObject({ status: 400, param: 'password' });
    },
  );

  it('change-password refuses a common new password', async () => {
    const user = await t.signUp();
    const res = await user.post('/api/auth/change-password', {
      currentPassword: user.password,
      newPassword: 'password123',
    });
    expect(res.status).toBe(400);
  });

  it('a long uncommon passphrase is accepted', async () => {
    expect((await signUp('violet tractor sings 7')).status).toBe(200);
  });

  it('the admin API (portal users create) refuses a common password too, and takes a strong one', async () => {
    const create = (password: string) =>
      t.admin.post('/admin/api/users', { email: `ops-${Math.random()}@example.com`, password });
    expect(await errorOf(await create('password1'))).toMatchObject({ status: 400, param: 'password' });
    expect((await create('violet tractor sings 7')).status).toBe(201);
  });
});
