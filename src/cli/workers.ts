/**
 * `portal serve --workers N`: one primary process that forks N workers (node:cluster) which all listen on the
 * same port (the primary hands each new connection to the next worker, round-robin). The primary holds no
 * services and serves nothing; it restarts a worker that dies, and on SIGTERM/SIGINT tells every worker to
 * shut down gracefully (each drains its requests and streams, flushes metering and closes) and exits when all
 * have — forcing the stragglers only after their grace period and a margin.
 *
 * Workers share state only through PostgreSQL and Redis, which is why both are required: with the in-memory
 * limiter, bus and sign-in counters each worker would keep its own (a limit of N would admit N per worker, a
 * revoked key would stay valid in the other workers' caches), and the embedded PGlite database has a single
 * writer — a second process cannot open the data dir.
 */
import cluster, { type Worker } from 'node:cluster';
import type { PortalConfig } from '#src/platform/config/schema.js';
import type { Logger } from '#src/platform/log.js';
import { hasRedis } from '#src/platform/redis/client.js';
import { StartupError } from '#src/server.js';

/** Why `--workers` cannot run on this config, or null when it can. */
export function workersRefusal(config: PortalConfig, count: number): string | null {
  if (count <= 1) return null;
  const missing = [
    !config.database.url && 'DATABASE_URL (database.url)',
    !hasRedis(config.redis) && 'REDIS_URL (redis.url or redis.cluster)',
  ].filter(Boolean);
  if (!missing.length) return null;
  return [
    `--workers ${count} needs ${missing.join(' and ')}.`,
    'Workers share state only through PostgreSQL and Redis: in memory mode each worker would keep its own',
    'limiter, change bus and sign-in counters (a limit of N would admit N per worker; a key revoked through',
    "one worker would stay valid in the others' caches), and the embedded PGlite database has a single",
    'writer, so a second process cannot open the data dir. Set both, or run one process (no --workers).',
  ].join(' ');
}

/** Parses `--workers` / PORTAL_WORKERS: a whole number from 1 to 64; "auto" is one per CPU. */
export function parseWorkers(value: string | undefined, cpus: number): number {
  if (value === undefined || value === '') return 1;
  if (value === 'auto') return Math.max(1, cpus);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new StartupError(`--workers must be a whole number from 1 to 64 or "auto", got "${value}"`);
  return n;
}

/** This process's worker number (1-based) when it is a `--workers` worker, else null. */
export function workerId(): number | null {
  return cluster.isWorker ? Number(process.env.PORTAL_WORKER_ID ?? cluster.worker?.id ?? 0) : null;
}

export interface SuperviseOptions {
  count: number;
  log: Logger;
  /** Each worker's shutdown grace (server.shutdownGraceMs); the primary forces them after it plus a margin. */
  graceMs: number;
}

/** A worker that dies sooner than this after starting is restarted after a growing delay (crash loop). */
const HEALTHY_AFTER_MS = 10_000;
const FORCE_MARGIN_MS = 15_000;

/** Runs the primary until a signal: forks, restarts, and stops the workers. Resolves with the exit code. */
export function superviseWorkers({ count, log, graceMs }: SuperviseOptions): Promise<number> {
  const slots = new Map<number, { worker: Worker; startedAt: number; delayMs: number }>();
  let stopping = false;

  const fork = (id: number, delayMs: number) => {
    const worker = cluster.fork({ PORTAL_WORKER_ID: String(id) });
    slots.set(id, { worker, startedAt: Date.now(), delayMs });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      const slot = slots.get(id);
      const quick = slot && Date.now() - slot.startedAt < HEALTHY_AFTER_MS;
      const next = quick ? Math.min(Math.max(1_000, (slot.delayMs || 500) * 2), 30_000) : 0;
      log.error(
        { worker: id, pid: worker.process.pid, code, signal, restartInMs: next },
        'worker exited; restarting',
      );
      setTimeout(() => !stopping && fork(id, next), next).unref();
    });
  };
  for (let id = 1; id <= count; id++) fork(id, 0);
  log.info({ workers: count, pid: process.pid }, 'primary: workers started');

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'primary: stopping workers');
      const live = [...slots.values()].map((s) => s.worker).filter((w) => !w.isDead());
      const force = setTimeout(() => {
        for (const w of live) if (!w.isDead()) w.process.kill('SIGKILL');
      }, graceMs + FORCE_MARGIN_MS);
      void Promise.all(
        live.map((w) => {
          const exited = new Promise<void>((done) => w.once('exit', () => done()));
          w.process.kill('SIGTERM');
          return exited;
        }),
      ).then(() => {
        clearTimeout(force);
        log.info('primary: all workers stopped');
        resolve(0);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
