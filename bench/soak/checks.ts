/**
 * The soak's checks: each promise of issue #17 as numbers, from the client's request log, the database
 * (usage events, rollups, ledger) and the /proc samples. `ok` is false when any check failed.
 */
import type { Store } from '#src/platform/store/db.js';
import { scaledLimit } from '#src/platform/limiter/resilient.js';
import type { Fault, FaultKind } from './schedule.js';
import type { RequestRecord, SoakKey } from './load.js';
import { LOCAL_SHARE, WINDOW_MS } from './stack.js';
import type { LimiterWatch } from './limiter-watch.js';

export interface FaultWindow {
  kind: FaultKind;
  target: number;
  start: number;
  end: number;
  /** Portal faults: when the signal was sent. */
  killedAt?: number;
}

export interface Revocation {
  keyId: string;
  revokedAt: number;
  /** Per instance: ms from the revocation's answer to that instance's first refusal. */
  refusedAfterMs: number[];
}

export interface Sample {
  t: number;
  process: string;
  pid: number;
  rssKb: number;
  fds: number;
}

export interface CheckInput {
  store: Store;
  log: RequestRecord[];
  windows: FaultWindow[];
  /** When each instance decided limits locally (its own metrics), Redis faults or not. */
  limiters: LimiterWatch;
  revocations: Revocation[];
  samples: Sample[];
  spoolBytesAtEnd: number[];
  keys: SoakKey[];
  runMs: number;
  started: number;
  seed: number;
  minutes: number;
  pgbouncer: boolean;
  schedule: Fault[];
  keyLimit: number;
  orgLimit: number;
  rssTolerancePct: number;
}

export interface Check {
  name: string;
  ok: boolean;
  value: string;
  detail?: string;
}

export interface SoakReport {
  ok: boolean;
  seed: number;
  minutes: number;
  pgbouncer: boolean;
  requests: number;
  byStatus: Record<string, number>;
  faults: FaultWindow[];
  checks: Check[];
  processes: Array<{
    process: string;
    pid: number;
    rssStartKb: number;
    rssEndKb: number;
    rssGrowthPct: number;
    fdsStart: number;
    fdsEnd: number;
  }>;
}

const SIGKILL_LOSS_MS = 3_000;
const overlaps = (a0: number, a1: number, b0: number, b1: number) => a0 < b1 && b0 < a1;

/** Whether record r was answered by an instance that was killed or stopped while (or just after) it ran. */
function lostWithInstance(r: RequestRecord, windows: FaultWindow[]): boolean {
  return windows.some(
    (w) =>
      (w.kind === 'portal-sigkill' || w.kind === 'portal-sigterm') &&
      w.killedAt !== undefined &&
      (r.backend === undefined || r.backend === w.target) &&
      r.sent <= w.killedAt + 1_000 &&
      r.end >= w.killedAt - SIGKILL_LOSS_MS,
  );
}

function duringRouterFault(r: RequestRecord, windows: FaultWindow[]): boolean {
  return windows.some((w) => w.kind.startsWith('router') && overlaps(r.sent, r.end, w.start, w.end + 5_000));
}

async function usageCheck(input: CheckInput): Promise<Check[]> {
  const rows = await input.store.query<{ request_id: string; n: number }>(
    'select request_id, count(*)::int as n from usage_events group by request_id',
  );
  const events = new Map(rows.map((r) => [r.request_id, r.n]));
  let answered = 0;
  let one = 0;
  let duplicated = 0;
  let lostToKill = 0;
  let missing = 0;
  const missingIds: string[] = [];
  for (const r of input.log) {
    if (r.status < 200 || r.status >= 300) continue;
    answered++;
    const n = r.requestId ? (events.get(r.requestId) ?? 0) : 0;
    if (n === 1) one++;
    else if (n > 1) duplicated++;
    else if (
      r.kind !== 'bad-input' &&
      lostWithInstance(r, input.windows) &&
      input.windows.some((w) => w.kind === 'portal-sigkill')
    )
      lostToKill++;
    else {
      missing++;
      if (missingIds.length < 10)
        missingIds.push(`${r.requestId ?? '(no id)'} ${r.kind} backend ${r.backend}`);
    }
  }
  return [
    {
      name: 'every 2xx the client saw has exactly one usage event',
      ok: duplicated === 0 && missing === 0,
      value: `${one} / ${answered} (missing ${missing}, duplicated ${duplicated}, lost with a SIGKILLed instance ${lostToKill})`,
      detail: missingIds.length ? `missing: ${missingIds.join('; ')}` : undefined,
    },
  ];
}

