/**
 * `npm run soak -- --minutes N [--seed S] [--pgbouncer] [--workers W] [--out DIR]`: the chaos soak of issue
 * #17. A private fleet (stack.ts) takes a seeded mix of traffic (load.ts) while a seeded fault schedule
 * (schedule.ts, printed first) stops and starts its parts; key revocations run throughout. The checks
 * (checks.ts) turn the client's log, the database and /proc samples into numbers; the report is printed and
 * written to DIR/soak-report.{json,md}. Exit code 1 when any promise was broken.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { openStore, type Store } from '#src/platform/store/db.js';
import { createAccount, createKey, upsertPlan } from '#test/support/fixtures.js';
import { describeSchedule, makeSchedule, prng, type Fault } from './schedule.js';
import { ADMIN_TOKEN, SIM_DEFAULTS, procStats, startStack, type Stack } from './stack.js';
import { watchLimiters, type LimiterWatch } from './limiter-watch.js';
import { runLoad, send, type RequestRecord, type SoakKey } from './load.js';
import {
  runChecks,
  renderReport,
  type FaultWindow,
  type Revocation,
  type Sample,
  type SoakReport,
} from './checks.js';

export interface SoakOptions {
  minutes: number;
  seed: number;
  pgbouncer: boolean;
  workers: number;
  maxGapMs: number;
  /** The same load without the fault schedule (a baseline). */
  noFaults?: boolean;
  /** RSS growth allowed over the last half (per cent; default 5). */
  rssTolerancePct?: number;
  out?: string;
  log?: (line: string) => void;
}

const KEY_LIMIT = 12;
/** The tight org's requests per day: reached early in the run, then refused (per org, all its keys). */
const ORG_LIMIT = 100;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const say = options.log ?? ((l: string) => console.log(l));
  const runMs = Math.round(options.minutes * 60_000);
  const schedule = options.noFaults ? [] : makeSchedule(options.seed, runMs);
  say(
    `soak: seed ${options.seed}, ${options.minutes} min, pgbouncer ${options.pgbouncer}, ${schedule.length} faults:`,
  );
  say(describeSchedule(schedule));
  const stack = await startStack({ pgbouncer: options.pgbouncer });
  const store = await openStore({ databaseUrl: stack.pg.url, dataDir: '.unused' });
  try {
    const keys = await createKeys(store, stack);
    const log: RequestRecord[] = [];
    const windows: FaultWindow[] = [];
    const limiters: LimiterWatch = { stretches: [], scrapes: 0 };
    const revocations: Revocation[] = [];
    const samples: Sample[] = [];
    const started = Date.now();
    const stopAt = started + runMs;
    const sampler = setInterval(() => sample(stack, samples, started), 2_000);
    const load = runLoad({
      url: stack.balancer.url,
      keys: () => keys,
      seed: options.seed,
      workers: options.workers,
      maxGapMs: options.maxGapMs,
      stopAt,
      log,
    });
    const faults = runFaults(stack, schedule, started, windows, say);
    const revoking = runRevocations(stack, store, keys, revocations, stopAt, options.seed, say);
    const topUps = runTopUps(stack, keys, stopAt);
    const watching = watchLimiters(stack, stopAt, limiters);
    await Promise.all([load, faults, revoking, topUps, watching]);
    say(`soak: load done (${log.length} requests); waiting for the spools to drain`);
    const drainStarted = Date.now();
    while (Date.now() - drainStarted < 60_000 && [0, 1, 2].some((i) => stack.spoolBytes(i) > 0))
      await new Promise((r) => setTimeout(r, 1_000));
    const spoolBytesAtEnd = [0, 1, 2].map((i) => stack.spoolBytes(i));
    sample(stack, samples, started);
    clearInterval(sampler);
    // A graceful stop writes everything queued (SIGTERM loses nothing), then the database is the truth.
    await Promise.all(stack.portals.map((p) => p?.stop('SIGTERM')));
    const report = await runChecks({
      store,
      log,
      windows,
      limiters,
      revocations,
      samples,
      spoolBytesAtEnd,
      keys,
      runMs,
      started,
      seed: options.seed,
      minutes: options.minutes,
      pgbouncer: options.pgbouncer,
      schedule,
      keyLimit: KEY_LIMIT,
      rssTolerancePct: options.rssTolerancePct ?? 5,
      orgLimit: ORG_LIMIT,
    });
    const text = renderReport(report);
    say(text);
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      const odd = log.filter((r) => r.status >= 500 || r.status < 0 || r.streamEnd === 'cut');
      writeFileSync(
        join(options.out, 'soak-errors.json'),
        JSON.stringify(
          odd.map((r) => ({ ...r, t: r.sent - started })),
          null,
          1,
        ),
      );
      writeFileSync(
        join(options.out, 'soak-portal-output.txt'),
        stack.portals.map((p, i) => `── portal-${i}\n${p?.output() ?? ''}`).join('\n'),
      );
      writeFileSync(join(options.out, 'soak-report.json'), JSON.stringify(report, null, 2));
      writeFileSync(join(options.out, 'soak-report.md'), text);
    }
    return report;
  } finally {
    await store.close().catch(() => undefined);
    await stack.close();
  }
}

