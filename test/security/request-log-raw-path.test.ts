/**
 * Finding Low (issue #10): request logs stored the raw path the client sent (any bytes, ids, up to 100
 * characters). They now store the route's label (`/v1/models/:id`), never the raw path.
 */
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';

describe('request-log endpoints', () => {
  const t = usePortal();

  it('a request to /v1/models/<anything> is logged under the route label', async () => {
    const { key } = await t.account();
    const res = await t.as(key).get(`/v1/models/secret-looking%20id-${'z'.repeat(40)}`);
    expect(res.status).toBe(404);
    await t.services.metering.flush();
    const rows = await t.store.query<{ endpoint: string }>(
      'select endpoint from request_logs where request_id = $1',
      [res.headers.get('x-request-id')],
    );
    expect(rows).toEqual([{ endpoint: '/v1/models/:id' }]);
  });
});
