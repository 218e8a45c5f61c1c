/**
 * Revocation reaches every instance: two Portal instances share one store and Redis (the production
 * scale-out shape). Instance B has the key cached from a successful call; revoking it through instance A's
 * dashboard API makes B refuse it within a second — long before B's key cache would expire on its own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { migrate } from '../../src/platform/store/migrate.js';
import { describeWith } from '../support/services.js';
import { createTestPortal, type TestPortal } from './harness.js';

describeWith(['redis'], 'key revocation across instances (Redis bus)', () => {
  let store: Store;
  let a: TestPortal;
  let b: TestPortal;
  beforeAll(async () => {
    store = await openTestStore();
    await migrate(store);
    const overrides = { redis: { url: process.env.REDIS_URL }, gateway: { keyCacheTtlMs: 600_000 } };
    a = await createTestPortal(store, overrides);
    b = await createTestPortal(store, overrides);
  });
  afterAll(async () => {
    a.close();
    b.close();
    await new Promise((r) => setTimeout(r, 200)); // let both instances close their Redis connections
    await store.close();
  });

  it('a key revoked on instance A is refused by instance B within one second', async () => {
    const user = await a.signUp();
    const created = await user.req('/api/keys', { method: 'POST', json: { name: 'fan-out' } });
    const { id, key } = (await created.json()) as { id: string; key: string };
    const chatOnB = () =>
      b.req('/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        json: { model: 'oss-20b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 },
      });
    expect((await chatOnB()).status).toBe(200);
    expect((await user.req(`/api/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    const deadline = Date.now() + 1_000;
    let status: number;
    do {
      status = (await chatOnB()).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);
    expect(status).toBe(401);
  });
});
