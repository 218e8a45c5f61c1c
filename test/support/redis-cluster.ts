/**
 * A private three-node Redis Cluster for the suites that must show Portal runs on one unchanged: three
 * `redis-server --cluster-enabled yes` processes on free ports in a temp dir (no persistence), joined with
 * `redis-cli --cluster create … --cluster-replicas 0`, ready once every node reports `cluster_state:ok`.
 * Stopped (and the dir removed) by `stop()`; whatever is still running when the test process exits is killed.
 *
 *   const cluster = useRedisCluster();                    // beforeAll / afterAll registered
 *   usePortal(() => ({ config: { redis: { cluster: cluster.urls } } }));
 *
 * Gate suites with `describeWith(['redis-cluster'], …)`: PORTAL_REQUIRE_SERVICES=1 makes a missing
 * redis-server a failure.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './processes.js';

const run = promisify(execFile);

export interface RedisCluster {
  /** `redis://127.0.0.1:<port>` of every node (all masters). */
  urls: string[];
  ports: number[];
  /** A connected cluster client for assertions (closed by stop()). */
  client(): Promise<Cluster>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A port whose cluster-bus port (+10000) is free too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    if (await isFree(port + 10_000)) return port;
  }
}

export async function startRedisCluster(nodes = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-redis-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < nodes; i++) {
      const port = await clusterPort();
      ports.push(port);
      children.push(startNode(port, dir));
    }
    await Promise.all(
      ports.map((p) =>
        waitFor(
          () => cli(p, 'ping'),
          (out) => out.trim() === 'PONG',
        ),
      ),
    );
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await Promise.all(
      ports.map((p) =>
        waitFor(
          () => cli(p, 'cluster', 'info'),
          (out) => out.includes('cluster_state:ok'),
        ),
      ),
    );
  } catch (err) {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const urls = ports.map((p) => `redis://127.0.0.1:${p}`);
  const clients: Cluster[] = [];
  return {
    urls,
    ports,
    async client() {
      const client = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
      clients.push(client);
      await new Promise((resolve, reject) => client.once('ready', resolve).once('error', reject));
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      await stopAll(children);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a cluster before the suite and stops it after; `.urls` etc. are read in tests and hooks. */
export function useRedisCluster(nodes = 3): RedisCluster {
  let current: RedisCluster | undefined;
  beforeAll(async () => {
    current = await startRedisCluster(nodes);
  }, 30_000);
  afterAll(async () => {
    await current?.stop();
    current = undefined;
  });
  return new Proxy({} as RedisCluster, {
    get(_target, prop) {
      if (!current) throw new Error(`useRedisCluster: not running (read .${String(prop)} in a test or hook)`);
      return current[prop as keyof RedisCluster];
    },
  });
}

function startNode(port: number, dir: string): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'];
  args.push('--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000');
  args.push('--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', `redis-${port}.log`);
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

async function waitFor(read: () => Promise<string>, ok: (out: string) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  let last: string;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() > deadline) throw new Error(`redis cluster not ready after ${ms} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}
