/**
 * Finding: NUL bytes in a path or query and dates in years ≤ 0 reached PostgreSQL, which refused them, and
 * the client got 500 (11 × in the review). NUL and control characters in the path or query are refused by
 * the kernel with a 400 in the API's own shape; date parameters are clamped to years 1970–9999.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal, type Session } from '../support/harness.js';

const t = usePortal();
let alice: Session;
beforeAll(async () => {
  alice = await t.signUp();
});

const admin = (path: string) => t.admin.get(path);

async function expectApiError(res: Response, status: number) {
  const body = (await res.json()) as { error?: { message?: unknown; type?: unknown; code?: unknown } };
  expect({ status: res.status, body }).toMatchObject({
    status,
    body: { error: { code: expect.any(String) } },
  });
  expect(typeof body.error?.message).toBe('string');
}

describe('NUL and control characters in the path or query', () => {
  it.each([
    ['a key id with %00', '/api/keys/key_abc%00'],
    ['a key id with %01', '/api/keys/key_abc%01def'],
    ['a usage query with %00', '/api/usage?model=oss%00'],
  ])('400 for %s (signed in)', async (_what, path) => {
    await expectApiError(await alice.get(path), 400);
  });

  it.each([
    ['an org filter with %00', '/admin/api/requests?org=a%00b'],
    ['a user id with %0a', '/admin/api/users/usr_1%0a'],
    ['a key filter with %7f', '/admin/api/keys?org_id=org%7f'],
  ])('400 for %s (admin)', async (_what, path) => {
    await expectApiError(await admin(path), 400);
  });

  it('400 for a password-reset token with a NUL (auth)', async () => {
    await expectApiError(await t.anon.get('/api/auth/reset-password/tok%00en?callbackURL=/'), 400);
  });

  it('leaves ordinary escapes alone', async () => {
    expect((await alice.get('/api/keys/key%20abc')).status).toBe(404);
  });
});

describe('dates in years ≤ 0 or far in the future', () => {
  it.each([
    '/api/usage?from=0000-01-01',
    '/api/usage?from=0000-01-01&to=0000-02-01',
    '/api/usage?from=-000001-01-01T00:00:00Z',
    '/api/usage?to=+275760-01-01T00:00:00Z',
  ])('%s answers 400 or 200, never 500', async (path) => {
    const res = await alice.get(path);
    expect([200, 400]).toContain(res.status);
    if (res.status === 400) await expectApiError(res, 400);
  });

  it.each([
    '/admin/api/requests?since=0000-01-01T00:00:00Z',
    '/admin/api/requests?until=0000-01-01T00:00:00Z',
    '/admin/api/requests?since=9999-12-31T23:59:59Z',
  ])('%s is clamped and answers 200', async (path) => {
    expect((await admin(path)).status).toBe(200);
  });
});
