/**
 * Writes one batch of usage events and request logs in ONE SQL statement (so one implicit transaction, on
 * PostgreSQL and on single-connection PGlite alike):
 *   events ──insert … on conflict (id) do nothing returning──> only the rows actually inserted
 *          ├─> hour and day rollups per org/key/model, upserted incrementally
 *          └─> usage_debit ledger rows for organizations on a credits plan (unique usage_event_id)
 *   logs ───insert … on conflict (request_id) do nothing; bodies kept only if the org turned logging on.
 * Because the rollups and debits are fed by `returning`, replaying a batch (from the spool, or after a
 * timeout whose transaction did commit) adds nothing twice.
 */
import type { Query } from '../store/db.js';
import type { Batch } from './rows.js';

/** The columns a usage event and its request log both carry, in both tables' order. */
const REQUEST_COLUMNS = [
  ['request_id', 'text'],
  ['occurred_at', 'timestamptz'],
  ['org_id', 'text'],
  ['key_id', 'text'],
  ['model_id', 'text'],
  ['pool_id', 'text'],
  ['router_id', 'text'],
  ['endpoint', 'text'],
] as const;

/** Events travel as one typed array per column ($1…$18): decoding them costs half of json_to_recordset. */
const EVENT_COLUMNS = [
  ['id', 'text'],
  ...REQUEST_COLUMNS,
  ['stream', 'bool'],
  ['status', 'int'],
  ['error_code', 'text'],
  ['input_tokens', 'int'],
  ['output_tokens', 'int'],
  ['tokens_source', 'text'],
  ['latency_ms', 'int'],
  ['ttft_ms', 'int'],
  ['cost_micros', 'int8'],
] as const;

const LOG_COLUMNS = `request_id text, occurred_at timestamptz, org_id text, key_id text, model_id text,
  pool_id text, router_id text, endpoint text, method text, stream boolean, status int, error_code text,
  latency_ms int, ttft_ms int, input_tokens int, output_tokens int, client_ip_hash text, client_request_id text,
  request_body jsonb, response_body text`;

/** Logs without bodies travel like events, one typed array per column (numbered after the events'). */
const LOG_COLUMNS_PLAIN = [
  ...REQUEST_COLUMNS,
  ['method', 'text'],
  ['stream', 'bool'],
  ['status', 'int'],
  ['error_code', 'text'],
  ['latency_ms', 'int'],
  ['ttft_ms', 'int'],
  ['input_tokens', 'int'],
  ['output_tokens', 'int'],
  ['client_ip_hash', 'text'],
  ['client_request_id', 'text'],
] as const;

/** `$n::type[]` placeholders for columns whose arrays start at parameter `first`. */
const arraysOf = (columns: ReadonlyArray<readonly [string, string]>, first: number) =>
  columns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');

const EVENT_KEYS = EVENT_COLUMNS.map(([name]) => name);
const EVENT_NAMES = EVENT_KEYS.join(', ');
const EVENT_ARRAYS = arraysOf(EVENT_COLUMNS, 1);
const LOG_KEYS = LOG_COLUMNS_PLAIN.map(([name]) => name);
const LOG_ARRAYS = arraysOf(LOG_COLUMNS_PLAIN, EVENT_COLUMNS.length + 1);

/** Logs without bodies (nearly every batch): no join, nothing to filter. */
const LOGS_PLAIN = `), logs as (
  insert into request_logs (${LOG_KEYS.join(', ')})
  select ${LOG_KEYS.join(', ')}
  from unnest(${LOG_ARRAYS}) as l(${LOG_KEYS.join(', ')})
  on conflict (request_id) do nothing
  returning 1
`;

