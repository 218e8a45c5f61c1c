/**
 * Issue 15's "must show", on two Portals sharing one PostgreSQL database and Redis: an admin signed in through
 * the dashboard (made admin by `admin.emails`, not the token) disables a key, an organization and a model,
 * drains the pool and adds a router, all through instance A; instance B refuses with the distinct codes (or
 * serves through the new router) within a second, measured by polling; re-enabling restores service; and each
 * action has exactly one audit entry naming the admin, with before and after.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { ADMIN_TOKEN, usePortal, type Session } from '../support/harness.js';
import { chatBody, errorOf } from '../support/http.js';
import { startSimulator, type RunningSimulator } from '#src/inference/simulator/server.js';
import type { AuditPage, PoolView } from '#src/contracts/admin-responses.js';

const ADMIN_EMAIL = 'ops-two@example.com';

describeWith(['postgres', 'redis'], 'the operations console across two instances', () => {
  let db: TestDatabase;
  let extraSim: RunningSimulator;
  beforeAll(async () => {
    db = await createTestDatabase();
    extraSim = await startSimulator({ host: '127.0.0.1', port: 0, options: { apiKey: 'sim-key-for-tests' } });
  });
  afterAll(async () => {
    await extraSim?.close();
    await db?.drop();
  });
  // The address in the config differs in case from the one signed up with: compared case-insensitively.
  const options = () => ({
    databaseUrl: db.url,
    redis: true,
    config: { admin: { token: ADMIN_TOKEN, emails: [ADMIN_EMAIL.toUpperCase()] } },
  });
  const a = usePortal(options);
  const b = usePortal(options);
  let admin: Session;
  let adminId: string;

  beforeAll(async () => {
    admin = await a.signUp({ email: ADMIN_EMAIL });
    const account = (await (await admin.get('/api/account')).json()) as {
      user: { id: string };
      is_admin: boolean;
    };
    expect(account.is_admin).toBe(true);
    adminId = account.user.id;
  });

  /** Polls B until `done(status, code)` holds; returns the milliseconds it took (Infinity after 5 s). */
  async function onB(
    key: string,
    done: (status: number, code: string | undefined) => boolean,
    model?: string,
  ) {
    const start = performance.now();
    for (;;) {
      const res = await b.as(key).post('/v1/chat/completions', chatBody(model ? { model } : {}));
      const code = res.status === 200 ? (await res.arrayBuffer(), undefined) : (await errorOf(res)).code;
      if (done(res.status, code)) return performance.now() - start;
      if (performance.now() - start > 5_000) return Infinity;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const servesOnB = (key: string, model?: string) => onB(key, (s) => s === 200, model);
  const refusedOnB = (key: string, want: string, model?: string) => onB(key, (_, c) => c === want, model);

  /** The admin's audit entries for one target, newest first. */
  async function auditOf(targetId: string) {
    const res = await admin.get(`/admin/api/audit?actor_id=${adminId}&target_id=${targetId}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as AuditPage).data;
  }

  it('disabling a key through A is refused on B within 1 s; enabling restores it', async () => {
    const { key, keyId } = await a.account();
    expect(await servesOnB(key)).toBeLessThan(1_000); // cached on B
    const off = await admin.post(`/admin/api/keys/${keyId}/disable`, { reason: 'leaked in a gist' });
    expect(off.status).toBe(200);
    expect(await refusedOnB(key, 'key_disabled')).toBeLessThan(1_000);
    expect((await admin.post(`/admin/api/keys/${keyId}/enable`, { reason: 'rotated' })).status).toBe(200);
    expect(await servesOnB(key)).toBeLessThan(1_000);
    const entries = await auditOf(keyId);
    expect(entries.map((e) => e.action)).toEqual(['key.enabled', 'key.disabled']);
    expect(entries[1]).toMatchObject({
      actor: { kind: 'user', id: adminId, email: ADMIN_EMAIL },
      reason: 'leaked in a gist',
      before: { status: 'active' },
      after: { status: 'disabled' },
    });
  });

  it('disabling an organization through A is refused on B within 1 s; enabling restores it', async () => {
    const { key, orgId } = await a.account();
    expect(await servesOnB(key)).toBeLessThan(1_000);
    expect((await admin.post(`/admin/api/orgs/${orgId}/disable`, { reason: 'abuse' })).status).toBe(200);
    expect(await refusedOnB(key, 'account_disabled')).toBeLessThan(1_000);
    expect((await admin.post(`/admin/api/orgs/${orgId}/enable`, {})).status).toBe(200);
    expect(await servesOnB(key)).toBeLessThan(1_000);
    const entries = await auditOf(orgId);
    expect(entries.map((e) => e.action)).toEqual(['org.enabled', 'org.disabled']);
    expect(entries[1]).toMatchObject({
      actor: { kind: 'user', id: adminId },
      reason: 'abuse',
      before: { status: 'active' },
      after: { status: 'disabled', disabled_reason: 'abuse' },
    });
  });

  it('disabling a model through A is refused on B within 1 s; enabling restores it', async () => {
    const { key } = await a.account();
    expect(await servesOnB(key, 'qwen')).toBeLessThan(1_000);
    expect((await admin.post('/admin/api/models/qwen/disable', { reason: 'bad weights' })).status).toBe(200);
    expect(await refusedOnB(key, 'model_disabled', 'qwen')).toBeLessThan(1_000);
    expect((await admin.post('/admin/api/models/qwen/enable')).status).toBe(200);
    expect(await servesOnB(key, 'qwen')).toBeLessThan(1_000);
    const entries = await auditOf('qwen');
    expect(entries.map((e) => e.action)).toEqual(['model.enable', 'model.disable']);
    expect(entries[1]).toMatchObject({ before: { status: 'enabled' }, after: { status: 'disabled' } });
  });

  it('draining the pool through A sends B into maintenance within 1 s; activating restores it', async () => {
    const { key } = await a.account();
    const drain = await admin.post('/admin/api/pools/test-pool/state', {
      state: 'draining',
      reason: 'upgrade',
    });
    expect(drain.status).toBe(200);
    expect(await refusedOnB(key, 'upstream_unavailable')).toBeLessThan(1_000);
    expect((await admin.post('/admin/api/pools/test-pool/state', { state: 'active' })).status).toBe(200);
    expect(await servesOnB(key)).toBeLessThan(1_000);
    const entries = await auditOf('test-pool');
    expect(entries.map((e) => e.after)).toEqual([{ state: 'active' }, { state: 'draining' }]);
    expect(entries[1]).toMatchObject({ before: { state: 'active' }, reason: 'upgrade' });
  });

  it('a router added through A serves traffic on B within 1 s; removing it hands back to the config router', async () => {
    const { key } = await a.account();
    // The config router is disabled first: B has no router left, so only the new one can serve.
    const off = await admin.post('/admin/api/routers/test-pool-r1/state', { state: 'disabled' });
    expect(off.status).toBe(200);
    expect(await refusedOnB(key, 'upstream_unavailable')).toBeLessThan(1_000);
    const before = extraSim.stats().completions;
    const added = await admin.post('/admin/api/pools/test-pool/routers', {
      id: 'added-r2',
      url: extraSim.url,
      secret_ref: 'PORTAL_TEST_SIM_KEY',
      sessions: [7],
      reason: 'more capacity',
    });
    expect(added.status).toBe(201);
    expect(((await added.json()) as PoolView).routers.map((r) => r.id)).toContain('added-r2');
    expect(await servesOnB(key)).toBeLessThan(1_000);
    expect(extraSim.stats().completions).toBeGreaterThan(before);
    const onB = ((await (await b.admin.get('/admin/api/pools/test-pool')).json()) as PoolView).routers;
    expect(onB.find((r) => r.id === 'added-r2')).toMatchObject({
      source: 'admin',
      authSecretRef: 'PORTAL_TEST_SIM_KEY',
    });

    expect((await admin.delete('/admin/api/routers/added-r2')).status).toBe(200);
    expect(await refusedOnB(key, 'upstream_unavailable')).toBeLessThan(1_000);
    expect((await admin.post('/admin/api/routers/test-pool-r1/state', { state: 'active' })).status).toBe(200);
    expect(await servesOnB(key)).toBeLessThan(1_000);
    const entries = await auditOf('added-r2');
    expect(entries.map((e) => e.action)).toEqual(['router.removed', 'router.added']);
    expect(entries[1]).toMatchObject({
      actor: { kind: 'user', id: adminId },
      reason: 'more capacity',
      before: null,
      after: { url: extraSim.url, secret_ref: 'PORTAL_TEST_SIM_KEY', sessions: [7], pool_id: 'test-pool' },
    });
    expect(entries[0]).toMatchObject({ before: { url: extraSim.url }, after: null });
  });
});