async function rollupCheck(input: CheckInput): Promise<Check[]> {
  const q = input.store.query.bind(input.store);
  const [raw] = await q<{ n: number; i: number; o: number; c: number }>(
    `select count(*)::float8 n, coalesce(sum(input_tokens),0)::float8 i, coalesce(sum(output_tokens),0)::float8 o,
            coalesce(sum(cost_micros),0)::float8 c from usage_events`,
  );
  const totals = await q<{ g: string; n: number; i: number; o: number; c: number }>(
    `select granularity g, sum(requests)::float8 n, sum(input_tokens)::float8 i, sum(output_tokens)::float8 o,
            sum(cost_micros)::float8 c from usage_rollups group by granularity`,
  );
  const [rows] = await q<{ bad: number; total: number }>(
    `with raw as (
       select org_id, key_id, model_id, date_trunc('hour', occurred_at at time zone 'UTC') b, count(*) n,
              sum(input_tokens) i, sum(output_tokens) o, sum(cost_micros) c
         from usage_events group by 1, 2, 3, 4),
     roll as (
       select org_id, key_id, model_id, bucket_start at time zone 'UTC' b, requests n, input_tokens i,
              output_tokens o, cost_micros c
         from usage_rollups where granularity = 'hour')
     select count(*) filter (where raw.n is distinct from roll.n or raw.i is distinct from roll.i
              or raw.o is distinct from roll.o or raw.c is distinct from roll.c)::int bad, count(*)::int total
       from raw full join roll using (org_id, key_id, model_id, b)`,
  );
  const fmt = (t?: { n: number; i: number; o: number; c: number }) =>
    t ? `${t.n} req, ${t.i}+${t.o} tok, ${t.c} µ` : 'none';
  const same = (t?: { n: number; i: number; o: number; c: number }) =>
    Boolean(t && raw && t.n === raw.n && t.i === raw.i && t.o === raw.o && t.c === raw.c);
  const hour = totals.find((t) => t.g === 'hour');
  const day = totals.find((t) => t.g === 'day');
  return [
    {
      name: 'rollups equal raw events',
      ok: same(hour) && same(day) && rows?.bad === 0,
      value: `raw ${fmt(raw)}; hour ${fmt(hour)}; day ${fmt(day)}; hour rows differing ${rows?.bad ?? '?'} of ${rows?.total ?? '?'}`,
    },
  ];
}

async function ledgerCheck(input: CheckInput): Promise<Check[]> {
  const orgs = [...new Set(input.keys.filter((k) => k.plan === 'credits').map((k) => k.orgId))];
  const checks: Check[] = [];
  for (const org of orgs) {
    const [l] = await input.store.query<{ grants: number; debits: number; n: number; balance: number }>(
      `select coalesce(sum(amount_micros) filter (where kind = 'grant'), 0)::float8 grants,
              coalesce(sum(amount_micros) filter (where kind = 'usage_debit'), 0)::float8 debits,
              count(*) filter (where kind = 'usage_debit')::int n,
              coalesce(sum(amount_micros), 0)::float8 balance from billing_ledger where org_id = $1`,
      [org],
    );
    const [e] = await input.store.query<{ n: number; cost: number }>(
      `select count(*)::int n, coalesce(sum(cost_micros), 0)::float8 cost from usage_events
        where org_id = $1 and cost_micros > 0`,
      [org],
    );
    const [m] = await input.store.query<{ low: number | null }>(
      `select min(running)::float8 low from (select sum(amount_micros) over (order by occurred_at, id) running
         from billing_ledger where org_id = $1) s`,
      [org],
    );
    const balance = l?.balance ?? NaN;
    checks.push({
      name: 'ledger balance = grants − debits, one debit per charged event',
      ok: Boolean(l && e && l.grants + l.debits === balance && l.n === e.n && -l.debits === e.cost),
      value: `grants ${l?.grants} − debits ${-(l?.debits ?? 0)} = balance ${balance}; debits ${l?.n} for ${e?.n} charged events (${e?.cost} µ)`,
    });
    checks.push({
      name: 'no balance below zero',
      ok: balance >= 0,
      value: `final ${balance} µ; lowest running sum in ledger order ${m?.low ?? 'n/a'} µ`,
    });
  }
  return checks;
}

