/**
 * Portal on a three-node Redis Cluster, unchanged: two instances configured with `redis.cluster` share one
 * store. A key's limit holds exactly across both, a revoked key is refused by the other instance within a
 * second (the bus over cluster pub/sub), prepaid credits admit exactly what the balance covers, and the
 * password-attempt guard counts across both — every one of them a script or command on one hash tag's slot.
 * The keys are read back from the cluster, so a silent fallback to per-instance memory would fail here.
 */
import { expect, it } from 'vitest';
import { defaultModels } from '#src/platform/config/defaults.js';
import { useRedisCluster } from '#test/support/redis-cluster.js';
import { describeWith } from '#test/support/services.js';
import { usePortal } from '#test/support/harness.js';
import { chatBody } from '#test/support/http.js';
import { createAccount, createKey } from '#test/support/fixtures.js';

// Credits: 1 micro-unit per output token, input free, so a request's maximum cost is its max_tokens.
const models = defaultModels.map((m) => ({ ...m, inputPricePerMTok: 0, outputPricePerMTok: 1_000_000 }));

describeWith(['redis-cluster'], 'two instances on a three-node Redis Cluster', () => {
  const cluster = useRedisCluster();
  const options = () => ({
    sim: { ttftMs: 0, outputTokens: 4 },
    config: { redis: { cluster: cluster.urls }, gateway: { keyCacheTtlMs: 600_000 }, models },
  });
  const a = usePortal(options);
  const b = usePortal(() => ({ ...options(), store: a.store }));
  const chat = (i: number, key: string) =>
    (i % 2 ? b : a).as(key).post('/v1/chat/completions', chatBody({ max_tokens: 8 }));

  /** Keys matching `pattern` on every master, with the node each is on. */
  async function clusterKeys(pattern: string) {
    const found: Array<{ node: string; key: string }> = [];
    for (const node of (await cluster.client()).nodes('master')) {
      const keys = await node.keys(pattern);
      found.push(...keys.map((key) => ({ node: `${node.options.port}`, key })));
    }
    return found;
  }

  /** Decisions each instance took per backend; `local` means it fell back to per-instance limits. */
  async function decisions() {
    const lines = await Promise.all([a, b].map(async (t) => (await t.admin.get('/metrics')).text()));
    return lines
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('portal_limiter_decisions_total'));
  }

  it('8 concurrent requests over both instances against a limit of 5: exactly 5 pass, counted on one slot', async () => {
    const { key, orgId } = await createAccount(a.store, { key: { requestsPerMinute: 5 } });
    // Another key of the organization opens both instances' connections to the node owning its slot first:
    // on a loaded machine a first connection can outlast the limiter's 300 ms, and the decision then falls
    // back to per-instance limits (by design, redis.onFailure: local) — which is not what this case checks.
    const warm = await createKey(a.store, orgId);
    await Promise.all([chat(0, warm.key), chat(1, warm.key)]);
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => chat(i, key).then((r) => r.status)),
    );
    expect(await decisions()).not.toContainEqual(expect.stringContaining('backend="local"'));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    const counters = await clusterKeys(`rl:{${orgId}}:*`);
    expect(counters.length).toBeGreaterThanOrEqual(2); // the key's and the organization's windows
    expect(new Set(counters.map((c) => c.node)).size).toBe(1);
  });

  it('a key revoked on instance A is refused by instance B within one second', async () => {
    const user = await a.signUp();
    const { id, key } = await (await user.post('/api/keys', { name: 'cluster fan-out' })).json();
    const chatOnB = () => b.as(key).post('/v1/chat/completions', chatBody());
    expect((await chatOnB()).status).toBe(200);
    expect((await user.delete(`/api/keys/${id}`)).status).toBe(200);
    await expect.poll(async () => (await chatOnB()).status, { timeout: 1_000, interval: 50 }).toBe(401);
  });

  it('prepaid credits covering 3 requests admit exactly 3 of 7 sent at once over both instances', async () => {
    const account = await createAccount(a.store, { plan: 'credits' });
    const grant = await a.admin.post(`/admin/api/orgs/${account.orgId}/ledger`, {
      kind: 'grant',
      amount_micros: 3 * 8,
      description: 'test credit',
    });
    expect(grant.status).toBe(201);
    // Every answer is held for 3 s, so all 7 reservations are open at once (none settles before another
    // reserves: a settled call releases its reservation and debits only its actual cost).
    for (const t of [a, b]) t.sim.configure({ ttftMs: 3_000 });
    const statuses = await Promise.all(
      Array.from({ length: 7 }, (_, i) => chat(i, account.key).then((r) => r.status)),
    );
    for (const t of [a, b]) t.sim.configure({ ttftMs: 0 });
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(await clusterKeys(`credits:{${account.orgId}}`)).toHaveLength(1);
  });

  it('16 wrong passwords at once over both instances: at most 5 are checked, counted on the cluster', async () => {
    const user = await a.signUp();
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 ? b : a).anon
          .post('/api/auth/sign-in/email', { email: user.email, password: 'not the password 123' })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401 || s === 429)).toHaveLength(16);
    expect((await clusterKeys('portal:auth:*')).length).toBeGreaterThan(0);
  });
});
