/**
 * Regression "a credits request while Redis is down answers 500" (issue #17, found by the soak: every
 * credits-plan request during the Redis outage was a 500 internal_error). The shared credit counter cannot
 * be reached: the request is refused with 503 service_unavailable and a retry-after, never admitted
 * unchecked and never a 500.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createCredits } from '#src/platform/billing/credits.js';
import { PortalError } from '#src/platform/http/errors.js';
import { openTestStore } from '../support/pglite.js';
import { freePort } from '../support/processes.js';

describe('credits while Redis is down', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('reserve() throws a 503 service_unavailable PortalError with retry-after', async () => {
    const store = await openTestStore();
    const port = await freePort(); // nothing listens there
    const redis = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 2 });
    redis.on('error', () => undefined);
    const credits = createCredits({ store, redis });
    closers.push(
      () => credits.close(),
      () => store.close(),
    );
    const refused = await credits.reserve('org_nowhere', 100).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(PortalError);
    expect((refused as PortalError).status).toBe(503);
    expect((refused as PortalError).code).toBe('service_unavailable');
    expect((refused as PortalError).headers['retry-after']).toBe('1');
  });
});