/**
 * Windows [s, s + W) starting at each admitted request's send time; admissions wholly inside each. A window
 * overlapping a stretch in `local` (a Redis fault padded by one window, or an instance's own local decisions)
 * may use local shares; the others must hold the limit exactly.
 */
function windowMax(records: RequestRecord[], local: Array<{ start: number; end: number }>) {
  const admitted = records.filter((r) => r.status === 200).sort((a, b) => a.sent - b.sent);
  let up = 0;
  let down = 0;
  for (const first of admitted) {
    const end = first.sent + WINDOW_MS;
    let n = 0;
    for (const r of admitted) if (r.sent >= first.sent && r.headersAt < end) n++;
    const touched = local.some((w) => overlaps(first.sent, end, w.start, w.end));
    if (touched) down = Math.max(down, n);
    else up = Math.max(up, n);
  }
  return { up, down };
}

/** The local-decision stretches outside every Redis fault: the limiter's timeout firing with Redis up. */
function timeoutStretches(input: CheckInput, redisFaults: FaultWindow[]) {
  const outside = input.limiters.stretches.filter(
    (l) => l.decisions > 0 && !redisFaults.some((w) => overlaps(l.start, l.end, w.start, w.end + 2_000)),
  );
  return { stretches: outside.length, decisions: outside.reduce((n, l) => n + l.decisions, 0) };
}

function limitChecks(input: CheckInput): Check[] {
  const redisFaults = input.windows.filter((w) => w.kind === 'redis-kill' || w.kind === 'bus-pause');
  // A restarted Redis forgot: the window after a fault may use local shares too (hence the padding).
  const local = [
    ...redisFaults.map((w) => ({ start: w.start - WINDOW_MS, end: w.end + WINDOW_MS })),
    ...input.limiters.stretches,
  ];
  const localBound = (limit: number) => limit + 3 * scaledLimit(limit, LOCAL_SHARE);
  const checks: Check[] = [];
  const subjects: Array<{ what: string; limit: number; records: RequestRecord[] }> = [];
  for (const k of input.keys.filter((k) => k.keyLimit))
    subjects.push({
      what: `key ${k.label}`,
      limit: k.keyLimit ?? 0,
      records: input.log.filter((r) => r.keyId === k.keyId),
    });
  const rows = subjects.map((s) => ({ ...s, ...windowMax(s.records, local) }));
  const timeouts = timeoutStretches(input, redisFaults);
  checks.push({
    name: `no per-key / per-org window admitted more than its limit while every instance decided on Redis (window ${WINDOW_MS / 1000} s)`,
    // Without a single scrape of the instances' metrics no window can be told apart: not a pass.
    ok: input.limiters.scrapes > 0 && rows.every((r) => r.up <= r.limit),
    value:
      rows.map((r) => `${r.what}: max ${r.up} / ${r.limit}`).join('; ') +
      `; limiter metrics scraped ${input.limiters.scrapes} times`,
  });
  checks.push({
    name: `windows with local decisions (Redis faults, or the limiter's timeout with Redis up): at most limit + 3 × local share (${LOCAL_SHARE})`,
    ok: rows.every((r) => r.down <= localBound(r.limit)),
    value:
      rows.map((r) => `${r.what}: max ${r.down} / ${localBound(r.limit)}`).join('; ') +
      `; local decisions: ${input.limiters.stretches.reduce((n, l) => n + l.decisions, 0)}, of them with Redis up (timeouts) ${timeouts.decisions} in ${timeouts.stretches} polls`,
  });
  checks.push(...orgDayCheck(input, localBound));
  return checks;
}

/**
 * The tight org's requests_per_day (a day window, so: everything admitted in the run). A Redis that is
 * killed comes back empty and forgets the day's count before the outage (only the outage's own admissions
 * are written back), so the bound holds per stretch between Redis kills: limit + 3 × local share each.
 */
