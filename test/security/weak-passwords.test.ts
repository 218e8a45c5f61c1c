/**
 * Attack: guessing works against short and common passwords — `password` was accepted. New passwords
 * (sign-up, change, reset) need at least 10 characters and must not be a common or easily guessed one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { ADMIN_TOKEN, createTestPortal, type TestPortal } from '../product/harness.js';

describe('weak passwords', () => {
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

  it.each(['password', 'secret123', 'password12', 'qwertyuiop', '1234567890', 'aaaaaaaaaaaa'])(
    'sign-up refuses %j with 400 naming the password',
    async (password) => {
      const res = await portal.req('/api/auth/sign-up/email', {
        method: 'POST',
        json: { email: `weak-${Math.random()}@example.com`, password, name: 'W' },
      });
      const body = (await res.json()) as { error?: { param?: string } };
      expect({ status: res.status, param: body.error?.param }).toEqual({ status: 400, param: 'password' });
    },
  );

  it('change-password refuses a common new password', async () => {
    const user = await portal.signUp();
    const res = await user.req('/api/auth/change-password', {
      method: 'POST',
      json: { currentPassword: user.password, newPassword: 'password123' },
    });
    expect(res.status).toBe(400);
  });

  it('a long uncommon passphrase is accepted', async () => {
    const res = await portal.req('/api/auth/sign-up/email', {
      method: 'POST',
      json: { email: `strong-${Date.now()}@example.com`, password: 'violet tractor sings 7', name: 'S' },
    });
    expect(res.status).toBe(200);
  });

  it('the admin API (portal users create) refuses a common password too, and takes a strong one', async () => {
    const create = (password: string) =>
      portal.req('/admin/api/users', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        json: { email: `ops-${Math.random()}@example.com`, password },
      });
    const weak = await create('password1');
    const body = (await weak.json()) as { error?: { param?: string } };
    expect({ status: weak.status, param: body.error?.param }).toEqual({ status: 400, param: 'password' });
    expect((await create('violet tractor sings 7')).status).toBe(201);
  });
});
