/**
 * Embedded memory and start (issue 16 C). What `npm start` does — `node bin/portal serve`, no config file,
 * NODE_ENV unset, the demo pool — on a fresh data dir:
 *   first start: time from spawn to /readyz 200, then idle RSS of the process tree (max of samples over
 *   `--idle` seconds, after a few requests so the request path is loaded too);
 *   restart on the same data dir: time to ready and idle RSS again.
 * With DATABASE_URL the same on a fresh PostgreSQL database (and REDIS_URL when set).
 * RSS is VmRSS summed over the process and its descendants (/proc).
 *
 * Run: `npx tsx bench/memory.ts [--modes pglite,postgres] [--idle 5] [--restarts 2] [--node-args "..."] [--skip-build]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { buildPortal } from './lib/build.js';
import { freePort } from './lib/procs.js';
import { treeRss } from './lib/tree.js';
import { createTestDatabase } from '../test/support/store.js';

const { values: args } = parseArgs({
  options: {
    modes: { type: 'string', default: 'pglite,postgres' },
    idle: { type: 'string', default: '5' },
    restarts: { type: 'string', default: '2' },
    'node-args': { type: 'string', default: '' },
    'skip-build': { type: 'boolean', default: false },
  },
});

const ADMIN = 'bench-admin-token-0123456789abcdef';
const MB = 2 ** 20;

interface Start {
  readyMs: number;
  idleRssMb: number;
}

async function waitReady(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One start on `dataDir`: time to ready, a few requests, idle RSS; then SIGTERM. */
async function startOnce(bin: string, dataDir: string, env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nodeArgs = args['node-args'] ? args['node-args'].split(' ') : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, bin, 'serve'], {
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-3_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitReady(url),
      exited.then(() => Promise.reject(new Error(`portal exited: ${stderr}`))),
    ]);
    const readyMs = performance.now() - started;
    // Touch the dashboard, the docs, the admin API and one completion, as a first user would.
    for (const path of ['/', '/docs/quickstart', '/v1/models'])
      await fetch(`${url}${path}`).then((r) => r.arrayBuffer());
    await fetch(`${url}/admin/api/orgs`, { headers: { authorization: `Bearer ${ADMIN}` } }).then((r) =>
      r.arrayBuffer(),
    );
    let peak = 0;
    const until = Date.now() + Number(args.idle) * 1000;
    while (Date.now() < until) {
      peak = Math.max(peak, treeRss(child.pid!));
      await new Promise((r) => setTimeout(r, 250));
    }
    return { readyMs, idleRssMb: peak / MB };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

async function measureMode(bin: string, mode: string): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), `portal-memory-${mode}-`));
  const database = mode === 'postgres' ? await createTestDatabase('portal_bench') : undefined;
  const env: Record<string, string> = {
    PORTAL_DATA_DIR: dataDir,
    PORTAL_ADMIN_TOKEN: ADMIN,
    LOG_LEVEL: 'warn',
  };
  if (database) env.DATABASE_URL = database.url;
  if (database && process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
  const rows: string[] = [];
  try {
    for (let i = 0; i <= Number(args.restarts); i++) {
      const s = await startOnce(bin, dataDir, env);
      const what = i === 0 ? 'first start (fresh data dir)' : `restart ${i}`;
      rows.push(`| ${mode} | ${what} | ${(s.readyMs / 1000).toFixed(2)} | ${s.idleRssMb.toFixed(0)} |`);
      console.log(rows.at(-1));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
  return rows;
}

async function main() {
  const bin = buildPortal({ skip: args['skip-build'] });
  const before = loadavg();
  const rows: string[] = [];
  for (const mode of args.modes.split(',')) {
    if (mode === 'postgres' && !process.env.DATABASE_URL) {
      console.log('SKIPPED postgres mode: DATABASE_URL is not set');
      continue;
    }
    rows.push(...(await measureMode(bin, mode)));
  }
  const fmt = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  console.log(
    [
      '',
      `node ${args['node-args'] || '(no flags)'} bin/portal serve; idle RSS = max over ${args.idle} s of the process tree's VmRSS`,
      `load average (1/5/15 min) before ${fmt(before)}, after ${fmt(loadavg())}`,
      '',
      '| store | start | ready s | idle RSS MB |',
      '| ----- | ----- | ------- | ----------- |',
      ...rows,
    ].join('\n'),
  );
}

await main();
