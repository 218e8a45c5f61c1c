/**
 * GET /api/usage?from&to&granularity=day|hour&key&model — the signed-in organization's requests, tokens and
 * cost per bucket, by key and by model (from the rollups, see src/domain/usage/report.ts), plus its current limit windows and
 * when they free up (from the gateway, when it runs in this process).
 */
import type { Hono } from 'hono';
import type { Query } from '#src/platform/store/db.js';
import { usageQuery, type Usage, type UsageWindow } from '#src/contracts/index.js';
import { PortalError } from '#src/platform/http/errors.js';
import { routeLabel } from '#src/platform/http/kernel.js';
import type { ProductEnv } from '../context.js';
import { parseValue } from '#src/platform/http/body.js';
import { BUCKET_MS, usageReport } from '#src/domain/usage/report.js';

const MAX_BUCKETS = { hour: 24 * 93, day: 732 } as const;

export interface UsageDeps {
  query: Query;
  /** The organization's current limit windows (the gateway's), when the gateway runs in this process. */
  windows?(orgId: string): Promise<UsageWindow[]> | UsageWindow[];
}

/** The body of GET /api/usage (the contract's `usageResponse`). */
export type UsageResponse = Usage;

export function registerUsageRoutes(api: Hono<ProductEnv>, { query, windows }: UsageDeps) {
  api.get('/usage', routeLabel('/api/usage'), async (c) => {
    const q = parseValue(usageQuery, c.req.query());
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - (q.granularity === 'day' ? 30 : 1) * BUCKET_MS.day);
    if (from >= to)
      throw new PortalError({
        code: 'invalid_request_error',
        message: '`from` must be before `to`.',
        param: 'from',
      });
    if ((to.getTime() - from.getTime()) / BUCKET_MS[q.granularity] > MAX_BUCKETS[q.granularity])
      throw new PortalError({
        code: 'invalid_request_error',
        message: `At most ${MAX_BUCKETS[q.granularity]} ${q.granularity} buckets per request: narrow the range or use granularity=day.`,
        param: 'from',
      });
    const orgId = c.get('orgId');
    if (q.key) {
      // Another organization's key id answers like a key that does not exist: no existence leak.
      const owned = await query('select 1 from api_keys where id = $1 and org_id = $2', [q.key, orgId]);
      if (!owned.length)
        throw new PortalError({ code: 'not_found', message: 'No API key with that id.', param: 'key' });
    }
    const [report, current] = await Promise.all([
      usageReport(query, {
        orgId,
        from,
        to,
        granularity: q.granularity,
        keyId: q.key,
        modelId: q.model,
      }),
      windows ? Promise.resolve(windows(orgId)).catch(() => []) : Promise.resolve([]),
    ]);
    const body: UsageResponse = { ...report, windows: current };
    return c.json(body);
  });
}