/** Accounts: free, monthly and credits orgs (each with a key limited to KEY_LIMIT a window), an org limited to ORG_LIMIT. */
async function createKeys(store: Store, stack: Stack): Promise<SoakKey[]> {
  await upsertPlan(store, 'soak-free', { rpm: 100_000 }, 'free');
  await upsertPlan(store, 'soak-monthly', { rpm: 100_000 }, 'monthly_quota');
  await store.query(`update plans set monthly_tokens = 1000000000 where id = 'soak-monthly'`);
  await upsertPlan(store, 'soak-credits', { rpm: 100_000 }, 'credits');
  await upsertPlan(store, 'soak-tight', { rpm: 100_000, rpd: ORG_LIMIT }, 'free');
  const keys: SoakKey[] = [];
  for (const [plan, planId] of [
    ['free', 'soak-free'],
    ['monthly', 'soak-monthly'],
    ['credits', 'soak-credits'],
  ] as const) {
    const account = await createAccount(store, { plan: planId });
    keys.push({ label: `${plan}`, key: account.key, keyId: account.keyId, orgId: account.orgId, plan });
    const limited = await createKey(store, account.orgId, { requestsPerMinute: KEY_LIMIT });
    keys.push({ label: `${plan}-limited`, ...limited, orgId: account.orgId, plan, keyLimit: KEY_LIMIT });
    if (plan === 'credits') await grant(stack, account.orgId, 600);
  }
  const tight = await createAccount(store, { plan: 'soak-tight' });
  keys.push({
    label: 'tight-org-1',
    key: tight.key,
    keyId: tight.keyId,
    orgId: tight.orgId,
    plan: 'tight-org',
  });
  const second = await createKey(store, tight.orgId);
  keys.push({ label: 'tight-org-2', ...second, orgId: tight.orgId, plan: 'tight-org' });
  return keys;
}

async function grant(stack: Stack, orgId: string, amount: number): Promise<boolean> {
  const res = await fetch(`${stack.balancer.url}/admin/api/orgs/${orgId}/ledger`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'grant', amount_micros: amount, description: 'soak top-up' }),
  }).catch(() => undefined);
  return res?.status === 201;
}

/** Tops the credits org up every 30 s (grants land during faults too; a refused one is retried next time). */
async function runTopUps(stack: Stack, keys: SoakKey[], stopAt: number) {
  const credits = keys.find((k) => k.plan === 'credits');
  while (credits && Date.now() + 30_000 < stopAt) {
    await new Promise((r) => setTimeout(r, 30_000));
    await grant(stack, credits.orgId, 300);
  }
}

function sample(stack: Stack, samples: Sample[], started: number) {
  const t = Date.now() - started;
  stack.portals.forEach((p, i) => {
    const s = procStats(p?.child.pid);
    if (s && p) samples.push({ t, process: `portal-${i}`, pid: p.child.pid ?? 0, ...s });
  });
  const r = procStats(stack.redis.pid);
  if (r) samples.push({ t, process: 'redis', pid: stack.redis.pid ?? 0, ...r });
  if (stack.bouncer) {
    const b = procStats(stack.bouncer.pid);
    if (b) samples.push({ t, process: 'pgbouncer', pid: stack.bouncer.pid ?? 0, ...b });
  }
}

async function runFaults(
  stack: Stack,
  schedule: Fault[],
  started: number,
  windows: FaultWindow[],
  say: (l: string) => void,
) {
  for (const fault of schedule) {
    const wait = started + fault.at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const window: FaultWindow = { kind: fault.kind, target: fault.target, start: Date.now(), end: 0 };
    windows.push(window);
    say(`soak: +${((Date.now() - started) / 1000).toFixed(1)}s ${fault.kind} (target ${fault.target})`);
    await inject(stack, fault, window);
    window.end = Date.now();
    say(`soak: +${((Date.now() - started) / 1000).toFixed(1)}s ${fault.kind} restored`);
  }
}

