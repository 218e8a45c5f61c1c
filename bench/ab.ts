/**
 * A/B of two Portal builds in one run (issue #12: "the gateway figures within noise" after a refactor). This
 * machine's load swings throughput by ±30 % from one minute to the next, so two separate `bench/gateway.ts`
 * runs cannot tell a 10 % change from noise. Here both builds serve the same simulator at the same time and
 * are loaded in turn, round after round, and each cell reports the median over rounds of the B/A ratio of
 * Portal's CPU per request and of its req/s — the load of the moment hits both sides of each ratio alike.
 *
 * Run: `npx tsx bench/ab.ts --base /path/to/other/checkout [--rounds 5] [--seconds 3] [--upstream sim|fixed]
 *        [--mode memory|redis] [--cells json1,json50,stream1,stream50] [--skip-build]
 *        [--a-node-args=…] [--b-node-args=…]`  (with `--base .` both sides run this build: flags A/B)
 *   A = the build of --base (built with its own bench/lib/build.ts when missing), B = this tree (built now).
 * Memory mode (PGlite, memory limiter) by default; `--mode redis` gives each build its own fresh database on
 * DATABASE_URL and shares REDIS_URL (each key its own limiter counters). Model oss-20b on the simulator, or
 * with `--upstream fixed` oss-120b on the fixed-reply upstream (bench/lib/fixed-upstream.mjs), where Portal's
 * own work is not hidden behind the simulator's. In Redis mode each cell also reports the Redis commands and the
 * Redis server's own µs per request (INFO commandstats around each load) — exact counts, unlike CPU time on a
 * shared machine; point REDIS_URL at a private Redis, or other users' commands are counted too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { buildPortal } from './lib/build.js';
import { checkOnce, measure, median, type LoadSpec } from './lib/load.js';
import {
  startFixedUpstream,
  startPortalProcess,
  startSim,
  type PortalMode,
  type PortalService,
} from './lib/stack.js';
import { createTestDatabase } from '../test/support/store.js';
import { Redis } from 'ioredis';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '3' },
    upstream: { type: 'string', default: 'sim' },
    mode: { type: 'string', default: 'memory' },
    cells: { type: 'string', default: 'json1,json50,stream1,stream50' },
    'skip-build': { type: 'boolean', default: false },
    /** Node flags for each side, space-separated (e.g. `--b-node-args=--max-semi-space-size=8`, same build). */
    'a-node-args': { type: 'string', default: '' },
    'b-node-args': { type: 'string', default: '' },
  },
});
if (!args.base) {
  // `npm run bench -- --all` reaches every bench/*.ts: without a checkout to compare with there is nothing to do.
  console.log('ab: skipped — pass --base /path/to/other/checkout (the A side)');
  process.exit(0);
}
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const fixed = args.upstream === 'fixed';
const model = fixed ? 'oss-120b' : 'oss-20b';
if (args.mode === 'redis' && !(process.env.DATABASE_URL && process.env.REDIS_URL)) {
  console.error('ab: --mode redis needs DATABASE_URL and REDIS_URL');
  process.exit(1);
}

/** The other checkout's private bench build, built with its own tooling when it is not there yet. */
function baseBin(dir: string): string {
  const bin = join(dir, '.tmp/bench-build/bin/portal');
  if (!existsSync(join(dir, '.tmp/bench-build/dist/cli/main.js')))
    execFileSync(
      process.execPath,
      ['--import', 'tsx', '-e', "import('./bench/lib/build.ts').then((m) => m.buildPortal())"],
      {
        cwd: dir,
        stdio: 'inherit',
      },
    );
  return bin;
}

function spec(p: PortalService, stream: boolean, connections: number, secs: number): LoadSpec {
  return {
    url: `${p.url}/v1/chat/completions`,
    headers: { authorization: `Bearer ${p.key}` },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: 'Say hello to the benchmark.' }],
      max_tokens: 32,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
    connections,
    seconds: secs,
    serverCpuMs: p.child.cpuMs,
  };
}

const CELLS = [
  { name: 'json1', stream: false, connections: 1 },
  { name: 'json50', stream: false, connections: 50 },
  { name: 'stream1', stream: true, connections: 1 },
  { name: 'stream50', stream: true, connections: 50 },
].filter((c) => args.cells.split(',').includes(c.name));

