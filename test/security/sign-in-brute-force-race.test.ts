/**
 * Attack: fire many wrong passwords for one account at once, so they all reach the password check before
 * any failure is counted (and, with several instances, spread them so no instance sees enough). The limit
 * is 5 failures per email and client address; only that many may reach the check, whatever the timing.
 * The current-password check of change-password is guarded the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { describeWith } from '../support/services.js';
import { createTestPortal, type TestPortal } from '../product/harness.js';

const WRONG = 'not the password 123';

function tally(statuses: number[]) {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

function signIn(portal: TestPortal, email: string) {
  return portal
    .req('/api/auth/sign-in/email', { method: 'POST', json: { email, password: WRONG } })
    .then((r) => r.status);
}

describe('concurrent wrong passwords on one instance', () => {
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

  it('16 at once for one email: at most 5 reach the password check (401), the rest 429', async () => {
    const user = await portal.signUp();
    const statuses = await Promise.all(Array.from({ length: 16 }, () => signIn(portal, user.email)));
    const counts = tally(statuses);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(16);
  });

  it('16 wrong current passwords at once on change-password: at most 5 are checked, the rest 429', async () => {
    const user = await portal.signUp();
    const statuses = await Promise.all(
      Array.from({ length: 16 }, () =>
        user
          .req('/api/auth/change-password', {
            method: 'POST',
            json: { currentPassword: WRONG, newPassword: 'a new strong passphrase 9' },
          })
          .then((r) => r.status),
      ),
    );
    const counts = tally(statuses);
    expect(counts[400] ?? 0).toBeLessThanOrEqual(5);
    expect((counts[400] ?? 0) + (counts[429] ?? 0)).toBe(16);
  });
});

describeWith(['redis'], 'concurrent wrong passwords spread over two instances on one Redis', () => {
  let store: Store;
  let a: TestPortal;
  let b: TestPortal;
  beforeAll(async () => {
    store = await openTestStore();
    const redis = { url: process.env.REDIS_URL };
    a = await createTestPortal(store, { redis });
    b = await createTestPortal(store, { redis });
  });
  afterAll(async () => {
    a.close();
    b.close();
    await store.close();
  });

  it('16 at once, 8 per instance: at most 5 reach the password check in total', async () => {
    const email = `spread-${Date.now()}@example.com`;
    await a.signUp(email);
    const statuses = await Promise.all(Array.from({ length: 16 }, (_, i) => signIn(i % 2 ? a : b, email)));
    const counts = tally(statuses);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(16);
  });
});
