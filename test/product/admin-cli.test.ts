/**
 * Operator parity: `portal users create` and `portal keys create|list|revoke` against a real running server
 * (admin API over HTTP, never the data dir), plus the admin endpoints they use: key disable / enable and
 * organization disable / enable, each announced on the bus and audited.
 */
import { beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '#src/cli/main.js';
import type { BusMessage } from '#src/platform/bus/types.js';
import { ADMIN_TOKEN, usePortal } from '../support/harness.js';
import { chatBody, errorOf, sessionCookie } from '../support/http.js';

const OPS_USER = ['users', 'create', '--email', 'ops@example.com', '--password', 'operator-pass-1'];

describe('CLI and admin API for users and keys', () => {
  const portal = usePortal();
  const published: BusMessage[] = [];
  const saved = { url: process.env.PORTAL_URL, token: process.env.PORTAL_ADMIN_TOKEN };

  beforeAll(() => {
    portal.services.bus.subscribe((m) => published.push(m));
    process.env.PORTAL_URL = portal.url;
    process.env.PORTAL_ADMIN_TOKEN = ADMIN_TOKEN;
  });
  afterAll(() => {
    process.env.PORTAL_URL = saved.url;
    process.env.PORTAL_ADMIN_TOKEN = saved.token;
    if (saved.url === undefined) delete process.env.PORTAL_URL;
    if (saved.token === undefined) delete process.env.PORTAL_ADMIN_TOKEN;
  });

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    try {
      const code = await main(argv);
      return { code, out: out.join('\n'), err: err.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  const admin = () => portal.admin.under('/admin/api');
  const chat = (key: string) => portal.as(key).post('/v1/chat/completions', chatBody());
  /** An admin-created key of the operator's (so the gateway cases do not depend on the CLI cases). */
  const adminKey = async (name: string) =>
    (await admin().post('/keys', { email: 'ops@example.com', name })).json<{
      id: string;
      key: string;
      org_id: string;
    }>();

  it('users create makes a user who can sign in with that password', async () => {
    const res = await cli(...OPS_USER, '--admin');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/created admin user ops@example.com/);
    const signIn = await portal.anon.post('/api/auth/sign-in/email', {
      email: 'ops@example.com',
      password: 'operator-pass-1',
    });
    expect(signIn.status).toBe(200);
    // --admin makes a person an admin: their dashboard session opens the admin API.
    const session = portal.withCookie(sessionCookie(signIn));
    expect((await session.get('/admin/api/pools')).status).toBe(200);
    const created = await portal.admin.get('/admin/api/audit?action=user.created&limit=1');
    const [entry] = ((await created.json()) as { data: Array<{ actor: { kind: string } }> }).data;
    expect(entry?.actor).toEqual({ kind: 'cli', id: null, email: null });
    const dup = await cli(...OPS_USER);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/exists/);
  });

  it('keys create --json prints the key once; list never shows it; revoke stops it at the gateway', async () => {
    const created = await cli(
      'keys',
      'create',
      '--email',
      'ops@example.com',
      '--name',
      'cli key',
      '--rpm=30',
      '--json',
    );
    expect(created.code).toBe(0);
    const key = JSON.parse(created.out) as {
      id: string;
      key: string;
      limits: { requests_per_minute: number };
    };
    expect(key.key).toMatch(/^ptl_/);
    expect(key.limits.requests_per_minute).toBe(30);
    expect((await chat(key.key)).status).toBe(200);

    const list = await cli('keys', 'list', '--email', 'ops@example.com', '--json');
    expect(list.out).toContain(key.id);
    expect(list.out).not.toContain(key.key);
    const table = await cli('keys', 'list', '--email', 'ops@example.com');
    expect(table.out).toMatch(new RegExp(`${key.id}\\s+ptl_\\w+…\\w{4}\\s+active`));

    const revoked = await cli('keys', 'revoke', key.id);
    expect(revoked.out).toBe(`key ${key.id} is revoked`);
    expect(await errorOf(await chat(key.key))).toMatchObject({ status: 401, code: 'key_revoked' });
    const audit = await portal.store.query<{ actor_kind: string; action: string }>(
      'select actor_kind, action from audit_log where target_id = $1 order by action',
      [key.id],
    );
    expect(audit).toEqual([
      { actor_kind: 'cli', action: 'key.created' },
      { actor_kind: 'cli', action: 'key.revoked' },
    ]);
  });

  it('keys create without a running server says so in one line', async () => {
    process.env.PORTAL_URL = 'http://127.0.0.1:1';
    try {
      const res = await cli('keys', 'list', '--email', 'ops@example.com');
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/cannot reach Portal at http:\/\/127.0.0.1:1/);
    } finally {
      process.env.PORTAL_URL = portal.url;
    }
  });

  it('disabling a key refuses it at the gateway (403 key_disabled); enabling restores it', async () => {
    const key = await adminKey('toggle');
    expect((await admin().post(`/keys/${key.id}/disable`)).status).toBe(200);
    expect(published).toContainEqual(expect.objectContaining({ type: 'key.changed', keyId: key.id }));
    expect((await chat(key.key)).status).toBe(403);
    expect((await admin().post(`/keys/${key.id}/enable`)).status).toBe(200);
    expect((await chat(key.key)).status).toBe(200);
  });

  it('disabling an organization refuses its keys (403 account_disabled) and announces org.changed', async () => {
    const key = await adminKey('org toggle');
    const off = await admin().post(`/orgs/${key.org_id}/disable`, { reason: 'abuse report' });
    expect((await off.json<{ status: string }>()).status).toBe('disabled');
    expect(published).toContainEqual({ type: 'org.changed', orgId: key.org_id });
    expect(await errorOf(await chat(key.key))).toMatchObject({ status: 403, code: 'account_disabled' });
    await admin().post(`/orgs/${key.org_id}/enable`);
    expect((await chat(key.key)).status).toBe(200);
  });

  it('the admin endpoints need the admin token: 404 without one, 401 with a wrong one', async () => {
    const res = await portal.anon.get('/admin/api/keys?email=ops@example.com');
    expect(res.status).toBe(404);
    const wrong = portal.anon.with({ authorization: 'Bearer wrong-admin-token-0123456789abcdef' });
    expect((await wrong.get('/admin/api/keys?email=ops@example.com')).status).toBe(401);
  });
});
