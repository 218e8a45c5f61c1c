import { describe, expect, it } from 'vitest';
import { createFleet } from './fleet.js';
import type { PoolRecord, RouterRecord } from './store.js';

function router(id: string, extra: Partial<RouterRecord> = {}): RouterRecord {
  return {
    id,
    poolId: 'p',
    baseUrl: `http://${id}`,
    authSecretRef: null,
    dedicatedSessionIds: [1],
    ephemeralSessionIds: [],
    weight: 1,
    maxConcurrency: 10,
    state: 'active',
    source: 'config',
    ...extra,
  };
}

function pool(routers: RouterRecord[], extra: Partial<PoolRecord> = {}): PoolRecord {
  return {
    id: 'p',
    name: 'p',
    kind: 'cortensor',
    apiVersion: 'v1',
    state: 'active',
    isDemo: false,
    models: [{ modelId: 'm', upstreamModel: null, priority: 0 }],
    routers,
    ...extra,
  };
}

const none = () => ({ routers: new Set<string>(), sessions: new Set<string>() });

describe('router choice', () => {
  it('never puts more on one router than the upstream client has connections for, however fast it looks', () => {
    const fleet = createFleet({ failureThreshold: 3, openMs: 1000, connectionCap: 4 });
    fleet.load([
      pool([router('fast', { maxConcurrency: 100 }), router('slow', { maxConcurrency: 100 })], {
        kind: 'openai',
      }),
    ]);
    // One sample each: "fast" answers 50 times quicker, so it would take every request by latency alone.
    const a = fleet.acquire('m', { routers: new Set(['slow']), sessions: new Set() }, 0)!;
    fleet.recordSuccess(a.router, 1);
    a.release();
    const b = fleet.acquire('m', { routers: new Set(['fast']), sessions: new Set() }, 0)!;
    fleet.recordSuccess(b.router, 50);
    b.release();
    const chosen = Array.from({ length: 8 }, () => fleet.acquire('m', none(), 0)!.router.record.id);
    expect(chosen.filter((id) => id === 'fast')).toHaveLength(4);
    expect(chosen.filter((id) => id === 'slow')).toHaveLength(4);
    expect(fleet.acquire('m', none(), 0)).toBeUndefined();
    expect(fleet.availability('m', 0)).toMatchObject({ ok: false, reason: 'busy' });
  });

  it('spreads concurrent requests by outstanding count', () => {
    const fleet = createFleet({ failureThreshold: 3, openMs: 1000 });
    fleet.load([pool([router('a'), router('b'), router('c')])]);
    const chosen = [1, 2, 3].map(() => fleet.acquire('m', none(), 0)!.router.record.id);
    expect(new Set(chosen).size).toBe(3);
  });

  /** A fleet of two routers, `slow` (one sample of `slowMs`) and `fast` (one of 30 ms). */
  function slowAndFast(slowMs: number) {
    const fleet = createFleet({ failureThreshold: 3, openMs: 1000 });
    fleet.load([pool([router('slow'), router('fast')])]);
    const [slow, fast] = fleet.routers();
    fleet.recordSuccess(slow!, slowMs);
    fleet.recordSuccess(fast!, 30);
    return fleet;
  }

  it('prefers the faster router when loads are equal', () => {
    const fleet = slowAndFast(900);
    const now = Date.now();
    for (let i = 0; i < 5; i++) expect(fleet.acquire('m', none(), now)?.router.record.id).toBe('fast');
  });

  it('tries a router again once its slow sample has faded', () => {
    const fleet = slowAndFast(5_000);
    const now = Date.now();
    fleet.acquire('m', none(), now); // fast is busy with one request now
    expect(fleet.acquire('m', none(), now)?.router.record.id).toBe('fast');
    expect(fleet.acquire('m', none(), now + 60_000)?.router.record.id).toBe('slow');
  });

  it('uses dedicated sessions first and an idle ephemeral one only when every dedicated one is busy', () => {
    const fleet = createFleet({ failureThreshold: 3, openMs: 1000 });
    fleet.load([pool([router('a', { dedicatedSessionIds: [1, 2], ephemeralSessionIds: [9] })])]);
    const sessions = [1, 2, 3, 4].map(() => fleet.acquire('m', none(), 0)?.sessionId);
    expect(sessions).toEqual([1, 2, 9, 1]);
  });

  it('skips draining, disabled, open-breaker and full routers, and says why nothing is left', () => {
    const fleet = createFleet({ failureThreshold: 1, openMs: 1000 });
    fleet.load([
      pool([
        router('d', { state: 'draining' }),
        router('x', { state: 'disabled' }),
        router('ok', { maxConcurrency: 1 }),
      ]),
    ]);
    const lease = fleet.acquire('m', none(), 0);
    expect(lease?.router.record.id).toBe('ok');
    expect(fleet.acquire('m', none(), 0)).toBeUndefined();
    expect(fleet.availability('m', 0)).toEqual({ ok: false, reason: 'busy', retryAfterS: 1 });
    lease!.release();
    fleet.recordFailure(lease!.router, { kind: 'unavailable', retryable: true, detail: 'refused' }, 0);
    expect(fleet.availability('m', 0)).toEqual({ ok: false, reason: 'unhealthy', retryAfterS: 1 });
    expect(fleet.acquire('m', none(), 0)).toBeUndefined();
  });

  it('is available while any active router of any active pool serving the model can take a call', () => {
    const fleet = createFleet({ failureThreshold: 1, openMs: 1000 });
    fleet.load([
      pool([router('a1', { maxConcurrency: 1 })], { id: 'pa' }),
      pool([router('b1', { state: 'draining' }), router('b2', { maxConcurrency: 1 })], { id: 'pb' }),
      pool([router('c1')], { id: 'pc', state: 'draining' }),
    ]);
    expect(fleet.availability('m', 0)).toEqual({ ok: true });
    const first = fleet.acquire('m', none(), 0);
    expect(fleet.availability('m', 0)).toEqual({ ok: true }); // the other pool's last router is free
    const second = fleet.acquire('m', none(), 0);
    expect([first?.router.record.id, second?.router.record.id].sort()).toEqual(['a1', 'b2']);
    // A draining router and a draining pool never count, however idle.
    expect(fleet.availability('m', 0)).toEqual({ ok: false, reason: 'busy', retryAfterS: 1 });
    second!.release();
    expect(fleet.availability('m', 0)).toEqual({ ok: true });
  });

  it('tells a pool under maintenance from a model nobody serves', () => {
    const fleet = createFleet({ failureThreshold: 1, openMs: 1000 });
    fleet.load([pool([router('a')], { state: 'draining' })]);
    expect(fleet.availability('m', 0)).toMatchObject({ ok: false, reason: 'maintenance' });
    expect(fleet.availability('other', 0)).toMatchObject({ ok: false, reason: 'no_pool' });
  });

  it('keeps in-flight counts across a reload so a drained router is left alone while its requests finish', () => {
    const fleet = createFleet({ failureThreshold: 3, openMs: 1000 });
    fleet.load([pool([router('a'), router('b')])]);
    const first = fleet.acquire('m', none(), 0)!;
    const drained = first.router.record.id;
    fleet.load([
      pool(
        [router('a'), router('b')].map((r) => (r.id === drained ? { ...r, state: 'draining' as const } : r)),
      ),
    ]);
    expect(fleet.snapshot(0)[0]!.routers.find((r) => r.id === drained)?.inFlight).toBe(1);
    for (let i = 0; i < 3; i++) expect(fleet.acquire('m', none(), 0)?.router.record.id).not.toBe(drained);
    first.release();
    expect(fleet.snapshot(0)[0]!.routers.find((r) => r.id === drained)?.inFlight).toBe(0);
  });

  it('cools a router down for its retry-after without opening its breaker on a 429', () => {
    const fleet = createFleet({ failureThreshold: 1, openMs: 1000 });
    fleet.load([pool([router('a')])]);
    const r = fleet.routers()[0]!;
    fleet.recordFailure(
      r,
      { kind: 'error', retryable: true, status: 429, retryAfterMs: 3000, detail: '' },
      0,
    );
    expect(r.breaker.state(0)).toBe('closed');
    expect(fleet.acquire('m', none(), 2999)).toBeUndefined();
    expect(fleet.acquire('m', none(), 3000)).toBeDefined();
  });
});
