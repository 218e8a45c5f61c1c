import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config/load.js';
import { startPortal } from '../../server.js';
import type { Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run Portal (dashboard, account API, admin API and the /v1 gateway)',
  usage: `portal serve [--config FILE] [--port N]

Starts Portal. Without DATABASE_URL it uses embedded Postgres (PGlite) in the data dir (./.portal);
without REDIS_URL, in-memory limits; without configured pools, a demo pool served by the router simulator.

Options:
  --config FILE   JSON or YAML config (also PORTAL_CONFIG)
  --port N        listen port (also PORT; default 8080)

Environment: PORT, HOST, DATABASE_URL, REDIS_URL, PORTAL_DATA_DIR, PORTAL_ADMIN_TOKEN, PORTAL_AUTH_SECRET, LOG_LEVEL`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, port: { type: 'string' } },
    });
    const config = loadConfig({
      file: values.config,
      env: values.port ? { ...process.env, PORT: values.port } : process.env,
    });
    const portal = await startPortal(config);
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
