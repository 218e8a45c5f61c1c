/**
 * Three simulated routers in one pool under steady load: a router that stops costs no failed request and is
 * dropped within 2 s, and comes back once it recovers; a drained router finishes its streams while new
 * requests go elsewhere; with nothing servable the answer is a fast 503 with retry-after.
 */
import { describe, expect, it } from 'vitest';
import type client from 'prom-client';
import { PortalError } from '#src/platform/http/errors.js';
import type { UpstreamError } from '#src/inference/failures.js';
import { setPoolState, setRouterState } from '#src/inference/pools/store.js';
import { readStream, useTestFleets, type TestFleet } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function attemptsTo(fleet: TestFleet, routerId: string): Promise<number> {
  const metric = fleet.metrics.registry.getSingleMetric('portal_upstream_attempts_total') as client.Counter;
  const { values } = await metric.get();
  return values.filter((v) => v.labels.router === routerId).reduce((n, v) => n + v.value, 0);
}

/** N clients sending non-streamed requests back to back until stopped. */
function steadyLoad(fleet: TestFleet, clients: number) {
  let running = true;
  const routes: Array<{ at: number; routerId: string }> = [];
  const failures: unknown[] = [];
  const workers = Array.from({ length: clients }, async () => {
    while (running) {
      try {
        const c = await fleet.inference.complete(fleet.request());
        routes.push({ at: Date.now(), routerId: c.route.routerId });
      } catch (err) {
        failures.push(err);
      }
    }
  });
  return {
    routes,
    failures,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

async function until(check: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await sleep(25);
  }
  return Date.now() - started;
}

describe('three routers in one pool', () => {
  const start = useTestFleets();

  it('a stopped router fails no request, is dropped within 2 s, and is used again after it recovers', async () => {
    const fleet = await start({
      routers: 3,
      sim: { outputTokens: 20, tokensPerSecond: 400 },
      health: { probeIntervalMs: 250, failureThreshold: 3, openMs: 1_000 },
    });
    const load = steadyLoad(fleet, 6);
    try {
      await until(() => new Set(load.routes.map((r) => r.routerId)).size === 3, 5_000);

      await fleet.sims[1]!.close();
      const stoppedAt = Date.now();
      await sleep(2_000);
      const attemptsAfter2s = await attemptsTo(fleet, 'router-1');
      await sleep(1_500);
      expect(await attemptsTo(fleet, 'router-1')).toBe(attemptsAfter2s);
      expect(load.routes.filter((r) => r.at > stoppedAt + 2_000 && r.routerId === 'router-1')).toEqual([]);
      expect(fleet.inference.snapshot()[0]!.routers.find((r) => r.id === 'router-1')?.breaker.state).not.toBe(
        'closed',
      );

      await fleet.restart(1);
      const restartedAt = Date.now();
      await until(() => load.routes.some((r) => r.at > restartedAt && r.routerId === 'router-1'), 5_000);
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    expect(load.routes.length).toBeGreaterThan(50);
  }, 90_000);

  it('draining a router lets its in-flight streams finish while new requests go elsewhere', async () => {
    const fleet = await start({ routers: 3, sim: { outputTokens: 40, tokensPerSecond: 16 } });
    const streams = await Promise.all([1, 2, 3].map(() => fleet.inference.stream(fleet.request())));
    expect(new Set(streams.map((s) => s.route.routerId)).size).toBe(3);
    const reading = streams.map((s) => readStream(s.batches));
    const onDrained = streams.findIndex((s) => s.route.routerId === 'router-0');

    await setRouterState(fleet.store, 'router-0', 'draining');
    await fleet.inference.reload();
    const view = fleet.inference.snapshot()[0]!.routers.find((r) => r.id === 'router-0');
    expect(view).toMatchObject({ state: 'draining', inFlight: 1 });
    for (let i = 0; i < 6; i++) {
      const c = await fleet.inference.complete(fleet.request({ maxTokens: 2 }));
      expect(c.route.routerId).not.toBe('router-0');
    }

    const drained = await reading[onDrained]!;
    expect(drained.end).toMatchObject({ finishReason: 'stop', usage: { completionTokens: 40 } });
    await Promise.all(reading);
    expect(fleet.inference.snapshot()[0]!.routers.every((r) => r.inFlight === 0)).toBe(true);
  });

  it('answers a drained pool with a fast 503 that says maintenance, and a dead fleet with one that says unhealthy', async () => {
    const fleet = await start({
      routers: 3,
      health: { probeIntervalMs: 200, failureThreshold: 1, openMs: 5_000 },
    });
    await setPoolState(fleet.store, 'pool-a', 'draining');
    await fleet.inference.reload();
    const drained = await fleet.inference.complete(fleet.request()).catch((e: unknown) => e as PortalError);
    expect(drained).toBeInstanceOf(PortalError);
    expect(drained).toMatchObject({ code: 'upstream_unavailable', retryAfterMs: 30_000 });
    expect((drained as PortalError).message).toMatch(/maintenance/);
    expect(fleet.inference.canServe('qwen')).toBe(false);

    await setPoolState(fleet.store, 'pool-a', 'active');
    await fleet.inference.reload();
    await Promise.all(fleet.sims.map((s) => s.close()));
    const started = Date.now();
    const dead = await fleet.inference.complete(fleet.request()).catch((e: unknown) => e as PortalError);
    expect(dead).toMatchObject({ code: 'upstream_unavailable' });
    expect((dead as PortalError).message).toMatch(/no healthy upstream/);
    expect((dead as UpstreamError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
