/**
 * Finding: `server.trustProxy` took the leftmost X-Forwarded-For entry, which the client writes. Rotating it
 * gave every request a fresh address for per-IP limits and logs, and naming a victim's address charged the
 * victim. The client is now the address left of the trusted proxies' hops (hop count or CIDRs).
 */
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal, type TestPortal } from '../support/harness.js';
import type { TestAccount } from '../support/fixtures.js';
import { createClientIp } from '#src/platform/http/client-ip.js';
import { installKernel } from '#src/platform/http/kernel.js';
import type { AppEnv } from '#src/platform/http/context.js';
import { createMetrics } from '#src/platform/metrics.js';

/** Sends /v1/models as if through one proxy at 127.0.0.1 that appended `realClient` to the client's header. */
async function viaProxy(t: TestPortal, account: TestAccount, claimed: string, realClient: string) {
  const forwarded = claimed ? `${claimed}, ${realClient}` : realClient;
  const res = await t.as(account.key).with({ 'x-forwarded-for': forwarded }).get('/v1/models');
  expect(res.status).toBe(200);
  return res.headers.get('x-request-id')!;
}

async function ipHashes(t: TestPortal, ids: string[]): Promise<Array<string | null>> {
  await t.services.metering.flush();
  const rows = await t.store.query<{ request_id: string; client_ip_hash: string | null }>(
    'select request_id, client_ip_hash from request_logs where request_id = any($1)',
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.request_id, r.client_ip_hash]));
  return ids.map((id) => byId.get(id) ?? null);
}

describe.each([
  ['a hop count (true = 1 hop)', true],
  ['a list of proxy CIDRs', ['127.0.0.0/8', '::1/128']],
])('trustProxy as %s', (_name, trustProxy) => {
  const t = usePortal({ config: { server: { trustProxy } } });
  let account: TestAccount;
  beforeAll(async () => {
    account = await t.account();
  });

  it('a rotated leftmost X-Forwarded-For does not give the client a new address', async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await viaProxy(t, account, `10.9.${i}.${i + 1}`, '198.51.100.7'));
    const hashes = await ipHashes(t, ids);
    expect(hashes[0]).toBeTruthy();
    expect(new Set(hashes).size).toBe(1);
  });

  it("naming a victim's address in X-Forwarded-For does not charge the victim", async () => {
    const victim = await viaProxy(t, account, '', '203.0.113.50');
    const attacker = await viaProxy(t, account, '203.0.113.50', '198.51.100.66');
    const [victimHash, attackerHash] = await ipHashes(t, [victim, attacker]);
    expect(attackerHash).not.toBe(victimHash);
  });
});

describe('the client-address rule', () => {
  it('takes the address left of N trusted hops, never the leftmost client-written one', () => {
    const two = createClientIp({ trustProxy: 2 });
    expect(two('10.0.0.2', 'evil, 203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
    expect(two('10.0.0.2', '10.0.0.1')).toBe('10.0.0.1'); // fewer entries than hops: the farthest one
    expect(createClientIp({ trustProxy: 1 })('10.0.0.2', 'not-an-ip')).toBe('10.0.0.2');
  });

  it('skips every trusted CIDR from the right, IPv6 and IPv4-mapped peers included', () => {
    const cidrs = createClientIp({ trustProxy: ['10.0.0.0/8', 'fd00::/8'] });
    expect(cidrs('::ffff:10.1.2.3', '6.6.6.6, 203.0.113.9, 10.4.4.4')).toBe('203.0.113.9');
    expect(cidrs('fd00::1', '2001:db8::5')).toBe('2001:db8::5');
    expect(cidrs('198.51.100.1', '203.0.113.9')).toBe('198.51.100.1'); // peer not a proxy: header ignored
  });

  it('ignores X-Forwarded-For with trust off and warns once that a proxy seems to be in front', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'warn' },
      new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
    );
    const app = new Hono<AppEnv>();
    installKernel(app, { log, metrics: createMetrics(), bodyLimitBytes: 1024, trustProxy: false });
    app.get('/ip', (c) => c.text(c.get('clientIp')));
    for (const ip of ['1.1.1.1', '2.2.2.2']) {
      const res = await app.request('/ip', { headers: { 'x-forwarded-for': ip } });
      expect(await res.text()).not.toBe(ip);
    }
    expect(lines.filter((l) => l.includes('X-Forwarded-For seen but server.trustProxy is off'))).toHaveLength(
      1,
    );
  });
});
