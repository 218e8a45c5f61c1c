/**
 * Gateway benchmark (issues 4 and 16). In one run, on 127.0.0.1, each server in its own process:
 *   (a) the router simulator directly (zero delay, OpenAI-compatible /v1/chat/completions),
 *   (b) a bare Node reverse proxy in front of it,
 *   (c) Portal with every check (key verify, per-key and per-org limits, entitlement, routing, normalization,
 *       usage event, request log) and an OpenAI-compatible pool on the simulator,
 *   (d) the same with a Cortensor pool,
 *   (e) the same three on the fixed-reply upstream (lib/fixed-upstream.mjs: pre-serialised answers, no text
 *       generation) — upstream, bare proxy in front of it, Portal's OpenAI-compatible pool oss-120b on it — since
 *       the simulator's own CPU on the same cores flatters every Portal / proxy ratio (`--upstream sim|fixed|both`),
 * non-streamed and streamed, at 1 and 50 connections; Portal in memory mode (PGlite, memory limiter) and, with
 * DATABASE_URL and REDIS_URL, in Redis mode (fresh database, dropped afterwards). Then Portal's RSS with 1,000
 * concurrent streams, and with --profile a CPU profile of Portal under load.
 *
 * Run: `npx tsx bench/gateway.ts [--seconds 5] [--warmup 3] [--runs 1] [--streams 1000] [--rss-modes memory,redis] [--skip-build]
 *       [--no-load] [--no-rss] [--upstream sim|fixed|both]
 *       [--profile [--profile-mode memory|redis] [--profile-connections 50]]`
 * The profile runs on the fixed-reply upstream when it is selected, else on the simulator.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPortal, REPO } from './lib/build.js';
import { checkOnce, measure, type LoadResult } from './lib/load.js';
import { formatProfile, summariseProfile } from './lib/profile.js';
import { buildTable, streamsLine, type Cell, type Verdict } from './lib/report.js';
import {
  startBareProxy,
  startFixedUpstream,
  startPortalProcess,
  startSim,
  type PortalMode,
  type PortalService,
  type Service,
} from './lib/stack.js';
import {
  spec,
  targetsFor,
  UPSTREAM_LABEL,
  type Target,
  type UpstreamName,
  type UpstreamSide,
} from './lib/targets.js';
import { holdStreams } from './lib/streams.js';
import { createTestDatabase, type TestDatabase } from '../test/support/store.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    runs: { type: 'string', default: '1' },
    streams: { type: 'string', default: '1000' },
    'skip-build': { type: 'boolean', default: false },
    'no-rss': { type: 'boolean', default: false },
    'no-load': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-mode': { type: 'string', default: 'memory' },
    'profile-connections': { type: 'string', default: '50' },
    'rss-modes': { type: 'string', default: 'memory,redis' },
    upstream: { type: 'string', default: 'both' },
  },
});
const seconds = Number(args.seconds);
const runs = Number(args.runs);
const upstreamChoices: Record<string, UpstreamName[]> = {
  sim: ['sim'],
  fixed: ['fixed'],
  both: ['sim', 'fixed'],
};
if (!upstreamChoices[args.upstream]) {
  console.error(`--upstream must be sim, fixed or both (got ${args.upstream})`);
  process.exit(2);
}
const upstreams = upstreamChoices[args.upstream] ?? [];

/** Starts the bare proxy in front of each selected upstream (and the fixed-reply upstream itself). */
async function startSides(sim: Service): Promise<UpstreamSide[]> {
  const sides: UpstreamSide[] = [];
  if (upstreams.includes('sim'))
    sides.push({ name: 'sim', service: sim, proxy: await startBareProxy(sim.url) });
  if (upstreams.includes('fixed')) {
    const fixed = await startFixedUpstream();
    sides.push({ name: 'fixed', service: fixed, proxy: await startBareProxy(fixed.url) });
  }
  return sides;
}

function portalModes(database: TestDatabase | undefined): PortalMode[] {
  const modes: PortalMode[] = [{ name: 'memory' }];
  if (database) modes.push({ name: 'redis', databaseUrl: database.url, redisUrl: process.env.REDIS_URL });
  else console.log('redis mode skipped: set DATABASE_URL and REDIS_URL to measure it');
  return modes;
}

