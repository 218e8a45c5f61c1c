/**
 * What metering costs in memory mode, where PGlite runs on the event loop: one `writeBatch` (the statement the
 * metering writer sends: usage events with their rollups, and a request log per event) of N requests, on a
 * fresh PGlite data dir with Portal's migrations, in ms per batch and µs of this process's CPU per request.
 *
 *   npx tsx bench/pglite-metering.ts [--sizes 25,100,300,700,2000] [--rounds 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newId } from '#src/platform/ids.js';
import { toEventRow, toLogRow, type Batch } from '#src/platform/metering/rows.js';
import type { UsageEvent } from '#src/platform/metering/types.js';
import { writeBatch } from '#src/platform/metering/write-batch.js';
import { openStore } from '#src/platform/store/db.js';
import { migrate } from '#src/platform/store/migrate.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '25,100,300,700,2000' },
    rounds: { type: 'string', default: '2' },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const ROUNDS = Number(values.rounds);

const dir = mkdtempSync(join(tmpdir(), 'portal-bench-pglite-'));
const store = await openStore({ dataDir: dir });
let i = 0;
function event(): UsageEvent {
  i++;
  return {
    id: newId('evt'),
    requestId: `req_${i}`,
    occurredAt: new Date(),
    orgId: `org_${i % 5}`,
    keyId: `key_${i % 5}`,
    modelId: 'oss-120b',
    poolId: 'bench-fixed',
    routerId: 'fixed-openai-1',
    endpoint: '/v1/chat/completions',
    stream: true,
    status: 200,
    errorCode: null,
    inputTokens: 17,
    outputTokens: 32,
    tokensSource: 'upstream',
    latencyMs: 3,
    ttftMs: 1,
    costMicros: 7,
  };
}

try {
  await migrate(store);
  for (let o = 0; o < 5; o++)
    await store.query('insert into organizations (id, name) values ($1, $1)', [`org_${o}`]);
  for (let round = 0; round < ROUNDS; round++)
    for (const size of SIZES) {
      const batches = Math.max(3, Math.round(6_000 / size));
      let ms = 0;
      let cpuUs = 0;
      for (let b = 0; b < batches; b++) {
        const events = Array.from({ length: size }, event);
        const batch: Batch = {
          events: events.map(toEventRow),
          logs: events.map((e) => toLogRow({ ...e, method: 'POST', clientIpHash: 'h' })),
        };
        const cpu = process.cpuUsage();
        const started = performance.now();
        await writeBatch(store.query, batch);
        ms += performance.now() - started;
        const used = process.cpuUsage(cpu);
        cpuUs += used.user + used.system;
      }
      console.log(
        `round ${round + 1}, batch ${size}: ${(ms / batches).toFixed(1)} ms per batch, ${(cpuUs / batches / size).toFixed(1)} µs CPU per request`,
      );
    }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
