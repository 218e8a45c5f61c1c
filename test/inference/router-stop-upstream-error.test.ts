/**
 * Soak finding (issue #17, seed 20261201): 8 × 502 `upstream_error` within 15 s after a router stop. A
 * stopped router (its backend died) answers 503 to everything; that answer was classed as a model-server
 * error, so a model whose pool had only that router got 502 `upstream_error` until the breaker opened, and
 * 503 `upstream_unavailable` after. A router's 503 now means "unavailable": retried on another router while
 * nothing reached the caller, and answered 503 `upstream_unavailable` with retry-after when none is left.
 */
import { describe, expect, it } from 'vitest';
import { PortalError } from '#src/platform/http/errors.js';
import type { UpstreamError } from '#src/inference/failures.js';
import { readStream, useTestFleets } from './support.js';

describe('a stopped router (answers 503)', () => {
  const start = useTestFleets();

  it('as the only router of a model: 503 upstream_unavailable with retry-after, not 502 upstream_error', async () => {
    // A breaker that never opens here, so every request reaches the stopped router (as in the soak's first
    // seconds after the stop, before the breaker tripped).
    const fleet = await start({ routers: 1, health: { failureThreshold: 1_000, probeIntervalMs: 60_000 } });
    await fleet.inference.complete(fleet.request({ maxTokens: 2 }));
    fleet.sims[0]!.configure({ down: true });

    const complete = await fleet.inference.complete(fleet.request()).catch((e: unknown) => e);
    expect(complete).toBeInstanceOf(PortalError);
    expect(complete).toMatchObject({ code: 'upstream_unavailable' });
    expect((complete as UpstreamError).retryAfterMs).toBeGreaterThanOrEqual(1_000);

    const stream = await fleet.inference.stream(fleet.request()).catch((e: unknown) => e);
    expect(stream).toBeInstanceOf(PortalError);
    expect(stream).toMatchObject({ code: 'upstream_unavailable' });

    // The router's own retry-after is passed on when it asks for longer than the default second.
    fleet.sims[0]!.configure({ down: true, retryAfterS: 3 });
    const request = fleet.request({ deadline: Date.now() + 2_000 });
    const told = await fleet.inference.complete(request).catch((e: unknown) => e);
    expect(told).toMatchObject({ code: 'upstream_unavailable', retryAfterMs: 3_000 });
  });

  it('with another router left: the request is retried there and succeeds', async () => {
    const fleet = await start({ routers: 2, health: { failureThreshold: 1_000, probeIntervalMs: 60_000 } });
    fleet.sims[0]!.configure({ down: true });
    for (let i = 0; i < 6; i++) {
      const c = await fleet.inference.complete(fleet.request({ maxTokens: 2 }));
      expect(c.route.routerId).toBe('router-1');
      const s = await fleet.inference.stream(fleet.request({ maxTokens: 2 }));
      expect(s.route.routerId).toBe('router-1');
      expect((await readStream(s.batches)).end).toMatchObject({ finishReason: expect.any(String) });
    }
  });
});
