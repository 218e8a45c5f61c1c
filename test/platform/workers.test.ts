/**
 * `portal serve --workers 2` (node:cluster) on PostgreSQL and Redis: both workers answer on one port, a key's
 * limit stays exact across them, a worker that dies is replaced, and SIGTERM to the primary drains a stream in
 * flight and stops every worker. In memory mode the command refuses to start and says why.
 * Workers are told apart by the `worker`/`pid` fields of their request log lines.
 */
import { spawn } from 'node:child_process';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '#test/support/services.js';
import { createTestDatabase, type TestDatabase } from '#test/support/store.js';
import { startPortalProcess, writeConfig, type PortalProcess } from '#test/support/processes.js';
import { simPoolConfig, ADMIN_TOKEN, remote } from '#test/support/harness.js';
import { chatBody } from '#test/support/http.js';
import { createAccount } from '#test/support/fixtures.js';
import { openStore, type Store } from '#src/platform/store/db.js';
import { startSimulator, type RunningSimulator } from '#src/inference/simulator/server.js';

const SIM_KEY = 'workers-sim-key';
const BIN = new URL('../../bin/portal', import.meta.url).pathname;

interface LogLine {
  msg?: string;
  worker?: number;
  pid?: number;
  route?: string;
  status?: number;
}

function logLines(output: string): LogLine[] {
  return output.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** pid of every worker that logged a /v1 request since `from` (an offset into the output). */
/**
 * The pids that served /v1 requests, from the access lines. An access line without a pid fails the test here:
 * it once mapped to -1, and `process.kill(-1, 'SIGKILL')` below then killed every process on the machine.
 */
function workersServing(p: PortalProcess, from = 0): Set<number> {
  const lines = logLines(p.output().slice(from)).filter(
    (l) => l.msg === 'request' && l.route?.startsWith('/v1'),
  );
  const pids = lines.map((l) => l.pid);
  expect(
    pids.every((pid) => Number.isInteger(pid) && (pid as number) > 1),
    'every access line names its worker',
  ).toBe(true);
  return new Set(pids as number[]);
}

describeWith(['postgres', 'redis'], 'portal serve --workers 2 on PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let store: Store;
  let sim: RunningSimulator;
  let portal: PortalProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startSimulator({ host: '127.0.0.1', port: 0, options: { apiKey: SIM_KEY } });
    const config = writeConfig({ pools: [simPoolConfig(sim.url)], server: { shutdownGraceMs: 5_000 } });
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL!,
      PORTAL_CONFIG: config,
      PORTAL_ADMIN_TOKEN: ADMIN_TOKEN,
      PORTAL_TEST_SIM_KEY: SIM_KEY,
      LOG_LEVEL: 'info',
    };
    portal = await startPortalProcess(env, 90_000, { args: ['--workers', '2'] });
    store = await openStore({ databaseUrl: db.url, dataDir: '.unused' });
  }, 120_000);

  afterAll(async () => {
    await portal?.stop('SIGKILL');
    await store?.close();
    await sim?.close();
    await db?.drop();
  });

  /** A chat completion on a connection of its own: the primary hands each new connection to the next worker. */
  const call = async (key: string) => {
    const dispatcher = new Agent({ pipelining: 0 });
    try {
      const res = await fetch(`${portal.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(chatBody()),
        dispatcher,
      });
      await res.arrayBuffer();
      return res;
    } finally {
      await dispatcher.close();
    }
  };

  it('a limit of 6 admits exactly 6 of 7 concurrent requests spread over both workers', async () => {
    // Both workers must be listening before the burst is meant to spread (the second may start later).
    await expect
      .poll(
        async () => {
          const { key } = await createAccount(store);
          await Promise.all(Array.from({ length: 6 }, () => call(key)));
          return workersServing(portal).size;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(2);
    for (let round = 0; round < 3; round++) {
      const { key } = await createAccount(store, { key: { requestsPerMinute: 6 } });
      const from = portal.output().length;
      const statuses = await Promise.all(Array.from({ length: 7 }, () => call(key).then((r) => r.status)));
      expect(statuses.filter((s) => s === 200)).toHaveLength(6);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
      if (workersServing(portal, from).size === 2) return;
    }
    throw new Error('three bursts never reached both workers');
  });

  it(
    'a worker killed with SIGKILL is replaced and the port keeps answering',
    { timeout: 90_000 },
    async () => {
      const before = workersServing(portal);
      const victim = [...before][0]!;
      // A worker's own pid, never 0 or -1 (a process group, or every process): those are not workers.
      expect(victim).toBeGreaterThan(1);
      expect(victim).not.toBe(portal.child.pid);
      const from = portal.output().length;
      process.kill(victim, 'SIGKILL');
      await expect
        .poll(
          () => logLines(portal.output().slice(from)).some((l) => l.msg === 'worker exited; restarting'),
          {
            timeout: 5_000,
          },
        )
        .toBe(true);
      const { key } = await createAccount(store);
      try {
        await expect
          .poll(
            async () => {
              await Promise.all(Array.from({ length: 6 }, () => call(key)));
              // The replacement is the worker that started listening after the kill. (Not "the victim is
              // absent": its last access lines can still be in the pipe when `from` is taken.)
              const replacement = logLines(portal.output().slice(from)).find(
                (l) => l.msg === 'portal listening' && l.pid !== victim,
              )?.pid;
              const now = workersServing(portal, from);
              const survivorServed = [...now].some((pid) => pid !== victim && pid !== replacement);
              return replacement !== undefined && now.has(replacement) && survivorServed;
            },
            { timeout: 60_000, interval: 300 },
          )
          .toBe(true);
      } catch (err) {
        // What the primary and the workers said since the kill (not the access lines): why no replacement served.
        const said = logLines(portal.output().slice(from)).filter((l) => l.msg !== 'request');
        said.push({
          msg: `victim ${victim}; served /v1 since the kill: ${[...workersServing(portal, from)].join(', ')}`,
        });
        throw new Error(
          `${(err as Error).message}\n${JSON.stringify(said.slice(-30), null, 1).slice(0, 6_000)}`,
          { cause: err },
        );
      }
    },
  );

  it('SIGTERM to the primary lets a stream in flight finish, then every worker and the primary exit 0', async () => {
    const { key } = await createAccount(store);
    sim.configure({ ttftMs: 0, tokensPerSecond: 20, outputTokens: 30 });
    const workerPids = [...workersServing(portal)];
    const res = await remote(portal.url)
      .as(key)
      .post('/v1/chat/completions', chatBody({ stream: true }));
    expect(res.status).toBe(200);
    const body = res.text();
    await new Promise((r) => setTimeout(r, 200));
    const exited = portal.stop('SIGTERM');
    const text = await body;
    expect(text).toContain('data: [DONE]');
    expect(await exited).toBe(0);
    for (const pid of workerPids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

it('--workers 2 in memory mode refuses to start and says why', async () => {
  const child = spawn(process.execPath, [BIN, 'serve', '--workers', '2', '--port', '0'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      REDIS_URL: '',
      PORTAL_ADMIN_TOKEN: ADMIN_TOKEN,
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(output).toMatch(/--workers 2 needs DATABASE_URL \(database\.url\) and REDIS_URL/);
  expect(output).toMatch(/limiter/);
  expect(output).toMatch(/PGlite database has a single\s+writer/);
});
