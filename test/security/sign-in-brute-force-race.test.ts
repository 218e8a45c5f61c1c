/**
 * Attack: fire many wrong passwords for one account at once, so they all reach the password check before
 * any failure is counted (and, with several instances, spread them so no instance sees enough). The limit
 * is 5 failures per email and client address; only that many may reach the check, whatever the timing.
 * The current-password check of change-password is guarded the same way.
 */
import { describe, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { usePortal, type TestPortal } from '../support/harness.js';

const WRONG = 'not the password 123';

/** Fires 16 requests at once and counts the answers by status. */
async function sixteenAtOnce(send: (i: number) => Promise<Response>) {
  const statuses = await Promise.all(Array.from({ length: 16 }, (_, i) => send(i).then((r) => r.status)));
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

const signIn = (t: TestPortal, email: string) =>
  t.anon.post('/api/auth/sign-in/email', { email, password: WRONG });

describe('concurrent wrong passwords on one instance', () => {
  const t = usePortal();

  it('16 at once for one email: at most 5 reach the password check (401), the rest 429', async () => {
    const user = await t.signUp();
    const counts = await sixteenAtOnce(() => signIn(t, user.email));
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(16);
  });

  it('16 wrong current passwords at once on change-password: at most 5 are checked, the rest 429', async () => {
    const user = await t.signUp();
    const counts = await sixteenAtOnce(() =>
      user.post('/api/auth/change-password', {
        currentPassword: WRONG,
        newPassword: 'a new strong passphrase 9',
      }),
    );
    expect(counts[400] ?? 0).toBeLessThanOrEqual(5);
    expect((counts[400] ?? 0) + (counts[429] ?? 0)).toBe(16);
  });
});

describeWith(['redis'], 'concurrent wrong passwords spread over two instances on one Redis', () => {
  const a = usePortal({ redis: true });
  const b = usePortal(() => ({ redis: true, store: a.store }));

  it('16 at once, 8 per instance: at most 5 reach the password check in total', async () => {
    const email = `spread-${Date.now()}@example.com`;
    await a.signUp({ email });
    const counts = await sixteenAtOnce((i) => signIn(i % 2 ? a : b, email));
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(16);
  });
});
