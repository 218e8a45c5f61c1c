/**
 * Regression for "Redis coming back empty" (issue #17): what the per-instance fallback admitted during an
 * outage is written back into Redis when it answers again, so a Redis restarted without its data does not
 * admit the full limit a second time in the same window.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { createMemoryLimiter } from './memory.js';
import { createResilientLimiter } from './resilient.js';
import type { Charge, Limiter, LimitSpec } from './types.js';

/** A "shared" limiter whose connection the test cuts, and whose data it can wipe (a restarted Redis). */
function restartablePrimary() {
  let inner = createMemoryLimiter();
  const state = { up: true, settles: 0 };
  const primary: Limiter = {
    kind: 'redis',
    consume: (l, now) => inner.consume(l, now),
    settle: (c: Charge[], d: number[], now) => (state.settles++, inner.settle(c, d, now)),
    peek: (l, now) => inner.peek(l, now),
    status: () => (state.up ? { state: 'ok' } : { state: 'degraded', detail: 'test: down' }),
    close: () => inner.close(),
  };
  const restartEmpty = () => void (inner = createMemoryLimiter());
  return { primary, state, restartEmpty };
}

const spec: LimitSpec = { key: 'rl:{org}:key:rpm', limit: 12, windowMs: 60_000, cost: 1 };

async function admitted(limiter: Limiter, n: number) {
  let count = 0;
  for (let i = 0; i < n; i++) if ((await limiter.consume([spec])).allowed) count++;
  return count;
}

describe('resilient limiter: redis comes back empty', () => {
  it('counts the outage admissions in the first window after recovery (writes them back)', async () => {
    const { primary, state, restartEmpty } = restartablePrimary();
    const log = createLogger({ level: 'silent' });
    const limiter = createResilientLimiter({ primary, onFailure: 'local', localShare: 0.5, log });
    expect(await admitted(limiter, 20)).toBe(12); // before: the shared limit
    state.up = false;
    restartEmpty();
    expect(await admitted(limiter, 20)).toBe(6); // during: this instance's share
    state.up = true;
    // After: Redis has forgotten the 12 from before, but must still count the 6 from the outage.
    expect(await admitted(limiter, 20)).toBe(6);
    expect(state.settles).toBe(1);
    await limiter.close();
  });

  it('writes back net of settlements, once, and not at all when nothing was admitted locally', async () => {
    const { primary, state, restartEmpty } = restartablePrimary();
    const log = createLogger({ level: 'silent' });
    const limiter = createResilientLimiter({ primary, onFailure: 'local', localShare: 1, log });
    const tokens: LimitSpec = { key: 'tpm', limit: 1_000, windowMs: 60_000, cost: 400 };
    state.up = false;
    const d = await limiter.consume([tokens]);
    if (!d.allowed) throw new Error('admitted locally');
    await limiter.settle(d.charges, [-300]); // reserved 400, used 100
    restartEmpty();
    state.up = true;
    const [after] = await limiter.peek([tokens]);
    expect(after?.used).toBe(100);
    await limiter.peek([tokens]);
    expect(state.settles).toBe(1);

    state.up = false; // an outage with nothing admitted locally writes nothing back
    await limiter.peek([tokens]);
    state.up = true;
    await limiter.peek([tokens]);
    expect(state.settles).toBe(1);
    await limiter.close();
  });
});
