/**
 * `portal serve --workers N` throughput (issue 16 B): Portal in Redis mode (fresh PostgreSQL database, REDIS_URL)
 * on the fixed-reply upstream, non-streamed chat completions at 50 connections, alternating 1 worker (one plain
 * process) and 2 workers (node:cluster primary + 2) for `--runs` rounds, so both see the same machine state.
 * Reports req/s, p50/p99 and CPU per request of the whole process tree, and the 2:1 ratio per round. On the
 * shared 2-core machine the load generator, the upstream, PostgreSQL and Redis compete with the workers: read
 * the ratio, not the absolute numbers.
 *
 * Run: `npx tsx bench/workers.ts [--seconds 8] [--warmup 3] [--runs 3] [--connections 50] [--skip-build]`
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildPortal } from './lib/build.js';
import { checkOnce, measure, type LoadResult } from './lib/load.js';
import { startFixedUpstream, startPortalProcess, type PortalService } from './lib/stack.js';
import { spec } from './lib/targets.js';
import { treeCpuMs } from './lib/tree.js';
import { createTestDatabase } from '../test/support/store.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'skip-build': { type: 'boolean', default: false },
  },
});

/** Waits until `count` workers have logged "portal listening" (the primary only hands connections to those). */
async function listening(portal: PortalService, count: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const lines = readFileSync(portal.logFile, 'utf8').split('\n');
    if (lines.filter((l) => l.includes('"msg":"portal listening"')).length >= count) return;
    if (Date.now() > deadline) throw new Error(`${count} workers not listening after 120 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function measureWorkers(
  bin: string,
  workers: number,
  upstream: string,
  mode: { databaseUrl: string; redisUrl: string },
): Promise<LoadResult> {
  const portal = await startPortalProcess(
    bin,
    upstream,
    { name: 'redis', ...mode },
    {
      fixedUrl: upstream,
      serveArgs: workers > 1 ? ['--workers', String(workers)] : [],
    },
  );
  try {
    await listening(portal, workers);
    const target = { url: portal.url, key: portal.key, model: 'oss-120b', portal: true };
    const connections = Number(args.connections);
    await checkOnce(spec(target, false, 1, 1));
    await measure(spec(target, false, connections, Number(args.warmup)));
    return await measure(
      spec({ ...target, cpuMs: () => treeCpuMs(portal.child.pid) }, false, connections, Number(args.seconds)),
    );
  } finally {
    await portal.close();
  }
}

async function main() {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    console.log('SKIPPED workers bench: needs DATABASE_URL and REDIS_URL (--workers refuses memory mode)');
    return;
  }
  const bin = buildPortal({ skip: args['skip-build'] });
  const fixed = await startFixedUpstream();
  const database = await createTestDatabase('portal_bench');
  const mode = { databaseUrl: database.url, redisUrl: process.env.REDIS_URL };
  const before = loadavg();
  const rows: string[] = [];
  try {
    for (let run = 1; run <= Number(args.runs); run++) {
      const one = await measureWorkers(bin, 1, fixed.url, mode);
      const two = await measureWorkers(bin, 2, fixed.url, mode);
      for (const [n, r] of [
        [1, one],
        [2, two],
      ] as const)
        rows.push(
          `| ${run} | ${n} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.cpuUsPerRequest.toFixed(0)} | ${r.failures} | ${n === 2 ? (two.rps / one.rps).toFixed(2) : ''} |`,
        );
      console.log(rows.slice(-2).join('\n'));
    }
  } finally {
    await fixed.child.stop();
    await database.drop();
  }
  const fmt = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  console.log(
    [
      '',
      `portal serve --workers N, Redis mode, fixed-reply upstream, non-streamed, ${args.connections} connections, ${args.seconds} s per cell`,
      `${cpus().length} CPUs; load average (1/5/15 min) before ${fmt(before)}, after ${fmt(loadavg())}`,
      '',
      '| run | workers | req/s | p50 ms | p99 ms | CPU µs/req (tree) | failures | 2:1 |',
      '| --- | ------- | ----- | ------ | ------ | ----------------- | -------- | --- |',
      ...rows,
    ].join('\n'),
  );
}

await main();
