/**
 * Regression "an uncached key while the database is down answers 500" (issue #17, found by the soak: every
 * request to an instance restarted just before PostgreSQL stopped — bad input included — was a 500
 * internal_error). A key or policy that is not in memory and cannot be loaded is now a 503
 * service_unavailable with a retry-after; a key that is in memory keeps working.
 */
import { describe, expect, it } from 'vitest';
import { createAuthenticate } from '#src/gateway/authenticate.js';
import { createKeyVerifier } from '#src/gateway/keys/verify.js';
import { generateKey } from '#src/gateway/keys/format.js';
import { createMemoryBus } from '#src/platform/bus/memory.js';
import { createLogger } from '#src/platform/log.js';
import { PortalError } from '#src/platform/http/errors.js';
import type { Store } from '#src/platform/store/db.js';
import type { GatewayDeps } from '#src/gateway/gateway.js';

/** A store whose every query fails as a stopped PostgreSQL's would. */
const downStore = (): Store => {
  const refuse = () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  };
  const chain: unknown = new Proxy(refuse, { get: () => chain, apply: () => refuse() });
  return {
    kind: 'postgres',
    description: 'down',
    db: chain as Store['db'],
    query: async () => refuse(),
    withConnection: async () => refuse(),
    ping: async () => refuse(),
    close: async () => undefined,
  };
};

describe('uncached key while the store is down', () => {
  it('is refused with 503 service_unavailable and a retry-after, not a 500', async () => {
    const keys = createKeyVerifier({
      store: downStore(),
      bus: createMemoryBus(),
      log: createLogger({ level: 'silent' }),
      ttlMs: 30_000,
      negativeTtlMs: 5_000,
    });
    const policies = { get: async () => undefined } as unknown as GatewayDeps['policies'];
    const authenticate = createAuthenticate({ keys, policies, authGuard: undefined });
    const refused = await authenticate(generateKey().key).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(PortalError);
    expect((refused as PortalError).status).toBe(503);
    expect((refused as PortalError).code).toBe('service_unavailable');
    expect((refused as PortalError).headers['retry-after']).toBe('1');
    await keys.close();
  });
});
