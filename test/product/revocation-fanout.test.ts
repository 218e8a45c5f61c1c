/**
 * Revocation reaches every instance: two Portal instances share one store and Redis (the production
 * scale-out shape). Instance B has the key cached from a successful call; revoking it through instance A's
 * dashboard API makes B refuse it within a second — long before B's key cache would expire on its own.
 */
import { expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { usePortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';

describeWith(['redis'], 'key revocation across instances (Redis bus)', () => {
  const options = { redis: true, config: { gateway: { keyCacheTtlMs: 600_000 } } };
  const a = usePortal(options);
  const b = usePortal(() => ({ ...options, store: a.store }));

  it('a key revoked on instance A is refused by instance B within one second', async () => {
    const user = await a.signUp();
    const { id, key } = await (await user.post('/api/keys', { name: 'fan-out' })).json();
    const chatOnB = () => b.as(key).post('/v1/chat/completions', chatBody());
    expect((await chatOnB()).status).toBe(200);
    expect((await user.delete(`/api/keys/${id}`)).status).toBe(200);
    // Revocation travels over Redis pub/sub: B must refuse the key well before its 10-minute cache expires.
    await expect.poll(async () => (await chatOnB()).status, { timeout: 1_000, interval: 50 }).toBe(401);
  });
});