function orgDayCheck(input: CheckInput, localBound: (limit: number) => number): Check[] {
  const org = input.keys.find((k) => k.plan === 'tight-org')?.orgId;
  if (!org) return [];
  const kills = input.windows.filter((w) => w.kind === 'redis-kill').map((w) => w.start);
  const edges = [-Infinity, ...kills, Infinity];
  const admitted = input.log.filter((r) => r.orgId === org && r.status === 200);
  const stretches = edges.slice(1).map((end, i) => {
    const start = edges[i] ?? -Infinity;
    return admitted.filter((r) => r.sent >= start && r.sent < end).length;
  });
  const straddling = admitted.filter((r) => kills.some((k) => r.sent < k && r.end > k)).length;
  const bound = kills.length ? localBound(input.orgLimit) : input.orgLimit;
  return [
    {
      name: `per-org requests_per_day (${input.orgLimit}) between Redis restarts`,
      ok: stretches.every((n) => n <= bound),
      value: `admitted per stretch between Redis kills: ${stretches.join(', ')} (bound ${bound}); whole run ${admitted.length} (a Redis without persistence forgets the day before its restart: see docs/reliability.md); straddling a kill ${straddling}`,
    },
  ];
}

function revocationCheck(input: CheckInput): Check[] {
  const all = input.revocations.flatMap((r) => r.refusedAfterMs.filter((n) => n !== undefined));
  const late = all.filter((n) => n > 1_000);
  const sorted = [...all].sort((a, b) => a - b);
  return [
    {
      name: 'a revoked key is refused everywhere within 1 s, outages included',
      ok: input.revocations.length > 0 && late.length === 0,
      value: `${input.revocations.length} revocations, ${all.length} instance checks; max ${sorted.at(-1) ?? 'n/a'} ms, median ${sorted[Math.floor(sorted.length / 2)] ?? 'n/a'} ms; over 1 s: ${late.length}`,
    },
  ];
}

function errorChecks(input: CheckInput): Check[] {
  const allowed = new Map<string, number>();
  const lost = new Map<string, number>();
  const bad = new Map<string, number>();
  const store = new Map<string, number>();
  const storeFault = (r: RequestRecord) =>
    input.windows.some(
      (w) =>
        (w.kind === 'redis-kill' || w.kind === 'bus-pause' || w.kind === 'postgres-stop') &&
        overlaps(r.sent, r.end, w.start, w.end + 5_000),
    );
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const r of input.log) {
    if (r.status >= 200 && r.status < 500) continue;
    const label = `${r.status} ${r.code ?? ''}`.trim();
    if (
      r.status >= 500 &&
      (r.code === 'upstream_unavailable' || r.code === 'upstream_timeout') &&
      duringRouterFault(r, input.windows)
    )
      bump(allowed, label);
    else if (lostWithInstance(r, input.windows)) bump(lost, label);
    else if (r.status === 503 && r.code === 'service_unavailable' && storeFault(r)) bump(store, label);
    else bump(bad, label);
  }
  const show = (m: Map<string, number>) => [...m].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
  const streams = input.log.filter((r) => r.streamEnd);
  const ends = new Map<string, number>();
  for (const r of streams) bump(ends, r.streamEnd ?? '');
  const cut = streams.filter((r) => r.streamEnd === 'cut' && !lostWithInstance(r, input.windows));
  const badInput = input.log.filter((r) => r.kind === 'bad-input');
  const badInput4xx = badInput.filter(
    (r) =>
      (r.status >= 400 && r.status < 500) ||
      (r.status === 503 && r.code === 'service_unavailable' && storeFault(r)),
  ).length;
  return [
    {
      name: 'no 5xx other than upstream_unavailable / upstream_timeout during router faults',
      ok: bad.size === 0,
      value: `unexplained: ${show(bad)}; during router faults: ${show(allowed)}; with a killed/stopped instance: ${show(lost)}; documented 503 while Redis/PostgreSQL was down (credits plan): ${show(store)}`,
    },
    {
      name: 'streams end with an error event or [DONE]',
      ok: cut.length === 0,
      value: `${streams.length} streams: ${show(ends)}; cut without a killed instance: ${cut.length}`,
    },
    {
      name: 'bad input is answered 4xx in the API error shape (or the documented 503 while the store is down)',
      ok: badInput4xx === badInput.length,
      value: `${badInput4xx} / ${badInput.length}`,
    },
  ];
}

