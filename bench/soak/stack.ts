/**
 * The soak's fleet: a private PostgreSQL (optionally behind PgBouncer in transaction mode), a private Redis,
 * three router simulators in two pools, three `portal serve` processes and the balancer — every service the
 * faults stop is one this run started (test/support/private-services.ts), never a shared one.
 */
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startPgBouncer,
  startPrivatePostgres,
  startPrivateRedis,
  type PrivateService,
} from '#test/support/private-services.js';
import { startPortalProcess, writeConfig, type PortalProcess } from '#test/support/processes.js';
import { startSimulator, type RunningSimulator } from '#src/inference/simulator/server.js';
import { startBalancer, type Balancer } from './balancer.js';

export const ADMIN_TOKEN = 'soak-admin-token-0123456789abcdef0123';
export const SIM_KEY = 'soak-sim-key';
/** Window of every rate limit in the soak (short, so a run sees many windows). */
export const WINDOW_MS = 10_000;
export const LOCAL_SHARE = 0.34;
export const SIM_DEFAULTS = { ttftMs: 40, tokensPerSecond: 400, outputTokens: 24 } as const;

export interface Stack {
  pg: PrivateService;
  bouncer?: PrivateService;
  redis: PrivateService;
  sims: RunningSimulator[];
  portals: Array<PortalProcess | null>;
  balancer: Balancer;
  /** Starts instance i again on its port and data dir. */
  restartPortal(i: number): Promise<void>;
  /** Bytes in instance i's spool files. */
  spoolBytes(i: number): number;
  close(): Promise<void>;
}

export async function startStack(options: { pgbouncer: boolean }): Promise<Stack> {
  const [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  const bouncer = options.pgbouncer ? await startPgBouncer({ postgres: pg, poolSize: 20 }) : undefined;
  const sims = await Promise.all(
    [0, 1, 2].map(() =>
      startSimulator({ host: '127.0.0.1', port: 0, options: { apiKey: SIM_KEY, ...SIM_DEFAULTS } }),
    ),
  );
  const router = (id: string, sim: RunningSimulator) => ({
    id,
    url: sim.url,
    apiKeyEnv: 'PORTAL_TEST_SIM_KEY',
    dedicatedSessions: [1, 2, 3, 4],
  });
  const config = writeConfig({
    pools: [
      {
        id: 'pool-a',
        kind: 'cortensor',
        models: ['oss-20b', 'gemma4'],
        routers: [router('r1', sims[0]!), router('r2', sims[1]!)],
      },
      { id: 'pool-b', kind: 'cortensor', models: ['qwen', 'oss-120b'], routers: [router('r3', sims[2]!)] },
    ],
    gateway: { rateWindowMs: WINDOW_MS },
    redis: { localShare: LOCAL_SHARE },
  });
  const env: Record<string, string> = {
    DATABASE_URL: bouncer ? bouncer.url : pg.url,
    REDIS_URL: redis.url,
    PORTAL_CONFIG: config,
    PORTAL_ADMIN_TOKEN: ADMIN_TOKEN,
    PORTAL_TEST_SIM_KEY: SIM_KEY,
    LOG_LEVEL: 'error',
  };
  if (bouncer) env.DATABASE_DIRECT_URL = pg.url;
  const first = await startPortalProcess(env); // migrates
  const portals: Array<PortalProcess | null> = [
    first,
    ...(await Promise.all([startPortalProcess(env), startPortalProcess(env)])),
  ];
  const balancer = await startBalancer(portals.map((p) => p?.port ?? null));
  const placesOf = portals.map((p) => ({ port: p!.port, dataDir: p!.dataDir }));

  return {
    pg,
    bouncer,
    redis,
    sims,
    portals,
    balancer,
    async restartPortal(i) {
      const place = placesOf[i]!;
      // PostgreSQL may be down right now (a fault in progress elsewhere is not scheduled, but be patient).
      for (let attempt = 0; ; attempt++) {
        try {
          portals[i] = await startPortalProcess(env, 60_000, place);
          break;
        } catch (err) {
          if (attempt >= 5) throw err;
          await new Promise((r) => setTimeout(r, 2_000));
        }
      }
      balancer.setBackend(i, place.port);
    },
    spoolBytes(i) {
      const dir = join(placesOf[i]!.dataDir, 'spool');
      try {
        return readdirSync(dir)
          .filter((f) => f.endsWith('.spool'))
          .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
      } catch {
        return 0;
      }
    },
    async close() {
      await balancer.close();
      await Promise.all(portals.map((p) => p?.stop()));
      await Promise.all(sims.map((s) => s.close()));
      await bouncer?.destroy();
      await Promise.all([redis.destroy(), pg.destroy()]);
    },
  };
}

/** RSS (kB) and open file descriptors of a process, from /proc; undefined when it is gone. */
export function procStats(pid: number | undefined): { rssKb: number; fds: number } | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    return { rssKb: Number(rss ?? 0), fds };
  } catch {
    return undefined;
  }
}
