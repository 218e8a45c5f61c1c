/**
 * Writeback benchmark: usage events per second from `recordUsage` into PostgreSQL, end to end — batching,
 * the single-statement insert with hour/day rollup upserts, ledger debits for credit-plan orgs (1 in 5) and
 * request logs alongside every event. Uses a fresh database next to DATABASE_URL, dropped afterwards.
 * Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/writeback.ts [events] [batch sizes]`
 *   e.g. `npx tsx bench/writeback.ts 200000 500,2000 --writers=2` (--no-logs: usage events only)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/platform/log.js';
import { createMetering } from '../src/platform/metering/metering.js';
import { openStore } from '../src/platform/store/db.js';
import { migrate } from '../src/platform/store/migrate.js';
import { newId } from '../src/platform/ids.js';
import type { RequestLog, UsageEvent } from '../src/platform/metering/types.js';
import { createTestDatabase } from '../test/support/store.js';

const total = Number(process.argv[2] ?? 200_000);
const batchSizes = (process.argv[3] ?? '500,2000').split(',').map(Number);
const withLogs = !process.argv.includes('--no-logs');
const writers = Number(process.argv.find((a) => a.startsWith('--writers='))?.slice(10) ?? 1);
const MODELS = ['oss-20b', 'oss-120b', 'gemma4', 'qwen'];

function event(i: number): UsageEvent {
  return {
    id: newId('evt'),
    requestId: `req_${i}`,
    occurredAt: new Date(),
    orgId: `org_${i % 50}`,
    keyId: `key_${i % 500}`,
    modelId: MODELS[i % 4]!,
    poolId: 'pool_a',
    routerId: 'router_a',
    endpoint: '/v1/chat/completions',
    stream: i % 2 === 0,
    status: 200,
    errorCode: null,
    inputTokens: 200 + (i % 100),
    outputTokens: 300 + (i % 50),
    tokensSource: 'upstream',
    latencyMs: 800,
    ttftMs: 120,
    costMicros: 70,
  };
}

function log(e: UsageEvent): RequestLog {
  return { ...e, method: 'POST', clientIpHash: 'h', requestId: e.requestId };
}

async function run(batchSize: number) {
  const db = await createTestDatabase('portal_bench_writeback');
  const store = await openStore({ databaseUrl: db.url, dataDir: '.portal-unused' });
  const spool = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  try {
    await migrate(store);
    for (let o = 0; o < 50; o++) {
      await store.query('insert into organizations (id, name) values ($1, $1)', [`org_${o}`]);
      if (o % 5 === 0)
        await store.query(`insert into plans (id, name, kind, max_active_keys) values ('credits', 'c', 'credits', 5)
          on conflict do nothing`);
      if (o % 5 === 0)
        await store.query(`insert into plan_subscriptions (id, org_id, plan_id) values ($1, $2, 'credits')`, [
          newId('sub'),
          `org_${o}`,
        ]);
    }
    const metering = createMetering({
      store,
      log: createLogger({ level: 'silent' }),
      spoolDir: spool,
      batchSize,
      queueMax: total * 3,
      flushIntervalMs: 50,
      writers,
    });
    // The gateway builds these objects per request anyway: generate them before the clock starts.
    const events = Array.from({ length: total }, (_, i) => event(i));
    const logs = withLogs ? events.map(log) : [];
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < total; i++) {
      metering.recordUsage(events[i]!);
      if (withLogs) metering.recordRequest(logs[i]!);
      if (i % 5_000 === 4_999) await new Promise((r) => setImmediate(r));
    }
    // Until everything is in the store: a batch slower than the write timeout takes the spool detour and
    // is replayed (close() alone would leave it spooled for the next start).
    for (;;) {
      await metering.flush();
      const now = metering.stats();
      if (now.state === 'ok' && now.queueDepth === 0 && now.spoolBytes === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await metering.close();
    const seconds = (performance.now() - started) / 1000;
    const nodeCpuS = (process.cpuUsage(cpuStart).user + process.cpuUsage(cpuStart).system) / 1e6;
    const pgCpuS = await backendCpuSeconds(store);
    const s = metering.stats();
    const [{ n }] = (await store.query('select count(*)::int as n from usage_events')) as [{ n: number }];
    if (n !== total) throw new Error(`expected ${total} events in the store, found ${n}`);
    console.log(
      `batch ${String(batchSize).padStart(5)}, writers ${writers}: ${total} events${withLogs ? ' + request logs' : ''} in ` +
        `${seconds.toFixed(2)} s = ${Math.round(total / seconds).toLocaleString('en')} events/s ` +
        `(batches ${s.batchesWritten}, write timeouts/failures ${s.writeFailures}, spooled ${s.eventsSpooled})`,
    );
    // CPU actually spent, independent of what else the machine runs: PostgreSQL backends + this process.
    const perEvent = ((pgCpuS + nodeCpuS) / total) * 1e6;
    console.log(
      `             CPU per event: PostgreSQL ${((pgCpuS / total) * 1e6).toFixed(0)} µs + Node ` +
        `${((nodeCpuS / total) * 1e6).toFixed(0)} µs = ${perEvent.toFixed(0)} µs → ` +
        `${Math.round(1e6 / perEvent).toLocaleString('en')} events/s per core`,
    );
  } finally {
    await store.close();
    await db.drop();
    rmSync(spool, { recursive: true, force: true });
  }
}

/** utime + stime of this database's backends (they live only for this run: the database is fresh). */
async function backendCpuSeconds(store: { query: <T>(q: string) => Promise<T[]> }): Promise<number> {
  const rows = await store.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database()',
  );
  const tick = 100; // USER_HZ
  let total = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // not on this machine (remote PostgreSQL): CPU figures are then PostgreSQL-less
    }
  }
  return total;
}

for (const size of batchSizes) await run(size);
