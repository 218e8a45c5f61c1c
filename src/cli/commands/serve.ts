import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '#src/platform/config/load.js';
import { StartupError, startPortal } from '#src/server.js';
import type { PortalConfig } from '#src/platform/config/schema.js';
import { secretFile } from '#src/platform/config/secret-file.js';
import { createLogger } from '#src/platform/log.js';
import { resolveAuthSecret } from '#src/product/auth/secret.js';
import type { Command } from '../command.js';
import { parseWorkers, superviseWorkers, workerId, workersRefusal } from '../workers.js';

/** Where `serve` keeps the admin token it generates outside production; the CLI reads it from there. */
export const ADMIN_TOKEN_FILE = 'admin-token';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run Portal (dashboard, account API, admin API and the /v1 gateway)',
  usage: `portal serve [--config FILE] [--port N] [--workers N]

Starts Portal. Without DATABASE_URL it uses embedded Postgres (PGlite) in the data dir (./.portal);
without REDIS_URL, in-memory limits; without configured pools, a demo pool served by the router simulator.

Options:
  --config FILE   JSON or YAML config (also PORTAL_CONFIG)
  --port N        listen port (also PORT; default 8080)
  --workers N     N worker processes sharing the port (also PORTAL_WORKERS; "auto" = one per CPU; default 1).
                  Needs DATABASE_URL and REDIS_URL: workers share limits, caches and data only through them.

Without PORTAL_ADMIN_TOKEN, and unless NODE_ENV=production, an admin token is generated into
<data dir>/admin-token (readable by its owner only), so the CLI's users and keys commands work as they are.

Environment: PORT, HOST, DATABASE_URL, DATABASE_DIRECT_URL (migrations only), REDIS_URL, PORTAL_DATA_DIR,
PORTAL_ADMIN_TOKEN, PORTAL_AUTH_SECRET, PORTAL_SUPPORT_URL, PORTAL_SUPPORT_EMAIL, LOG_LEVEL`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string' } },
    });
    const config = loadConfig({
      file: values.config,
      env: values.port ? { ...process.env, PORT: values.port } : process.env,
    });
    const workers = parseWorkers(values.workers ?? process.env.PORTAL_WORKERS, availableParallelism());
    const id = workerId();
    if (workers > 1 && id === null) return runPrimary(config, workers);
    const { config: served, generatedToken } = withAdminToken(config, process.env);
    const portal = await startPortal(served, {
      log: id === null ? undefined : createLogger().child({ worker: id, pid: process.pid }),
      // The spool's file sequence is per process: each worker writes (and replays) its own directory.
      spoolDir: id !== null && id > 1 ? join(served.dataDir, `spool-worker-${id}`) : undefined,
    });
    if (generatedToken)
      portal.services.log.info(
        { file: `${served.dataDir}/${ADMIN_TOKEN_FILE}` },
        'admin API on with a generated token (owner-only file; the CLI reads it); set PORTAL_ADMIN_TOKEN to choose one',
      );
    const onSignal = (signal: string) => {
      portal.services.log.info({ signal }, 'signal received');
      portal.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    // A stray rejection in background work (probes, flushes) is a bug to log, not a reason to drop the
    // in-flight requests and the metering queue with the process.
    process.on('unhandledRejection', (err) => portal.services.log.error({ err }, 'unhandled rejection'));
    return new Promise<number>(() => {}); // runs until a signal
  },
};

/**
 * The `--workers` primary: refuses memory mode with the reason, creates the generated secrets once (workers
 * starting together would each write a different one), then supervises the workers until a signal.
 */
async function runPrimary(config: PortalConfig, workers: number): Promise<number> {
  const refusal = workersRefusal(config, workers);
  if (refusal) throw new StartupError(refusal);
  const { config: served } = withAdminToken(config, process.env);
  resolveAuthSecret({ secret: served.auth.secret, dataDir: served.dataDir });
  return superviseWorkers({ count: workers, log: createLogger(), graceMs: served.server.shutdownGraceMs });
}

/**
 * Outside production a fresh `npm start` has no admin token, and the README's CLI commands would fail: one is
 * generated into the data dir instead (mode 0600). Production keeps "no token, no admin API".
 */
export function withAdminToken(
  config: PortalConfig,
  env: Record<string, string | undefined>,
): { config: PortalConfig; generatedToken: boolean } {
  if (config.admin.token || env.NODE_ENV === 'production') return { config, generatedToken: false };
  const token = secretFile({
    dataDir: config.dataDir,
    name: ADMIN_TOKEN_FILE,
    envHint: 'PORTAL_ADMIN_TOKEN',
  });
  return { config: { ...config, admin: { ...config.admin, token } }, generatedToken: true };
}
