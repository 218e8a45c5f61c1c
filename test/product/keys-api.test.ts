/**
 * The keys API and the account boundary, in-process against a real store (PGlite, and PostgreSQL when
 * DATABASE_URL is set): create / list / read / rename / revoke, the per-plan cap, tenant isolation, what the
 * store keeps, bus announcements and the audit trail, and revocation reaching the /v1 gateway.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/platform/bus/types.js';
import { storeTargets } from '../support/store.js';
import { createTestPortal, type Client, type TestPortal } from './harness.js';

interface KeyJson {
  id: string;
  key?: string;
  name: string;
  status: string;
  redacted: string;
  models: string[] | null;
  limits: { requests_per_minute: number | null };
}

for (const target of storeTargets()) {
  describe(`keys API on ${target.name}`, () => {
    let portal: TestPortal;
    let close: () => Promise<void>;
    let alice: Client;
    let bob: Client;
    const published: BusMessage[] = [];

    beforeAll(async () => {
      const opened = await target.open();
      close = opened.close;
      portal = await createTestPortal(opened.store);
      portal.services.bus.subscribe((m) => published.push(m));
      alice = await portal.signUp();
      bob = await portal.signUp();
    });
    afterAll(async () => {
      portal.close();
      await close();
    });

    const create = async (client: Client, body: Record<string, unknown>) => {
      const res = await client.req('/api/keys', { method: 'POST', json: body });
      return {
        res,
        json: (await res.json()) as KeyJson & { error?: { code: string; message: string; param: string } },
      };
    };

    it('sign-up creates a personal organization, owner membership and an active default-plan subscription', async () => {
      const res = await alice.req('/api/account');
      expect(res.status).toBe(200);
      const account = (await res.json()) as {
        organization: { id: string };
        role: string;
        plan: { id: string };
      };
      expect(account.role).toBe('owner');
      expect(account.plan.id).toBe('free');
      const subs = await portal.services.store.query<{ plan_id: string; status: string }>(
        'select plan_id, status from plan_subscriptions where org_id = $1',
        [account.organization.id],
      );
      expect(subs).toEqual([{ plan_id: 'free', status: 'active' }]);
      const audit = await portal.services.store.query<{ action: string }>(
        'select action from audit_log where org_id = $1',
        [account.organization.id],
      );
      expect(audit).toEqual([{ action: 'user.signed_up' }]);
    });

    it('201 with the full key once; the list shows display parts only', async () => {
      const { res, json } = await create(alice, {
        name: 'ci',
        models: ['oss-20b'],
        limits: { requests_per_minute: 10 },
      });
      expect(res.status).toBe(201);
      expect(json.key).toMatch(/^ptl_[0-9A-Za-z]{36}$/);
      expect(json).toMatchObject({ name: 'ci', status: 'active', models: ['oss-20b'] });
      expect(json.limits.requests_per_minute).toBe(10);
      const list = await (await alice.req('/api/keys')).text();
      expect(list).toContain(json.id);
      expect(list).not.toContain(json.key!);
      expect(list).toContain(json.key!.slice(-4));
      const one = await (await alice.req(`/api/keys/${json.id}`)).text();
      expect(one).not.toContain(json.key!);
    });

    it('the store holds no usable key: only the SHA-256 hash and display parts', async () => {
      const { json } = await create(alice, { name: 'secret-check' });
      const rows = await portal.services.store.query<Record<string, unknown>>(
        'select * from api_keys where id = $1',
        [json.id],
      );
      const stored = JSON.stringify(rows);
      expect(stored).not.toContain(json.key!);
      expect(stored).not.toContain(json.key!.slice(4, 30)); // no part of the random body beyond the prefix
      expect(rows[0]?.key_hash).toBe(createHash('sha256').update(json.key!).digest('hex'));
      expect(rows[0]?.display_prefix).toBe(json.key!.slice(0, 10));
      expect(rows[0]?.last_four).toBe(json.key!.slice(-4));
    });

    it("another organization's key is 404 on read, rename and revoke, and absent from its list", async () => {
      const { json } = await create(alice, { name: 'alice-only' });
      expect((await bob.req(`/api/keys/${json.id}`)).status).toBe(404);
      const rename = await bob.req(`/api/keys/${json.id}`, { method: 'PATCH', json: { name: 'mine now' } });
      expect(rename.status).toBe(404);
      const revoke = await bob.req(`/api/keys/${json.id}`, { method: 'DELETE' });
      expect(revoke.status).toBe(404);
      expect(await (await bob.req('/api/keys')).text()).not.toContain(json.id);
      const still = (await (await alice.req(`/api/keys/${json.id}`)).json()) as KeyJson;
      expect(still).toMatchObject({ name: 'alice-only', status: 'active' });
    });

    it("another organization's usage is not visible: its key id answers 404", async () => {
      const { json } = await create(alice, { name: 'usage-probe' });
      expect((await alice.req(`/api/usage?key=${json.id}`)).status).toBe(200);
      const res = await bob.req(`/api/usage?key=${json.id}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      const own = (await (await bob.req('/api/usage')).json()) as {
        totals: { requests: number };
        by_key: unknown[];
      };
      expect(own.totals.requests).toBe(0);
      expect(own.by_key).toEqual([]);
    });

    it('rename and revoke announce key.changed with the hash and write the audit log', async () => {
      const { json } = await create(alice, { name: 'to-revoke' });
      const hash = createHash('sha256').update(json.key!).digest('hex');
      const renamed = await alice.req(`/api/keys/${json.id}`, { method: 'PATCH', json: { name: 'renamed' } });
      expect(((await renamed.json()) as KeyJson).name).toBe('renamed');
      const revoked = await alice.req(`/api/keys/${json.id}`, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      expect(((await revoked.json()) as KeyJson).status).toBe('revoked');
      const changes = published.filter((m) => m.type === 'key.changed' && m.keyId === json.id);
      expect(changes).toHaveLength(2);
      expect(changes.every((m) => m.type === 'key.changed' && m.keyHash === hash)).toBe(true);
      const audit = await portal.services.store.query<{ action: string; actor_kind: string }>(
        'select action, actor_kind from audit_log where target_id = $1 order by occurred_at, action',
        [json.id],
      );
      expect(audit.map((a) => a.action).sort()).toEqual(['key.created', 'key.revoked', 'key.updated']);
      expect(audit.every((a) => a.actor_kind === 'user')).toBe(true);
      const listed = (await (await alice.req('/api/keys')).json()) as { data: KeyJson[] };
      expect(listed.data.find((k) => k.id === json.id)?.status).toBe('revoked');
    });

    it('409 key_limit_reached at the plan cap of active keys; revoking one frees a slot', async () => {
      const carol = await portal.signUp();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await create(carol, { name: `k${i}` })).json.id);
      const over = await create(carol, { name: 'one too many' });
      expect(over.res.status).toBe(409);
      expect(over.json.error?.code).toBe('key_limit_reached');
      await carol.req(`/api/keys/${ids[0]}`, { method: 'DELETE' });
      expect((await create(carol, { name: 'after revoke' })).res.status).toBe(201);
    });

    it('a revoked key is refused by the /v1 gateway with 401 key_revoked', async () => {
      const { json } = await create(alice, { name: 'gateway' });
      const chat = () =>
        portal.req('/v1/chat/completions', {
          method: 'POST',
          headers: { authorization: `Bearer ${json.key}` },
          json: { model: 'oss-20b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 },
        });
      expect((await chat()).status).toBe(200);
      await alice.req(`/api/keys/${json.id}`, { method: 'DELETE' });
      const refused = await chat();
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('key_revoked');
    });
  });
}