async function inject(stack: Stack, fault: Fault, window: FaultWindow) {
  const hold = () => new Promise((r) => setTimeout(r, fault.durationMs));
  const sim = stack.sims[fault.target]!;
  switch (fault.kind) {
    case 'postgres-stop':
      await stack.pg.stop();
      await hold();
      await stack.pg.start();
      return;
    case 'redis-kill':
      await stack.redis.kill();
      await hold();
      await stack.redis.start();
      return;
    case 'bus-pause':
      stack.redis.pause();
      await hold();
      stack.redis.resume();
      return;
    case 'portal-sigkill':
    case 'portal-sigterm': {
      const p = stack.portals[fault.target];
      stack.balancer.setBackend(fault.target, null);
      window.killedAt = Date.now();
      await p?.stop(fault.kind === 'portal-sigkill' ? 'SIGKILL' : 'SIGTERM');
      stack.portals[fault.target] = null;
      await hold();
      await stack.restartPortal(fault.target);
      return;
    }
    case 'router-stop':
      sim.configure({ down: true });
      await hold();
      sim.configure({ down: false });
      return;
    case 'router-slow':
      sim.configure({ ttftMs: 2_500 });
      await hold();
      sim.configure({ ttftMs: SIM_DEFAULTS.ttftMs });
      return;
    case 'router-cut':
      sim.configure({ disconnectAfterTokens: 4 });
      await hold();
      sim.configure({ disconnectAfterTokens: 0 });
      return;
  }
}

/**
 * Every ~15 s: a fresh key of the free org is used on every instance (so each has it cached), revoked
 * through the balancer, and then tried on every instance directly until refused; the time from the admin
 * API's answer to each instance's refusal is recorded (faults included: that is the point).
 */
async function runRevocations(
  stack: Stack,
  store: Store,
  keys: SoakKey[],
  out: Revocation[],
  stopAt: number,
  seed: number,
  say: (l: string) => void,
) {
  const random = prng(seed ^ 0x7e40);
  const org = keys.find((k) => k.plan === 'free')!.orgId;
  while (Date.now() + 20_000 < stopAt) {
    await new Promise((r) => setTimeout(r, 8_000 + random() * 8_000));
    let created: { keyId: string; key: string };
    try {
      created = await createKey(store, org);
    } catch {
      continue; // PostgreSQL is down right now
    }
    const victim: SoakKey = { label: 'revoked', ...created, orgId: org, plan: 'free' };
    const live = stack.portals.map((p) => p?.url);
    for (const url of live) if (url) await send(url, victim, 'chat', 'oss-20b', 0);
    let revokedAt = 0;
    const deadline = Date.now() + 30_000;
    while (!revokedAt && Date.now() < deadline) {
      const res = await fetch(`${stack.balancer.url}/admin/api/keys/${victim.keyId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      }).catch(() => undefined);
      if (res && res.status < 300) revokedAt = Date.now();
      else await new Promise((r) => setTimeout(r, 250));
    }
    if (!revokedAt) continue;
    const record: Revocation = { keyId: victim.keyId, revokedAt, refusedAfterMs: [] };
    await Promise.all(
      live.map(async (url, i) => {
        if (!url) return;
        for (;;) {
          const r = await send(url, victim, 'chat', 'oss-20b', 0);
          if (r.status === 401) return void (record.refusedAfterMs[i] = r.end - revokedAt);
          if (r.status === -1 && stack.portals[i]?.url !== url) return; // that instance went away meanwhile
          if (Date.now() - revokedAt > 40_000) return void (record.refusedAfterMs[i] = Infinity);
          await new Promise((res) => setTimeout(res, 50));
        }
      }),
    );
    out.push(record);
    const worst = Math.max(0, ...record.refusedAfterMs.filter((n) => n !== undefined));
    say(`soak: revoked ${victim.keyId}: refused everywhere within ${worst} ms`);
  }
}

async function main() {
  // private-services.ts kills every service it started on exit; a signal must become an exit too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '3' },
      seed: { type: 'string' },
      pgbouncer: { type: 'boolean', default: false },
      'no-faults': { type: 'boolean', default: false },
      workers: { type: 'string', default: '6' },
      'max-gap-ms': { type: 'string', default: '150' },
      out: { type: 'string', default: 'bench/results' },
    },
  });
  const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 1_000_000);
  const report = await runSoak({
    minutes: Number(values.minutes),
    seed,
    pgbouncer: values.pgbouncer ?? false,
    noFaults: values['no-faults'] ?? false,
    workers: Number(values.workers),
    maxGapMs: Number(values['max-gap-ms']),
    out: values.out,
  });
  process.exit(report.ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