/** Logs carrying bodies ($19, JSON): kept only for organizations that turned body logging on, until their retention. */
const LOGS_WITH_BODIES = `), logs as (
  insert into request_logs (request_id, occurred_at, org_id, key_id, model_id, pool_id, router_id, endpoint,
    method, stream, status, error_code, latency_ms, ttft_ms, input_tokens, output_tokens, client_ip_hash,
    client_request_id, request_body, response_body, body_expires_at)
  select l.request_id, l.occurred_at, l.org_id, l.key_id, l.model_id, l.pool_id, l.router_id, l.endpoint,
    l.method, l.stream, l.status, l.error_code, l.latency_ms, l.ttft_ms, l.input_tokens, l.output_tokens,
    l.client_ip_hash, l.client_request_id,
    case when o.log_bodies then l.request_body end,
    case when o.log_bodies then l.response_body end,
    case when o.log_bodies and (l.request_body is not null or l.response_body is not null)
      then l.occurred_at + make_interval(days => o.body_retention_days) end
  from json_to_recordset($19::json) as l(${LOG_COLUMNS})
  left join organizations o on o.id = l.org_id
  on conflict (request_id) do nothing
  returning 1
`;

/** The whole statement around one of the two request-log CTEs below. */
const statement = (logs: string) => `
with src as (
  select * from unnest(${EVENT_ARRAYS}) as t(${EVENT_NAMES})
), ins as (
  insert into usage_events (${EVENT_NAMES})
  select ${EVENT_NAMES} from src
  on conflict (id) do nothing
  returning id, occurred_at, org_id, key_id, model_id, status, error_code, input_tokens, output_tokens, cost_micros
), agg as (
  select g.granularity, date_trunc(g.granularity, ins.occurred_at, 'UTC') as bucket_start,
    ins.org_id, ins.key_id, ins.model_id, count(*) as requests,
    count(*) filter (where ins.status >= 400 or ins.error_code is not null) as errors,
    sum(ins.input_tokens) as input_tokens, sum(ins.output_tokens) as output_tokens,
    sum(ins.cost_micros) as cost_micros
  from ins cross join (values ('hour'), ('day')) as g(granularity)
  group by 1, 2, 3, 4, 5
), roll as (
  insert into usage_rollups as r (granularity, bucket_start, org_id, key_id, model_id, requests, errors,
    input_tokens, output_tokens, cost_micros)
  select * from agg order by granularity, org_id, bucket_start, key_id, model_id
  on conflict (granularity, org_id, bucket_start, key_id, model_id) do update set
    requests = r.requests + excluded.requests,
    errors = r.errors + excluded.errors,
    input_tokens = r.input_tokens + excluded.input_tokens,
    output_tokens = r.output_tokens + excluded.output_tokens,
    cost_micros = r.cost_micros + excluded.cost_micros
  returning 1
), debit as (
  insert into billing_ledger (id, org_id, occurred_at, kind, amount_micros, usage_event_id, description)
  select 'led_' || ins.id, ins.org_id, ins.occurred_at, 'usage_debit', -ins.cost_micros, ins.id,
    'Usage: ' || ins.model_id
  from ins
  join plan_subscriptions s on s.org_id = ins.org_id and s.status = 'active'
  join plans p on p.id = s.plan_id and p.kind = 'credits'
  where ins.cost_micros > 0
  on conflict (usage_event_id) do nothing
  returning 1
${logs})
select (select count(*) from ins)::int as events, (select count(*) from roll)::int as rollups,
  (select count(*) from debit)::int as debits, (select count(*) from logs)::int as logs`;

export const WRITE_BATCH_SQL = statement(LOGS_PLAIN);
export const WRITE_BATCH_WITH_BODIES_SQL = statement(LOGS_WITH_BODIES);

export interface BatchResult {
  /** Events newly inserted (a replayed event counts zero). */
  events: number;
  rollups: number;
  debits: number;
  logs: number;
}

/** Writes one batch; throws when the store is unreachable (the caller spools the batch). */
export async function writeBatch(query: Query, batch: Batch): Promise<BatchResult> {
  const bodies = batch.logs.some((l) => l.request_body !== null || l.response_body !== null);
  const rows = await query<BatchResult>(bodies ? WRITE_BATCH_WITH_BODIES_SQL : WRITE_BATCH_SQL, [
    ...EVENT_KEYS.map((k) => batch.events.map((e) => e[k])),
    ...(bodies ? [JSON.stringify(batch.logs)] : LOG_KEYS.map((k) => batch.logs.map((l) => l[k] ?? null))),
  ]);
  const r = rows[0];
  if (!r) throw new Error('write batch returned no row');
  return { events: r.events, rollups: r.rollups, debits: r.debits, logs: r.logs };
}
