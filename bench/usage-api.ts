/**
 * Usage API benchmark: p50 / p95 / p99 of `GET /api/usage` over HTTP for an organization with 5 million usage
 * events, signed in like the dashboard (session cookie). Uses the database `portal_bench_usage` next to
 * DATABASE_URL (created, migrated and seeded by scripts/seed-usage.ts on first run, kept for later runs;
 * `--drop` removes it afterwards).
 * Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/usage-api.ts [--events 5000000]
 *       [--requests 300] [--drop]`
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/platform/config/load.js';
import { createLogger } from '../src/platform/log.js';
import { startPortal } from '../src/server.js';
import { usageReport, type Granularity } from '../src/domain/usage/report.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000000' },
    requests: { type: 'string', default: '300' },
    drop: { type: 'boolean', default: false },
  },
});
const admin = process.env.DATABASE_URL;
if (!admin) throw new Error('set DATABASE_URL');
const NAME = 'portal_bench_usage';
const ORG = 'org_usage_bench';
const url = new URL(admin);
url.pathname = `/${NAME}`;

const adminClient = new pg.Client({ connectionString: admin });
await adminClient.connect();
const exists = await adminClient.query('select 1 from pg_database where datname = $1', [NAME]);
if (!exists.rowCount) await adminClient.query(`create database ${NAME}`);
await adminClient.end();

const dataDir = mkdtempSync(join(tmpdir(), 'portal-bench-usage-'));
const config = loadConfig({
  env: { DATABASE_URL: url.toString() },
  overrides: { dataDir, server: { host: '127.0.0.1', port: 0 } },
});
const portal = await startPortal(config, { log: createLogger({ level: 'warn' }) }); // migrates
try {
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('../scripts/seed-usage.ts', import.meta.url)),
      '--org',
      ORG,
      '--events',
      values.events!,
    ],
    { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url.toString() } },
  );
  const cookie = await signIn(portal.url);
  const cases: [string, string][] = [
    ['30 days by day', '/api/usage?granularity=day'],
    ['7 days by hour', `/api/usage?granularity=hour&from=${daysAgo(7)}`],
    ['30 days by hour, one key', `/api/usage?granularity=hour&from=${daysAgo(30)}&key=key_${ORG}_3`],
    ['30 days by day, one model', '/api/usage?granularity=day&model=qwen'],
  ];
  for (const [name, path] of cases) {
    for (let i = 0; i < 20; i++) await get(portal.url + path, cookie); // warm-up
    const body = JSON.parse((await get(portal.url + path, cookie)).text) as { totals: { requests: number } };
    const http: number[] = [];
    for (let i = 0; i < Number(values.requests); i++) http.push((await get(portal.url + path, cookie)).ms);
    // The same query without HTTP, session and windows: what the rollup read itself costs.
    const q = new URL(path, portal.url).searchParams;
    const range = {
      orgId: ORG,
      granularity: (q.get('granularity') ?? 'day') as Granularity,
      from: new Date(q.get('from') ?? daysAgo(30)),
      to: new Date(),
      keyId: q.get('key') ?? undefined,
      modelId: q.get('model') ?? undefined,
    };
    const domain: number[] = [];
    for (let i = 0; i < Number(values.requests); i++) {
      const t = performance.now();
      await usageReport(portal.services.store.query, range);
      domain.push(performance.now() - t);
    }
    console.log(
      `${name.padEnd(26)} ${String(body.totals.requests).padStart(8)} requests in range | ` +
        `HTTP ${summary(http)} | query only ${summary(domain)}`,
    );
  }
} finally {
  await portal.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (values.drop) {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`drop database if exists ${NAME} with (force)`);
    await c.end();
  }
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `p50 ${p(0.5)} p95 ${p(0.95)} p99 ${p(0.99)} ms`;
}

function daysAgo(n: number) {
  return new Date(Date.now() - n * 86_400_000).toISOString();
}

async function get(u: string, cookie: string) {
  const t = performance.now();
  const res = await fetch(u, { headers: { cookie } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${u}: ${res.status} ${text}`);
  return { ms: performance.now() - t, text };
}

/** Signs up a fresh user and makes the seeded organization theirs (their only membership). */
async function signIn(base: string): Promise<string> {
  const email = `bench-${Date.now()}@example.com`;
  const post = (path: string, body: unknown) =>
    fetch(`${base}/api/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify(body),
    });
  const password = 'correct horse battery';
  const signedUp = await post('sign-up/email', { email, password, name: 'Bench' });
  if (signedUp.status !== 200) throw new Error(`sign-up failed: ${signedUp.status} ${await signedUp.text()}`);
  // Sign-up never signs in by itself (it answers the same for a taken email).
  const res = await post('sign-in/email', { email, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  await fetch(`${base}/api/account`, { headers: { cookie } }); // creates the personal org membership
  await portal.services.store.query(
    `update organization_members set org_id = $1
     where user_id = (select id from users where lower(email) = $2)`,
    [ORG, email],
  );
  return cookie;
}
