/**
 * Request-log retention: rows older than `metering.requestLogRetentionDays` are deleted, a bounded batch per
 * statement (the `occurred_at` index finds them), so the table stops growing and no delete holds long locks.
 *
 * Body retention: request logs keep prompt and answer bodies only while `body_expires_at` (set at write time
 * from the organization's retention days) is in the future. The sweep clears expired bodies in bounded
 * chunks so it never holds long locks; the metadata row stays.
 */
import type { Logger } from '../log.js';
import type { Query } from '../store/db.js';

const SWEEP_SQL = `
with expired as (
  select request_id from request_logs
  where body_expires_at is not null and body_expires_at <= $1
  limit $2
)
update request_logs l set request_body = null, response_body = null, body_expires_at = null
from expired where l.request_id = expired.request_id`;

/** Clears every expired body; returns how many rows were cleared. */
export async function sweepExpiredBodies(query: Query, now = new Date(), chunk = 5_000): Promise<number> {
  let total = 0;
  while (true) {
    const rows = await query<{ request_id: string }>(`${SWEEP_SQL} returning l.request_id`, [
      now.toISOString(),
      chunk,
    ]);
    total += rows.length;
    if (rows.length < chunk) return total;
  }
}

const DELETE_OLD_SQL = `
delete from request_logs where request_id in (
  select request_id from request_logs where occurred_at < $1 limit $2
)`;

/** Deletes request logs older than `before`, `chunk` rows per statement; returns how many were deleted. */
export async function sweepOldRequestLogs(query: Query, before: Date, chunk = 5_000): Promise<number> {
  let total = 0;
  while (true) {
    const rows = await query<{ request_id: string }>(`${DELETE_OLD_SQL} returning request_id`, [
      before.toISOString(),
      chunk,
    ]);
    total += rows.length;
    if (rows.length < chunk) return total;
  }
}

export interface RetentionOptions {
  query: Query;
  log: Logger;
  /** 0 = never sweep. */
  intervalMs: number;
  keepDays: number;
  /** Sweeps are skipped while this says no (the store is down: metering is spooling). */
  storeUp: () => boolean;
}

/** Runs both sweeps every `intervalMs` (unref'd, failures logged); returns the timer to clear on close. */
export function scheduleRetention(options: RetentionOptions): NodeJS.Timeout | undefined {
  const { query, log } = options;
  if (options.intervalMs <= 0) return undefined;
  const timer = setInterval(() => {
    if (!options.storeUp()) return;
    sweepExpiredBodies(query).catch((err) => log.warn({ err }, 'request-log body sweep failed'));
    const before = new Date(Date.now() - options.keepDays * 86_400_000);
    sweepOldRequestLogs(query, before).catch((err) =>
      log.warn({ err }, 'request-log retention sweep failed'),
    );
  }, options.intervalMs);
  timer.unref();
  return timer;
}
