/**
 * `portal admin …` is the admin API from a terminal: the real `bin/portal` (built dist/) against a running
 * Portal prints aligned tables by default and the API's own JSON with --json, passes --reason through to the
 * audit trail, and turns an API error into its message on stderr with a non-zero exit.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, usePortal } from '#test/support/harness.js';
import { chatBody } from '#test/support/http.js';

const BIN = fileURLToPath(new URL('../../bin/portal', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe('portal admin', { timeout: 180_000 }, () => {
  const t = usePortal();

  function cli(...args: string[]): Promise<Ran> {
    const env = { ...process.env, PORTAL_URL: t.url, PORTAL_ADMIN_TOKEN: ADMIN_TOKEN };
    return new Promise((resolve) => {
      execFile(process.execPath, [BIN, 'admin', ...args], { env }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** The heading row and the row starting with `first`, split on the table's column gaps. */
  function rowOf(stdout: string, first: string): string[] {
    const line = stdout.split('\n').find((l) => l.startsWith(`${first} `));
    expect(line, `a row for ${first} in:\n${stdout}`).toBeDefined();
    return (line ?? '').split(/\s{2,}/);
  }

  it('models list: an aligned table, and with --json the API answer itself', async () => {
    const text = await cli('models', 'list');
    expect(text.code).toBe(0);
    const [heading = '', ...lines] = text.stdout.trimEnd().split('\n');
    expect(heading).toMatch(/^ID\s+STATUS\s+SERVABLE\s+CONTEXT\s+POOLS/);
    expect(rowOf(text.stdout, 'oss-20b').slice(0, 3)).toEqual(['oss-20b', 'enabled', 'yes']);
    // Aligned: every row's second column starts where the heading's does.
    const at = heading.indexOf('STATUS');
    for (const line of lines) expect(line[at - 1]).toBe(' ');
    const json = await cli('models', 'list', '--json');
    expect(JSON.parse(json.stdout)).toEqual(await (await t.admin.get('/admin/api/models')).json());
  });

  it('routers drain and undrain with a reason: the pool view after each, the state in the API', async () => {
    const drained = await cli('routers', 'drain', 'test-pool-r1', '--reason', 'maintenance window 42');
    expect(drained.code).toBe(0);
    expect(drained.stdout).toContain('router test-pool-r1 is draining (pool test-pool)');
    expect(rowOf(drained.stdout, 'test-pool-r1')[1]).toBe('draining');
    const pool = (await (await t.admin.get('/admin/api/pools/test-pool')).json()) as {
      routers: Array<{ id: string; state: string }>;
    };
    expect(pool.routers.find((r) => r.id === 'test-pool-r1')?.state).toBe('draining');
    const back = await cli('routers', 'undrain', 'test-pool-r1', '--json');
    expect(back.code).toBe(0);
    const view = JSON.parse(back.stdout) as { id: string; routers: Array<{ id: string; state: string }> };
    expect(view.id).toBe('test-pool');
    expect(view.routers.find((r) => r.id === 'test-pool-r1')?.state).toBe('active');
  });

  it('pools show, orgs show, keys list and requests list read what the API holds', async () => {
    const { orgId, keyId, key } = await t.account({ plan: 'pro' });
    expect((await t.as(key).post('/v1/chat/completions', chatBody())).status).toBe(200);
    const pool = await cli('pools', 'show', 'test-pool');
    expect(pool.stdout).toMatch(/^id\s+test-pool$/m);
    expect(rowOf(pool.stdout, 'test-pool-r1')[1]).toBe('active');
    const org = await cli('orgs', 'show', orgId);
    expect(org.stdout).toMatch(new RegExp(`^id\\s+${orgId}$`, 'm'));
    expect(org.stdout).toMatch(/^status\s+active$/m);
    const keys = await cli('keys', 'list', '--org-id', orgId);
    expect(rowOf(keys.stdout, keyId)[1]).toBe(orgId);
    await t.services.metering.flush();
    const requests = await cli('requests', 'list', '--org-id', orgId, '--json');
    const page = JSON.parse(requests.stdout) as { data: Array<{ keyId: string; status: number }> };
    expect(page.data).toEqual([expect.objectContaining({ keyId, status: 200 })]);
    expect((await t.as(key).post('/v1/chat/completions', chatBody({ model: 'qwen' }))).status).toBe(200);
    await t.services.metering.flush();
    // One row per page: the table ends with the command for the next page, filters kept.
    const first = await cli('requests', 'list', '--org-id', orgId, '--limit', '1');
    expect(first.stdout.split('\n')[0]).toMatch(/^REQUEST\s+WHEN\s+ORG\s+MODEL\s+STATUS/);
    expect(first.stdout).toContain('qwen');
    const more = /^more: portal admin (requests list .*)$/m.exec(first.stdout);
    expect(more?.[1]).toMatch(new RegExp(`^requests list --org-id ${orgId} --limit 1 --cursor \\S+$`));
    const second = await cli(...(more?.[1] ?? '').split(' '));
    expect(second.stdout).toContain('oss-20b');
    expect(second.stdout).not.toContain('qwen');
  });

  it('orgs disable with a reason, then enable: the organization state follows', async () => {
    const { orgId } = await t.account();
    const off = await cli('orgs', 'disable', orgId, '--reason', 'chargeback', '--json');
    expect(JSON.parse(off.stdout)).toMatchObject({
      id: orgId,
      status: 'disabled',
      disabled_reason: 'chargeback',
    });
    const on = await cli('orgs', 'enable', orgId);
    expect(on.stdout.trim()).toBe(`organization ${orgId} is active`);
  });

  it('keys show and keys list --prefix find a key; keys revoke --reason revokes it', async () => {
    const { orgId, keyId, key } = await t.account();
    const shown = await cli('keys', 'show', keyId);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^organization\\s+${orgId}$`, 'm'));
    expect(shown.stdout).toMatch(/^status\s+active$/m);
    expect(shown.stdout).not.toContain(key); // only the redacted form
    const found = await cli('keys', 'list', '--prefix', key.slice(0, 10), '--json');
    const list = JSON.parse(found.stdout) as { data: Array<{ id: string }> };
    expect(list.data.map((k) => k.id)).toContain(keyId);
    const revoked = await cli('keys', 'revoke', keyId, '--reason', 'leaked in a public repo');
    expect(revoked.stdout.trim()).toBe(`key ${keyId} is revoked`);
    expect((await t.as(key).post('/v1/chat/completions', chatBody())).status).toBe(401);
  });

  it('orgs list finds an organization by its owner; orgs usage shows its days', async () => {
    const user = await t.signUp();
    const found = await cli('orgs', 'list', '--q', user.email, '--json');
    expect(found.code).toBe(0);
    const page = JSON.parse(found.stdout) as { data: Array<{ id: string; owner_email: string }> };
    expect(page.data).toEqual([expect.objectContaining({ owner_email: user.email })]);
    const orgId = page.data[0]?.id ?? '';
    const table = await cli('orgs', 'list', '--q', user.email);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATUS\s+PLAN\s+OWNER\s+KEYS\s+CREATED$/);
    expect(rowOf(table.stdout, orgId)).toContain(user.email);
    const usage = await cli('orgs', 'usage', orgId, '--days', '2');
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/^total\s+0\s+0\s+0\s+\$0\.000000$/m);
  });

  it('routers add, edit and remove with reasons; audit list shows each, by the CLI, with its reason', async () => {
    const added = await cli(
      'routers',
      'add',
      'test-pool',
      '--url',
      t.sim.url,
      '--id',
      'cli-r9',
      '--sessions',
      '5,6',
      '--weight',
      '2',
      '--reason',
      'capacity test',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('router cli-r9 added (pool test-pool)');
    expect(rowOf(added.stdout, 'cli-r9')).toEqual(expect.arrayContaining(['active', '2', 'admin']));
    const edited = await cli('routers', 'edit', 'cli-r9', '--max-concurrency', '7', '--json');
    const pool = JSON.parse(edited.stdout) as { routers: Array<{ id: string; maxConcurrency: number }> };
    expect(pool.routers.find((r) => r.id === 'cli-r9')?.maxConcurrency).toBe(7);
    const removed = await cli('routers', 'remove', 'cli-r9', '--reason', 'done testing');
    expect(removed.stdout).toContain('router cli-r9 removed');
    expect(removed.stdout).not.toMatch(/^cli-r9 /m);
    const audit = await cli('audit', 'list', '--target-type', 'router', '--target-id', 'cli-r9', '--json');
    const entries = (
      JSON.parse(audit.stdout) as {
        data: Array<{ action: string; actor: { kind: string }; reason: string | null }>;
      }
    ).data;
    expect(entries.map((e) => [e.action, e.actor.kind, e.reason])).toEqual([
      ['router.removed', 'cli', 'done testing'],
      ['router.updated', 'cli', null],
      ['router.added', 'cli', 'capacity test'],
    ]);
    const table = await cli('audit', 'list', '--target-id', 'cli-r9');
    expect(table.stdout.split('\n')[0]).toMatch(/^WHEN\s+ACTOR\s+ACTION\s+TARGET\s+ORG\s+REASON$/);
    expect(table.stdout).toMatch(/cli\s+router\.added\s+router:cli-r9\s+-\s+capacity test/);
  });

  it('orgs plan, orgs credit and orgs ledger; models disable and enable', async () => {
    const { orgId } = await t.account();
    const plan = await cli('orgs', 'plan', orgId, '--plan', 'pro', '--reason', 'upgrade by support');
    expect(plan.stdout.trim()).toBe(`organization ${orgId}: plan free → pro`);
    const credit = await cli(
      'orgs',
      'credit',
      orgId,
      '--amount-micros',
      '2500000',
      '--description',
      'goodwill',
    );
    expect(credit.code, credit.stderr).toBe(0);
    expect(credit.stdout).toMatch(/^grant \$2\.500000 recorded \(\S+\); balance \$2\.500000$/m);
    const ledger = await cli('orgs', 'ledger', orgId);
    expect(ledger.stdout).toMatch(/^balance \$2\.500000$/m);
    expect(ledger.stdout).toMatch(/grant\s+\$2\.500000\s+goodwill/);
    const off = await cli('models', 'disable', 'gemma4', '--reason', 'bad outputs');
    expect(off.stdout.trim()).toBe('model gemma4 is disabled');
    const on = await cli('models', 'enable', 'gemma4', '--json');
    expect(JSON.parse(on.stdout)).toMatchObject({ id: 'gemma4', status: 'enabled' });
  });

  it('an API error prints its message and exits non-zero; a missing id names what is missing', async () => {
    const missing = await cli('orgs', 'show', 'org_does_not_exist');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^portal: .*not/i);
    const noId = await cli('pools', 'drain');
    expect(noId.code).toBe(1);
    expect(noId.stderr).toContain('missing POOL_ID');
    const unknown = await cli('widgets', 'list');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown admin resource "widgets"');
  });
});