/** `prompt/completion` tokens of a reply: the JSON body's usage, or the last SSE event's that carries one. */
function usageIn(text: string, stream: boolean): string {
  const events = stream
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
    : [text];
  for (const event of events.reverse()) {
    if (!event.startsWith('{')) continue;
    const { usage } = JSON.parse(event) as { usage?: { prompt_tokens?: number; completion_tokens?: number } };
    if (usage) return `${usage.prompt_tokens}/${usage.completion_tokens}`;
  }
  return 'none';
}

/** Every target answers once, streamed and not, and Portal on the fixed upstream reports the upstream's usage
 * (the figures it meters: finish.ts takes the upstream's counts when there are some). */
async function checkTargets(targets: Target[]): Promise<void> {
  for (const stream of [false, true]) {
    const direct = new Map<string, string>();
    for (const t of targets) {
      const usage = usageIn(await checkOnce(spec(t, stream, 1, 1)), stream);
      if (!t.portal) direct.set(t.upstream, usage);
      else if (t.upstream === 'fixed' && usage !== direct.get('fixed'))
        throw new Error(`${t.name} reports usage ${usage}, the fixed upstream sent ${direct.get('fixed')}`);
    }
  }
}

function logCell(run: number, t: Target, stream: boolean, connections: number, result: LoadResult) {
  console.log(
    `run ${run} ${t.name.padEnd(30)} ${stream ? 'stream' : 'json  '} c=${String(connections).padEnd(2)} ` +
      `${result.rps.toFixed(0).padStart(6)} req/s p50 ${result.p50.toFixed(2)} p99 ${result.p99.toFixed(2)} ms` +
      (result.headerMedian !== null ? ` overhead ${result.headerMedian.toFixed(2)} ms` : '') +
      ` cpu ${result.cpuUsPerRequest.toFixed(0)} µs/req` +
      (result.failures ? ` FAILED ${result.failures}` : ''),
  );
}

async function measureCells(targets: Target[]): Promise<Cell[]> {
  const cells: Cell[] = [];
  const diagnosed = new Set<string>();
  for (let run = 1; run <= runs; run++)
    for (const stream of [false, true])
      for (const connections of [1, 50])
        for (const t of targets) {
          // Warm-up at the cell's own load: JIT (a Portal process is measured first right after its start),
          // keep-alive pools. Production servers are measured warm.
          await measure(spec(t, stream, connections, Number(args.warmup)));
          const result = await measure(spec(t, stream, connections, seconds));
          cells.push({ target: t.name, stream, connections, run, result });
          if (result.failures && !diagnosed.has(t.name)) {
            diagnosed.add(t.name);
            await checkOnce(spec(t, stream, 1, 1)).then(
              () => console.log(`${t.name}: failures during the cell, but a single request now passes`),
              (err: Error) => console.log(`${t.name} fails: ${err.message}`),
            );
          }
          logCell(run, t, stream, connections, result);
          await new Promise((r) => setTimeout(r, 500)); // let metering flush before the next cell
        }
  return cells;
}

async function loadCells(bin: string, sim: Service): Promise<{ cells: Cell[]; rows: Target[] }> {
  const sides = await startSides(sim);
  const fixedUrl = sides.find((s) => s.name === 'fixed')?.service.url;
  const useRedis = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
  const database = useRedis ? await createTestDatabase('portal_bench') : undefined;
  const portals: { mode: PortalMode; portal: PortalService }[] = [];
  try {
    for (const mode of portalModes(database))
      portals.push({ mode, portal: await startPortalProcess(bin, sim.url, mode, { fixedUrl }) });
    const targets = sides.flatMap((side) => targetsFor(side, portals));
    await checkTargets(targets);
    return { cells: await measureCells(targets), rows: targets };
  } finally {
    for (const { portal } of portals) await portal.close();
    for (const side of sides) {
      await side.proxy.child.stop();
      if (side.name === 'fixed') await side.service.child.stop();
    }
    await database?.drop();
  }
}

