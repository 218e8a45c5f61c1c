/**
 * Private PostgreSQL, Redis and PgBouncer instances that a test (or the soak) starts, stops, kills and starts
 * again by itself — never the shared ones on 5432 / 6379, which other suites and people use. Each lives in
 * its own temp dir on a free port and is torn down by `stop()` (and killed when the test process exits).
 *
 * Gating: `privateServicesAvailable()` says whether the binaries are installed; `describeWithPrivate()` skips a
 * suite without them, or fails it under PORTAL_REQUIRE_SERVICES=1 (as services.ts does for the shared ones).
 *
 * @example
 *   const pg = await startPrivatePostgres();            // pg.url → postgres://postgres@127.0.0.1:<port>/postgres
 *   const bouncer = await startPgBouncer({ postgres: pg }); // transaction mode, bouncer.url
 *   const redis = await startPrivateRedis();
 *   await redis.kill(); await redis.start();            // comes back empty (no persistence)
 *   await pg.stop(); await pg.start();                  // same port, same data
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import pg from 'pg';
import { freePort } from './processes.js';
import { requireServices } from './services.js';

const PG_BIN = process.env.PORTAL_PG_BIN ?? findPgBin();
const REDIS_SERVER = process.env.PORTAL_REDIS_SERVER ?? '/usr/bin/redis-server';
const PGBOUNCER = process.env.PORTAL_PGBOUNCER ?? '/usr/sbin/pgbouncer';

function findPgBin(): string {
  for (const v of ['17', '16', '15', '14']) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(`${dir}/postgres`)) return dir;
  }
  return '/usr/lib/postgresql/15/bin';
}

export type PrivateServiceName = 'postgres' | 'redis' | 'pgbouncer';

const binaries: Record<PrivateServiceName, string[]> = {
  postgres: [`${PG_BIN}/initdb`, `${PG_BIN}/postgres`],
  redis: [REDIS_SERVER],
  pgbouncer: [PGBOUNCER],
};

const installHint: Record<PrivateServiceName, string> = {
  postgres: 'apt-get install -y postgresql',
  redis: 'apt-get install -y redis-server',
  pgbouncer: 'apt-get install -y pgbouncer',
};

/** The names whose binaries are missing (PORTAL_REQUIRE_SERVICES=1 makes any missing one throw). */
export function missingPrivateServices(names: PrivateServiceName[]): string[] {
  const missing = names
    .filter((n) => binaries[n].some((b) => !existsSync(b)))
    .map((n) => `${n}: no ${binaries[n].join(' / ')} (${installHint[n]})`);
  if (missing.length && requireServices)
    throw new Error(`PORTAL_REQUIRE_SERVICES=1 but private services are missing: ${missing.join('; ')}`);
  return missing;
}

/** describe() that runs only when the private services' binaries are installed (see missingPrivateServices). */
export function describeWithPrivate(names: PrivateServiceName[], name: string, fn: () => void) {
  const missing = missingPrivateServices(names);
  if (missing.length) {
    console.warn(`SKIPPED "${name}" — ${missing.join('; ')}`);
    describe.skip(`${name} [skipped: ${missing.join('; ')}]`, fn);
  } else describe(name, fn);
}

// Whatever is still running when the process exits is killed (a failed test must not leave servers behind).
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** The uid/gid to run PostgreSQL / PgBouncer as: they refuse root, so root runs them as `postgres`. */
function serviceUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error('running as root needs a "postgres" user for private PostgreSQL / PgBouncer');
  return { uid, gid };
}

function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const user = serviceUser();
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

interface Supervised {
  child: ChildProcess | null;
  log: string;
}

