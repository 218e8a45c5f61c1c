/**
 * GET /api/usage?from&to&granularity=day|hour&key&model — the signed-in organization's requests, tokens and
 * cost per bucket, by key and by model (from the rollups, see query.ts), plus its current limit windows and
 * when they free up (from the gateway, when it runs in this process).
 */
import type { Hono } from 'hono';
import type { Services } from '../../app.js';
import { usageQuery, type Usage, type UsageWindow } from '../../contracts/index.js';
import { PortalError } from '../../platform/http/errors.js';
import { routeLabel } from '../../platform/http/kernel.js';
import type { ProductEnv } from '../context.js';
import { parseValue } from '../../platform/http/body.js';
import { BUCKET_MS, usageReport } from './query.js';

const MAX_BUCKETS = { hour: 24 * 93, day: 732 } as const;

/** What the gateway offers the usage API, when it is part of these services. */
type WithGateway = { gateway?: { windows(orgId: string): Promise<UsageWindow[]> | UsageWindow[] } };

/** The body of GET /api/usage (the contract's `usageResponse`). */
export type UsageResponse = Usage;

export function registerUsageRoutes(api: Hono<ProductEnv>, services: Services) {
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
      const owned = await services.store.query('select 1 from api_keys where id = $1 and org_id = $2', [
        q.key,
        orgId,
      ]);
      if (!owned.length)
        throw new PortalError({ code: 'not_found', message: 'No API key with that id.', param: 'key' });
    }
    const gateway = (services as Services & WithGateway).gateway;
    const [report, windows] = await Promise.all([
      usageReport(services.store.query, {
        orgId,
        from,
        to,
        granularity: q.granularity,
        keyId: q.key,
        modelId: q.model,
      }),
      gateway ? Promise.resolve(gateway.windows(orgId)).catch(() => []) : Promise.resolve([]),
    ]);
    const body: UsageResponse = { ...report, windows };
    return c.json(body);
  });
}