function processChecks(input: CheckInput): { checks: Check[]; rows: SoakReport['processes'] } {
  const T = input.runMs;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const byPid = new Map<string, Sample[]>();
  for (const s of input.samples) {
    const k = `${s.process}#${s.pid}`;
    byPid.set(k, [...(byPid.get(k) ?? []), s]);
  }
  const rows: SoakReport['processes'] = [];
  for (const samples of byPid.values()) {
    const first = samples.filter((s) => s.t >= 0.5 * T && s.t < 0.6 * T);
    const last = samples.filter((s) => s.t >= 0.9 * T);
    if (!first.length || !last.length) continue;
    const rssStartKb = median(first.map((s) => s.rssKb));
    const rssEndKb = median(last.map((s) => s.rssKb));
    rows.push({
      process: samples[0]!.process,
      pid: samples[0]!.pid,
      rssStartKb,
      rssEndKb,
      rssGrowthPct: Math.round(((rssEndKb - rssStartKb) / rssStartKb) * 1000) / 10,
      fdsStart: Math.max(...first.map((s) => s.fds)),
      fdsEnd: Math.max(...last.map((s) => s.fds)),
    });
  }
  const spool = input.spoolBytesAtEnd;
  return {
    rows,
    checks: [
      {
        name: `RSS flat over the last half (≤ ${input.rssTolerancePct} % growth, each process alive through it)`,
        ok: rows.length > 0 && rows.every((r) => r.rssGrowthPct <= input.rssTolerancePct),
        value:
          rows.map((r) => `${r.process}: ${r.rssGrowthPct} %`).join('; ') ||
          'no process lived through the last half',
      },
      {
        name: 'no file-descriptor growth over the last half (≤ 5 more: reconnects)',
        ok: rows.every((r) => r.fdsEnd <= r.fdsStart + 5),
        value: rows.map((r) => `${r.process}: ${r.fdsStart} → ${r.fdsEnd}`).join('; '),
      },
      {
        name: 'the spool drains to zero after the faults',
        ok: spool.every((b) => b === 0),
        value: spool.map((b, i) => `portal-${i}: ${b} B`).join('; '),
      },
    ],
  };
}

export async function runChecks(input: CheckInput): Promise<SoakReport> {
  const byStatus: Record<string, number> = {};
  for (const r of input.log) byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
  const processes = processChecks(input);
  const checks = [
    ...(await usageCheck(input)),
    ...(await rollupCheck(input)),
    ...(await ledgerCheck(input)),
    ...limitChecks(input),
    ...revocationCheck(input),
    ...errorChecks(input),
    ...processes.checks,
  ];
  return {
    ok: checks.every((c) => c.ok),
    seed: input.seed,
    minutes: input.minutes,
    pgbouncer: input.pgbouncer,
    requests: input.log.length,
    byStatus,
    faults: input.windows.map((w) => ({
      ...w,
      start: w.start - input.started,
      end: w.end - input.started,
      killedAt: w.killedAt && w.killedAt - input.started,
    })),
    checks,
    processes: processes.rows,
  };
}

export function renderReport(report: SoakReport): string {
  const lines = [
    `## Soak report — seed ${report.seed}, ${report.minutes} min, ${report.pgbouncer ? 'through PgBouncer (transaction mode)' : 'direct PostgreSQL'}: ${report.ok ? 'PASS' : 'FAIL'}`,
    '',
    `Requests: ${report.requests} (${Object.entries(report.byStatus)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')})`,
    '',
    `Faults (s from start): ${report.faults.map((f) => `${f.kind}#${f.target} ${(f.start / 1000).toFixed(0)}–${(f.end / 1000).toFixed(0)}`).join(', ')}`,
    '',
    '| check | ok | numbers |',
    '| --- | --- | --- |',
    ...report.checks.map(
      (c) => `| ${c.name} | ${c.ok ? 'yes' : '**NO**'} | ${c.value}${c.detail ? ` (${c.detail})` : ''} |`,
    ),
    '',
    '| process | RSS at 50–60 % (kB) | RSS last 10 % (kB) | growth | fds |',
    '| --- | --- | --- | --- | --- |',
    ...report.processes.map(
      (p) =>
        `| ${p.process} (pid ${p.pid}) | ${p.rssStartKb} | ${p.rssEndKb} | ${p.rssGrowthPct} % | ${p.fdsStart} → ${p.fdsEnd} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
