/**
 * Runs vitest with DATABASE_URL pointing through PgBouncer in transaction mode (as Supabase's pooler on port
 * 6543) in front of the DATABASE_URL's server: the suites create, migrate and use their databases through the
 * pooler. PgBouncer is a private instance in a temp dir (test/support/private-services.ts), stopped
 * afterwards (also on SIGINT / SIGTERM); the server is only proxied, never stopped.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=… \
 *     node --import tsx scripts/test-through-pgbouncer.ts test/metering/writeback.test.ts …
 */
import { spawnSync } from 'node:child_process';
import { startPgBouncer } from '#test/support/private-services.js';

const direct = process.env.DATABASE_URL;
if (!direct) {
  console.error('test-through-pgbouncer: DATABASE_URL is not set');
  process.exit(2);
}
// The exit hook of private-services.ts kills PgBouncer; signals must reach it too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const server = new URL(direct);
const bouncer = await startPgBouncer({ postgres: { port: Number(server.port || 5432) }, poolSize: 20 });
const pooled = new URL(bouncer.url);
pooled.pathname = server.pathname;
console.log(`test-through-pgbouncer: DATABASE_URL → PgBouncer (transaction mode) on port ${bouncer.port}`);
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: pooled.toString() },
});
await bouncer.destroy();
process.exit(result.status ?? 1);
