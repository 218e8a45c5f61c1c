/**
 * Seeds one organization with N usage events (default 5 million) spread over the last D days, with their
 * hour and day rollups, for the usage API benchmark. Raw events are generated in PostgreSQL itself
 * (generate_series, in chunks); the rollups are then built from them with the same bucketing as the writer.
 * Idempotent per org: an org that already holds N events is left alone.
 * Run: `DATABASE_URL=postgres://… npx tsx scripts/seed-usage.ts [--org org_usage_bench] [--events 5000000]
 *       [--days 30] [--keys 10]`
 */
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    org: { type: 'string', default: 'org_usage_bench' },
    events: { type: 'string', default: '5000000' },
    days: { type: 'string', default: '30' },
    keys: { type: 'string', default: '10' },
    chunk: { type: 'string', default: '250000' },
  },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL (the database must be migrated: portal migrate)');
const org = values.org!;
const total = Number(values.events);
const days = Number(values.days);
const keys = Number(values.keys);
const chunk = Number(values.chunk);

const client = new pg.Client({ connectionString: url });
await client.connect();
const started = Date.now();
try {
  await client.query(
    `insert into organizations (id, name) values ($1, 'Usage benchmark') on conflict do nothing`,
    [org],
  );
  for (let k = 0; k < keys; k++)
    await client.query(
      `insert into api_keys (id, org_id, name, key_hash, display_prefix, last_four)
       values ($1, $2, $3, $4, 'ptl_seed', '0000') on conflict do nothing`,
      [`key_${org}_${k}`, org, `Seed key ${k + 1}`, `seed-${org}-${k}`],
    );
  const [{ n: existing }] = (
    await client.query<{ n: number }>('select count(*)::int as n from usage_events where org_id = $1', [org])
  ).rows as [{ n: number }];
  if (existing >= total) {
    console.log(`${org} already has ${existing} events: nothing to do`);
  } else {
    for (let from = existing; from < total; from += chunk) {
      const to = Math.min(total, from + chunk) - 1;
      await client.query(
        `insert into usage_events (id, request_id, occurred_at, org_id, key_id, model_id, pool_id, router_id,
           endpoint, stream, status, input_tokens, output_tokens, tokens_source, latency_ms, ttft_ms, cost_micros)
         select 'evt_seed_' || $1 || '_' || g, 'req_seed_' || $1 || '_' || g,
           now() - ($4 * interval '1 day') * random(), $1, 'key_' || $1 || '_' || (g % $5),
           (array['oss-20b', 'oss-120b', 'gemma4', 'qwen'])[1 + (g / 7) % 4], 'pool_demo', 'router_demo',
           '/v1/chat/completions', g % 3 = 0, case when g % 50 = 0 then 502 else 200 end,
           50 + g % 900, 20 + g % 700, 'upstream', 300 + g % 2000, 80 + g % 400, 30 + g % 400
         from generate_series($2::bigint, $3::bigint) as g`,
        [org, from, to, days, keys],
      );
      console.log(`  events ${to + 1} / ${total} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    await client.query('delete from usage_rollups where org_id = $1', [org]);
    await client.query(
      `insert into usage_rollups (granularity, bucket_start, org_id, key_id, model_id, requests, errors,
         input_tokens, output_tokens, cost_micros)
       select g.granularity, date_trunc(g.granularity, e.occurred_at, 'UTC'), e.org_id, e.key_id, e.model_id,
         count(*), count(*) filter (where e.status >= 400 or e.error_code is not null), sum(e.input_tokens),
         sum(e.output_tokens), sum(e.cost_micros)
       from usage_events e cross join (values ('hour'), ('day')) as g(granularity)
       where e.org_id = $1
       group by 1, 2, 3, 4, 5`,
      [org],
    );
    await client.query('analyze usage_events');
    await client.query('analyze usage_rollups');
  }
  const [{ events, rollups }] = (
    await client.query(
      `select (select count(*) from usage_events where org_id = $1)::int as events,
              (select count(*) from usage_rollups where org_id = $1)::int as rollups`,
      [org],
    )
  ).rows as [{ events: number; rollups: number }];
  console.log(
    `${org}: ${events} usage events, ${rollups} rollup rows (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
} finally {
  await client.end();
}