function launch(state: Supervised, cmd: string, args: string[], asService: boolean) {
  const user = asService ? serviceUser() : undefined;
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const keep = (d: Buffer) => {
    state.log = (state.log + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  state.child = child;
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function until(what: string, ok: () => Promise<boolean>, state: Supervised, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok().catch(() => false)) return;
    const child = state.child;
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}): ${state.log}`);
    if (Date.now() > deadline) throw new Error(`${what} not ready in ${timeoutMs} ms: ${state.log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A service this test controls: `stop` (graceful), `kill` (SIGKILL), `start` again on the same port. */
export interface PrivateService {
  readonly port: number;
  readonly url: string;
  readonly pid: number | undefined;
  running(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the process stays, its sockets stop answering (a hung service). */
  pause(): void;
  resume(): void;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
  log(): string;
}

function supervised(
  name: string,
  port: number,
  url: string,
  launchIt: (state: Supervised) => ChildProcess,
  ready: () => Promise<boolean>,
  stopSignal: NodeJS.Signals,
  dir: string,
): PrivateService {
  const state: Supervised = { child: null, log: '' };
  const isRunning = () => Boolean(state.child && state.child.exitCode === null && !state.child.signalCode);
  const signal = async (sig: NodeJS.Signals) => {
    const child = state.child;
    if (!child || !isRunning()) return;
    child.kill('SIGCONT');
    child.kill(sig);
    await exited(child);
  };
  const service: PrivateService = {
    port,
    url,
    get pid() {
      return state.child?.pid;
    },
    running: isRunning,
    async start() {
      if (isRunning()) return;
      launchIt(state);
      await until(name, ready, state);
    },
    stop: () => signal(stopSignal),
    kill: () => signal('SIGKILL'),
    pause: () => void state.child?.kill('SIGSTOP'),
    resume: () => void state.child?.kill('SIGCONT'),
    async destroy() {
      await signal(stopSignal);
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => state.log,
  };
  return service;
}

/** A private PostgreSQL cluster (trust auth, user `postgres`) in a temp dir. */
export async function startPrivatePostgres(): Promise<PrivateService> {
  const dir = ownedTempDir('portal-pg-');
  const data = join(dir, 'data');
  const user = serviceUser();
  const init = spawnSync(
    `${PG_BIN}/initdb`,
    ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'],
    { encoding: 'utf8', ...(user ?? {}) },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const args = ['-D', data, '-p', String(port), '-k', dir, '-h', '127.0.0.1'];
  // fsync off: these clusters are thrown away; max_connections covers three instances and PgBouncer.
  args.push('-c', 'fsync=off', '-c', 'max_connections=200', '-c', 'shared_buffers=32MB');
  const ready = () => answersQuery(url);
  // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, nothing is lost.
  const service = supervised(
    'private PostgreSQL',
    port,
    url,
    (s) => launch(s, `${PG_BIN}/postgres`, args, true),
    ready,
    'SIGINT',
    dir,
  );
  await service.start();
  return service;
}

/** A private Redis that keeps nothing on disk: after kill() + start() it is empty. */
export async function startPrivateRedis(): Promise<PrivateService> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir, '--daemonize', 'no');
  const ready = async () => {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', timeout: 2_000 });
    return ping.stdout.trim() === 'PONG';
  };
  const service = supervised(
    'private Redis',
    port,
    url,
    (s) => launch(s, REDIS_SERVER, args, false),
    ready,
    'SIGTERM',
    dir,
  );
  await service.start();
  return service;
}

export interface PgBouncerOptions {
  postgres: { port: number };
  /** 'transaction' (Supabase's pooler on 6543) unless told otherwise. */
  poolMode?: 'transaction' | 'session';
  poolSize?: number;
}

/** PgBouncer in front of a private PostgreSQL; url points at the `postgres` database through it. */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PrivateService> {
  const dir = ownedTempDir('portal-pgbouncer-');
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const users = join(dir, 'userlist.txt');
  writeFileSync(users, '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=127.0.0.1 port=${options.postgres.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${users}`,
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 20}`,
      'max_client_conn = 1000',
      // node-postgres sends these at startup; PgBouncer refuses unknown startup parameters otherwise.
      'ignore_startup_parameters = extra_float_digits,options,application_name',
      'server_reset_query = DISCARD ALL',
      // After a failed server login (PostgreSQL down) PgBouncer waits server_login_retry before trying again:
      // 15 s by default, so every query failed for up to 15 s after PostgreSQL was back (issue #17's 5xx
      // tail; test/platform/store-recovers-after-postgres-restart.test.ts). Deployments: set it low too.
      'server_login_retry = 1',
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
  );
  const user = serviceUser();
  if (user) for (const f of [ini, users]) chownSync(f, user.uid, user.gid);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ready = () => answersQuery(url);
  const service = supervised(
    'PgBouncer',
    port,
    url,
    (s) => launch(s, PGBOUNCER, [ini], true),
    ready,
    'SIGINT',
    dir,
  );
  await service.start();
  return service;
}

/** Creates a database on a private PostgreSQL (connect through `direct`, name it in URLs of either). */
export async function createPrivateDatabase(direct: PrivateService, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: direct.url });
  await c.connect();
  try {
    await c.query(`create database ${name}`);
  } finally {
    await c.end();
  }
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Whether a PostgreSQL (or a pooler in front of one) at `url` answers a query now. */
async function answersQuery(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } finally {
    await c.end().catch(() => undefined);
  }
}