async function startSide(bin: string, simUrl: string, fixedUrl: string | undefined, nodeArgs: string) {
  const database = args.mode === 'redis' ? await createTestDatabase('portal_ab') : undefined;
  const mode: PortalMode = database
    ? { name: 'redis', databaseUrl: database.url, redisUrl: process.env.REDIS_URL }
    : { name: 'memory' };
  const portal = await startPortalProcess(bin, simUrl, mode, {
    fixedUrl,
    nodeArgs: nodeArgs.split(' ').filter(Boolean),
  });
  return {
    ...portal,
    async close() {
      await portal.close();
      await database?.drop();
    },
  };
}

/** Scripts run (EVALSHA/EVAL: one round trip each), the commands run inside them (and any others) and the
 * server's µs in the scripts, from INFO commandstats. */
async function redisTotals(
  redis: Redis | undefined,
): Promise<{ scripts: number; usec: number; inner: number }> {
  if (!redis) return { scripts: 0, usec: 0, inner: 0 };
  const info = await redis.info('commandstats');
  let scripts = 0;
  let usec = 0;
  let inner = 0;
  for (const m of info.matchAll(/^cmdstat_(\w+):calls=(\d+),usec=(\d+)/gm)) {
    if (m[1] === 'info') continue;
    if (m[1] !== 'evalsha' && m[1] !== 'eval') inner += Number(m[2]);
    else {
      scripts += Number(m[2]);
      usec += Number(m[3]);
    }
  }
  return { scripts, usec, inner };
}

async function main() {
  const binA = baseBin(args.base!);
  const binB = buildPortal({ skip: args['skip-build'] });
  const sim = await startSim(binB);
  const upstream = fixed ? await startFixedUpstream() : undefined;
  const a = await startSide(binA, sim.url, upstream?.url, args['a-node-args']);
  const b = await startSide(binB, sim.url, upstream?.url, args['b-node-args']);
  const stats = args.mode === 'redis' ? new Redis(process.env.REDIS_URL ?? '') : undefined;
  const lines: string[] = [];
  try {
    for (const p of [a, b]) for (const stream of [false, true]) await checkOnce(spec(p, stream, 1, 1));
    for (const cell of CELLS) {
      const cpu: number[] = [];
      const rps: number[] = [];
      const raw: string[] = [];
      const redisPerRequest = new Map<PortalService, string[]>([
        [a, []],
        [b, []],
      ]);
      for (const p of [a, b]) await measure(spec(p, cell.stream, cell.connections, 2)); // warm-up
      for (let round = 0; round < rounds; round++) {
        // Alternate which side goes first, so a load change within a round does not favour one side.
        const order = round % 2 ? [b, a] : [a, b];
        const got = new Map<PortalService, { cpu: number; rps: number }>();
        for (const p of order) {
          const before = await redisTotals(stats);
          const r = await measure(spec(p, cell.stream, cell.connections, seconds));
          if (r.failures) throw new Error(`failures during a cell: ${r.failures}`);
          const after = await redisTotals(stats);
          redisPerRequest
            .get(p)
            ?.push(
              `${((after.scripts - before.scripts) / r.requests).toFixed(2)} scripts ` +
                `(${((after.inner - before.inner) / r.requests).toFixed(1)} commands) ` +
                `${((after.usec - before.usec) / r.requests).toFixed(0)} µs in Redis`,
            );
          got.set(p, { cpu: r.cpuUsPerRequest, rps: r.rps });
        }
        const ra = got.get(a)!;
        const rb = got.get(b)!;
        cpu.push(rb.cpu / ra.cpu);
        rps.push(rb.rps / ra.rps);
        raw.push(`${ra.cpu.toFixed(0)}/${rb.cpu.toFixed(0)} µs`);
      }
      const line =
        `${cell.stream ? 'stream' : 'json  '} c=${String(cell.connections).padEnd(2)}  ` +
        `CPU/req B/A ${median(cpu).toFixed(2)} (rounds ${cpu.map((x) => x.toFixed(2)).join(' ')})  ` +
        `req/s B/A ${median(rps).toFixed(2)}  [A/B CPU per round: ${raw.join(', ')}]` +
        (stats
          ? `\n         Redis per request, A: ${redisPerRequest.get(a)?.join(', ')}; B: ${redisPerRequest.get(b)?.join(', ')}`
          : '');
      console.log(line);
      lines.push(line);
    }
  } finally {
    await a.close();
    await b.close();
    await sim.child.stop();
    await upstream?.child.stop();
    await stats?.quit();
  }
  console.log(
    `\nA = ${args.base}, B = this tree; ${args.mode} mode, ${fixed ? 'fixed-reply upstream' : 'simulator'}; ` +
      `${rounds} rounds × ${seconds} s per side per cell\n${lines.join('\n')}`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
await main();
process.exit(0);
