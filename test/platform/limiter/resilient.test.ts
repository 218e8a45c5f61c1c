/**
 * The limiter when Redis fails: decisions continue per instance (scaled to this instance's share) or are
 * refused when configured closed, the state is degraded with a reason, the outage is logged once a minute,
 * a stuck Redis costs one command timeout, and the limiter goes back to Redis by itself when it answers.
 * Redis is broken through a TCP proxy in front of it, so the shared server is never touched.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import client from 'prom-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '#src/platform/log.js';
import { PortalError } from '#src/platform/http/errors.js';
import { createLimiter } from '#src/platform/limiter/index.js';
import { createRedisLimiter, stallAware } from '#src/platform/limiter/redis.js';
import type { LimitSpec, Limiter } from '#src/platform/limiter/types.js';
import { describeWith } from '#test/support/services.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { deleteKeys, testPrefix } from './targets.js';

const spec = (limit: number, cost = 1): LimitSpec => ({
  key: 'rl:{org_r}:k:rpm',
  limit,
  windowMs: 60_000,
  cost,
});

function capturedLog() {
  const lines: Array<{ level: number; msg: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

async function until(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const NOWHERE = 'redis://127.0.0.1:1';
const prefix = testPrefix();
const opened: Array<Limiter | TcpProxy> = [];
const track = <T extends Limiter | TcpProxy>(x: T) => (opened.push(x), x);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((x) => x.close()));
});

async function make(redisUrl: string, extra: { onFailure?: 'local' | 'closed'; localShare?: number } = {}) {
  const { log, lines } = capturedLog();
  const registry = new client.Registry();
  const config = {
    redis: { url: redisUrl, onFailure: extra.onFailure ?? 'local', localShare: extra.localShare ?? 1 },
  };
  const deps = {
    config,
    log,
    metrics: { registry },
    keyPrefix: prefix,
    connectWaitMs: 500,
    commandTimeoutMs: 200,
  };
  const limiter = track(await createLimiter(deps));
  return { limiter, lines, registry };
}

describe('limiter when Redis is unreachable', () => {
  it('decides with per-instance limits scaled to its share when Redis is unreachable from the start', async () => {
    const proxy = track(await startTcpProxy(NOWHERE));
    proxy.set('refuse');
    const { limiter, registry } = await make(proxy.url, { localShare: 0.5 });
    expect(limiter.status()).toMatchObject({
      state: 'degraded',
      detail: expect.stringMatching(/Redis unavailable/),
    });
    const first = await limiter.consume([spec(4)]);
    const second = await limiter.consume([spec(4)]);
    const third = await limiter.consume([spec(4)]);
    expect([first.allowed, second.allowed, third.allowed]).toEqual([true, true, false]);
    expect(third.states[0]!.limit).toBe(2);
    if (!first.allowed) throw new Error('refused');
    expect(first.charges[0]!.fallback).toBe(true);
    await limiter.settle(first.charges, [-1]);
    expect((await limiter.consume([spec(4)])).allowed).toBe(true);
    expect(await registry.getSingleMetricAsString('portal_limiter_degraded')).toMatch(
      /portal_limiter_degraded 1/,
    );
    expect(await registry.getSingleMetricAsString('portal_limiter_decisions_total')).toMatch(
      /backend="local",decision="denied",window="rpm"} 1/,
    );
  });

  it('refuses with service_unavailable when configured to fail closed', async () => {
    const proxy = track(await startTcpProxy(NOWHERE));
    proxy.set('refuse');
    const { limiter } = await make(proxy.url, { onFailure: 'closed' });
    const failure = await limiter.consume([spec(4)]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PortalError);
    expect(failure).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(limiter.status().detail).toMatch(/refusing requests/);
  });

  it('logs an outage once, not once per request', async () => {
    const proxy = track(await startTcpProxy(NOWHERE));
    proxy.set('refuse');
    const { limiter, lines } = await make(proxy.url);
    for (let i = 0; i < 20; i++) await limiter.consume([spec(100)]);
    expect(lines.filter((l) => /Redis (still )?unavailable/.test(l.msg))).toHaveLength(1);
  });
});

describeWith(['redis'], 'limiter when a live Redis stalls or comes back', () => {
  const url = process.env.REDIS_URL!;
  afterAll(async () => {
    const admin = new Redis(url);
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  it('answers from the fallback when Redis stops responding instead of holding the request', async () => {
    const proxy = track(await startTcpProxy(url));
    const { limiter } = await make(proxy.url);
    expect((await limiter.consume([spec(10)])).allowed).toBe(true);
    proxy.set('hang');
    const decision = await limiter.consume([spec(10)]);
    expect(decision.allowed).toBe(true);
    if (!decision.allowed) return;
    expect(decision.charges[0]!.fallback).toBe(true);
    expect(limiter.status().state).toBe('degraded');
  });

  it('does not take its own stall for a Redis timeout: an answer waiting in the socket still counts', async () => {
    const redis = new Redis(url);
    await redis.ping();
    const order: string[] = [];
    const answer = redis.ping(); // on the wire now
    setTimeout(() => order.push('timer'), 50); // what a plain 50 ms command timeout would do
    void answer.then(() => order.push('reply'));
    const decided = stallAware(answer, 50);
    const busyUntil = performance.now() + 300;
    while (performance.now() < busyUntil); // this process is busy (a burst); Redis answers meanwhile
    await expect(decided).resolves.toBe('PONG');
    // A plain timeout fires first: it would have failed a decision Redis had already answered.
    expect(order).toEqual(['timer', 'reply']);
    await expect(stallAware(new Promise(() => {}), 50)).rejects.toThrow(/did not answer within 50 ms/);
    await redis.quit();
  });

  it('returns to the shared Redis limits by itself once Redis answers again', async () => {
    const proxy = track(await startTcpProxy(url));
    const { limiter, lines } = await make(proxy.url);
    const direct = track(createRedisLimiter({ redis: new Redis(url), prefix }));
    const key: LimitSpec = { ...spec(100), key: 'rl:{org_r}:k:recover' };
    expect((await limiter.consume([key])).allowed).toBe(true);
    proxy.set('refuse');
    const during = await limiter.consume([key]);
    expect(during.allowed && during.charges[0]!.fallback).toBe(true);
    expect(limiter.status().state).toBe('degraded');
    proxy.set('pass');
    await until(() => limiter.status().state === 'ok');
    const after = await limiter.consume([key]);
    expect(after.allowed && after.charges[0]!.fallback).toBeFalsy();
    // 1 before + the outage's local admission written back (resilient.ts) + 1 after.
    expect((await direct.peek([key]))[0]!.used).toBe(3);
    expect(lines.some((l) => /answers again/.test(l.msg))).toBe(true);
  });
});
