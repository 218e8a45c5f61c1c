import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { createMemoryLimiter } from './memory.js';
import { createResilientLimiter } from './resilient.js';
import type { Limiter, LimitSpec } from './types.js';

/** A "shared" limiter whose connection state the test sets (a memory limiter stands in for Redis). */
function switchablePrimary(): Limiter & { up: boolean } {
  const inner = createMemoryLimiter();
  return Object.assign(Object.create(inner) as Limiter, {
    up: true,
    status(this: { up: boolean }) {
      return this.up ? { state: 'ok' as const } : { state: 'degraded' as const, detail: 'test: down' };
    },
  }) as Limiter & { up: boolean };
}

const spec = (key: string): LimitSpec => ({ key, limit: 100, windowMs: 60_000, cost: 10 });

describe('resilient limiter settle', () => {
  it('settles each charge where it was decided: fallback charges locally, shared ones on the primary', async () => {
    const primary = switchablePrimary();
    const log = createLogger({ level: 'silent' });
    const limiter = createResilientLimiter({
      primary,
      onFailure: 'local',
      localShare: 1,
      log,
      backoffMs: 60_000,
    });
    const now = 1_000_000;
    primary.up = false;
    const local = await limiter.consume([spec('a')], now);
    primary.up = true;
    const shared = await limiter.consume([spec('b')], now);
    if (!local.allowed || !shared.allowed) throw new Error('both should be admitted');
    expect(local.charges[0]?.fallback).toBe(true);
    expect(shared.charges[0]?.fallback).toBeUndefined();

    // Mixed, in the opposite order: the deltas must follow their charges, not their positions.
    await limiter.settle([...shared.charges, ...local.charges], [-4, -7], now);

    const [b] = await primary.peek([spec('b')], now);
    expect(b?.used).toBe(6); // 10 reserved on the primary, 4 refunded there
    primary.up = false;
    const [a] = await limiter.peek([spec('a')], now);
    expect(a?.used).toBe(3); // 10 reserved locally, 7 refunded locally
    await limiter.close();
  });
});
