/**
 * The keys API and the account boundary, in-process against a real store (PGlite, and PostgreSQL when
 * DATABASE_URL is set): create / list / read / rename / revoke, the per-plan cap, tenant isolation, what the
 * store keeps, bus announcements and the audit trail, and revocation reaching the /v1 gateway.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '#src/platform/bus/types.js';
import { storeVariants, usePortal, type Session } from '../support/harness.js';
import { chatBody, errorOf } from '../support/http.js';

interface KeyJson {
  id: string;
  key?: string;
  name: string;
  status: string;
  redacted: string;
  models: string[] | null;
  limits: { requests_per_minute: number | null };
}

for (const variant of storeVariants()) {
  describe(`keys API on ${variant.name}`, () => {
    const portal = usePortal(variant.options);
    let alice: Session;
    let bob: Session;
    const published: BusMessage[] = [];

    beforeAll(async () => {
      portal.services.bus.subscribe((m) => published.push(m));
      alice = await portal.signUp();
      bob = await portal.signUp();
    });

    const create = async (client: Session, body: Record<string, unknown>) => {
      const res = await client.post('/api/keys', body);
      return {
        res,
        json: (await res.json()) as KeyJson & { error?: { code: string; message: string; param: string } },
      };
    };

    it('sign-up creates a personal organization, owner membership and an active default-plan subscription', async () => {
      const res = await alice.get('/api/account');
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
      const list = await (await alice.get('/api/keys')).text();
      expect(list).toContain(json.id);
      expect(list).not.toContain(json.key!);
      expect(list).toContain(json.key!.slice(-4));
      const one = await (await alice.get(`/api/keys/${json.id}`)).text();
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
      expect((await bob.get(`/api/keys/${json.id}`)).status).toBe(404);
      const rename = await bob.patch(`/api/keys/${json.id}`, { name: 'mine now' });
      expect(rename.status).toBe(404);
      const revoke = await bob.delete(`/api/keys/${json.id}`);
      expect(revoke.status).toBe(404);
      expect(await (await bob.get('/api/keys')).text()).not.toContain(json.id);
      const still = (await (await alice.get(`/api/keys/${json.id}`)).json()) as KeyJson;
      expect(still).toMatchObject({ name: 'alice-only', status: 'active' });
    });

    it("another organization's usage is not visible: its key id answers 404", async () => {
      const { json } = await create(alice, { name: 'usage-probe' });
      expect((await alice.get(`/api/usage?key=${json.id}`)).status).toBe(200);
      expect(await errorOf(await bob.get(`/api/usage?key=${json.id}`))).toMatchObject({
        status: 404,
        code: 'not_found',
      });
      const own = (await (await bob.get('/api/usage')).json()) as {
        totals: { requests: number };
        by_key: unknown[];
      };
      expect(own.totals.requests).toBe(0);
      expect(own.by_key).toEqual([]);
    });

    it('rename and revoke announce key.changed with the hash and write the audit log', async () => {
      const { json } = await create(alice, { name: 'to-revoke' });
      const hash = createHash('sha256').update(json.key!).digest('hex');
      const renamed = await alice.patch(`/api/keys/${json.id}`, { name: 'renamed' });
      expect(((await renamed.json()) as KeyJson).name).toBe('renamed');
      const revoked = await alice.delete(`/api/keys/${json.id}`);
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
      const listed = (await (await alice.get('/api/keys')).json()) as { data: KeyJson[] };
      expect(listed.data.find((k) => k.id === json.id)?.status).toBe('revoked');
    });

    it('409 key_limit_reached at the plan cap of active keys; revoking one frees a slot', async () => {
      const carol = await portal.signUp();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await create(carol, { name: `k${i}` })).json.id);
      const over = await create(carol, { name: 'one too many' });
      expect(over.res.status).toBe(409);
      expect(over.json.error?.code).toBe('key_limit_reached');
      await carol.delete(`/api/keys/${ids[0]}`);
      expect((await create(carol, { name: 'after revoke' })).res.status).toBe(201);
    });

    it('a revoked key is refused by the /v1 gateway with 401 key_revoked', async () => {
      const { json } = await create(alice, { name: 'gateway' });
      const chat = () => portal.as(json.key!).post('/v1/chat/completions', chatBody());
      expect((await chat()).status).toBe(200);
      await alice.delete(`/api/keys/${json.id}`);
      expect(await errorOf(await chat())).toMatchObject({ status: 401, code: 'key_revoked' });
    });
  });
}