async function streamsRss(bin: string, count: number, mode: PortalMode['name']): Promise<Verdict> {
  const database = mode === 'redis' ? await createTestDatabase('portal_bench') : undefined;
  // 120 tokens at 1 token/s: each stream lasts ~2 min, so every one is still open when the last one starts.
  // One simulator per 200 streams: Portal's upstream client keeps at most 256 connections per origin.
  const sims = await Promise.all(
    Array.from({ length: Math.ceil(count / 200) }, () => startSim(bin, { tokensPerSecond: 1 })),
  );
  const portal = await startPortalProcess(
    bin,
    sims.map((s) => s.url),
    database
      ? { name: 'redis', databaseUrl: database.url, redisUrl: process.env.REDIS_URL }
      : { name: 'memory' },
  );
  try {
    await checkOnce(spec({ url: portal.url, key: portal.key, model: 'oss-20b', portal: true }, false, 1, 1));
    const result = await holdStreams({
      url: portal.url,
      key: portal.key,
      model: 'oss-20b',
      count,
      server: portal.child,
    });
    return streamsLine(result, count, mode);
  } finally {
    await portal.close();
    for (const sim of sims) await sim.child.stop();
    await database?.drop();
  }
}

async function profileRun(bin: string, simUrl: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-cpu-'));
  const redis = args['profile-mode'] === 'redis';
  const connections = Number(args['profile-connections']);
  if (redis && !(process.env.DATABASE_URL && process.env.REDIS_URL))
    return 'profile in redis mode skipped: set DATABASE_URL and REDIS_URL';
  const database = redis ? await createTestDatabase('portal_bench') : undefined;
  const mode: PortalMode = database
    ? { name: 'redis', databaseUrl: database.url, redisUrl: process.env.REDIS_URL }
    : { name: 'memory' };
  // On the fixed-reply upstream when it is selected: the profile then holds Portal's own work, not the wait.
  const fixed = upstreams.includes('fixed') ? await startFixedUpstream() : undefined;
  const upstream = UPSTREAM_LABEL[fixed ? 'fixed' : 'sim'];
  const portal = await startPortalProcess(bin, simUrl, mode, {
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    fixedUrl: fixed?.url,
  });
  try {
    const t = { url: portal.url, key: portal.key, model: fixed ? 'oss-120b' : 'oss-20b', portal: true };
    for (const stream of [false, true]) await measure(spec(t, stream, connections, seconds));
  } finally {
    await portal.close();
    await fixed?.child.stop();
    await database?.drop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return 'no CPU profile was written';
  const window = (2 * seconds + 1) * 1_000; // the two loads (and shutdown), not the start-up
  return `Portal (${mode.name} mode, ${upstream}) under ${connections} connection(s), non-streamed then streamed, last ${window / 1000} s.\n${formatProfile(summariseProfile(join(dir, file), 25, window))}\n(profile: ${join(dir, file)})`;
}

const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

async function main() {
  const bin = buildPortal({ skip: args['skip-build'] });
  const sim = await startSim(bin);
  const loadBefore = loadavg();
  const out: string[] = [];
  const verdicts: Verdict[] = [];
  try {
    if (!args['no-load']) {
      const { cells, rows } = await loadCells(bin, sim);
      const table = buildTable(cells, rows);
      out.push(table.markdown);
      verdicts.push(...table.verdicts);
    }
    if (args.profile) out.push('```', await profileRun(bin, sim.url), '```');
  } finally {
    await sim.child.stop();
  }
  if (!args['no-rss']) {
    const modes = args['rss-modes'].split(',');
    if (modes.includes('memory')) verdicts.push(await streamsRss(bin, Number(args.streams), 'memory'));
    if (modes.includes('redis') && process.env.DATABASE_URL && process.env.REDIS_URL)
      verdicts.push(await streamsRss(bin, Number(args.streams), 'redis'));
  }
  out.push('', ...verdicts.map((v) => `- ${v.ok ? 'met' : 'MISSED'}: ${v.text}`));
  out.push(
    '',
    `${new Date().toISOString()}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ` +
      `${seconds} s per cell, ${runs} run(s); load average (1/5/15 min) before ${fmtLoad(loadBefore)}, after ${fmtLoad(loadavg())}`,
  );
  const report = out.join('\n');
  console.log(`\n${report}`);
  mkdirSync(join(REPO, 'bench/results'), { recursive: true });
  const file = join(REPO, `bench/results/gateway-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  writeFileSync(file, `${report}\n`);
  console.log(`\nwritten to ${file}`);
}

// Ctrl-C or a time-out: exit through 'exit', which stops every child process (see lib/procs.ts).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
await main();
process.exit(0);
