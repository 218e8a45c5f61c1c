/** Shared helpers of the metering suites: event factories, org seeding, raw-vs-rollup comparison. */
import { newId } from '#src/platform/ids.js';
import type { Query } from '#src/platform/store/db.js';
import type { RequestLog, UsageEvent } from '#src/platform/metering/types.js';

/** The fields a usage event and a request log of one request share. */
function requestFields() {
  return {
    occurredAt: new Date(),
    orgId: 'org_a',
    keyId: 'key_a',
    modelId: 'oss-20b',
    poolId: 'pool_1',
    routerId: 'router_1',
    endpoint: '/v1/chat/completions',
    stream: false,
    status: 200,
    errorCode: null,
    inputTokens: 10,
    outputTokens: 20,
    latencyMs: 42,
    ttftMs: 7,
  };
}

export function usageEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    ...requestFields(),
    id: newId('evt'),
    requestId: overrides.requestId ?? newId('req'),
    tokensSource: 'upstream',
    costMicros: 5,
    ...overrides,
  };
}

export function requestLog(overrides: Partial<RequestLog> = {}): RequestLog {
  return { ...requestFields(), requestId: newId('req'), method: 'POST', clientIpHash: 'abc', ...overrides };
}

/** An organization, optionally subscribed to a plan (the plans come from seedCatalog or are inserted here). */
export async function seedOrg(
  query: Query,
  orgId: string,
  options: { planId?: string; logBodies?: boolean } = {},
): Promise<void> {
  await query(
    `insert into organizations (id, name, log_bodies) values ($1, $1, $2) on conflict (id) do nothing`,
    [orgId, options.logBodies ?? false],
  );
  if (options.planId) {
    await query(
      `insert into plans (id, name, kind, max_active_keys) values ($1, $1, $2, 5) on conflict (id) do nothing`,
      [options.planId, options.planId === 'credits' ? 'credits' : 'free'],
    );
    await query(`insert into plan_subscriptions (id, org_id, plan_id) values ($1, $2, $3)`, [
      newId('sub'),
      orgId,
      options.planId,
    ]);
  }
}

/** Rows where the day/hour rollups disagree with the raw events (empty when they agree). */
export async function rollupMismatches(query: Query): Promise<unknown[]> {
  return query(`
    with raw as (
      select g.granularity, date_trunc(g.granularity, occurred_at, 'UTC') as bucket_start, org_id, key_id,
        model_id, count(*)::bigint as requests, sum(input_tokens)::bigint as input_tokens,
        sum(output_tokens)::bigint as output_tokens, sum(cost_micros)::bigint as cost_micros
      from usage_events cross join (values ('hour'), ('day')) as g(granularity)
      group by 1, 2, 3, 4, 5
    ), roll as (
      select granularity, bucket_start, org_id, key_id, model_id, requests, input_tokens, output_tokens,
        cost_micros from usage_rollups
    )
    (select 'missing' as side, * from raw except select 'missing', * from roll)
    union all
    (select 'extra', * from roll except select 'extra', * from raw)`);
}

export async function count(query: Query, table: string, where = 'true'): Promise<number> {
  const rows = await query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`);
  return rows[0]?.n ?? 0;
}
