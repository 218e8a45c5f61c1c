/**
 * The composition root with an unreachable Redis: Portal still starts, /readyz says degraded (not down) with
 * the limiter's and the bus's reasons, and the limiter keeps deciding per instance.
 */
import { expect, it } from 'vitest';
import { usePortal } from '#test/support/harness.js';

const t = usePortal({ redis: 'redis://127.0.0.1:1' });

it('/readyz is degraded, not down, while Redis is unreachable, and limits are still decided', async () => {
  const res = await t.admin.get('/readyz');
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    status: string;
    checks: Record<string, { state: string; detail?: string }>;
  };
  expect(body.status).toBe('degraded');
  expect(body.checks.limiter).toMatchObject({
    state: 'degraded',
    detail: expect.stringMatching(/per-instance/),
  });
  expect(body.checks.bus).toMatchObject({ state: 'degraded' });
  const spec = { key: 'rl:{org_1}:k:rpm', limit: 1, windowMs: 60_000, cost: 1 };
  expect((await t.services.limiter.consume([spec])).allowed).toBe(true);
  expect((await t.services.limiter.consume([spec])).allowed).toBe(false);
});
