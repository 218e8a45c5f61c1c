/**
 * The Redis bus between instances: two buses on separate connections (as two gateway instances) share one
 * random channel; a third connection injects garbage and kills a subscriber to show the reconnect.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWith } from '#test/support/services.js';
import { createLogger } from '../log.js';
import { createBus } from './index.js';
import { createRedisBus, parseBusMessage } from './redis.js';
import type { Bus, BusMessage } from './types.js';

const log = createLogger({ level: 'silent' });

/** Resolves with the first message `bus` delivers that matches, or rejects after `ms`. */
function nextMessage(bus: Bus, match: (m: BusMessage) => boolean, ms = 1_000): Promise<BusMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching bus message within ${ms} ms`));
    }, ms);
    const off = bus.subscribe((m) => {
      if (!match(m)) return;
      clearTimeout(timer);
      off();
      resolve(m);
    });
  });
}

async function until(check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('bus messages', () => {
  it('accepts every message type and rejects anything else', () => {
    expect(parseBusMessage('{"type":"key.changed","keyId":"key_1","keyHash":"ab"}')).toEqual({
      type: 'key.changed',
      keyId: 'key_1',
      keyHash: 'ab',
    });
    expect(parseBusMessage('{"type":"cache.flush"}')).toEqual({ type: 'cache.flush' });
    for (const bad of [
      'not json',
      '{"type":"key.changed"}',
      '{"type":"org.changed","orgId":7}',
      '[]',
      'null',
    ])
      expect(parseBusMessage(bad), bad).toBeNull();
  });

  it('is in-process when no Redis is configured', async () => {
    const bus = await createBus({ config: { redis: { onFailure: 'local', localShare: 1 } }, log });
    expect(bus.kind).toBe('memory');
    await bus.close();
  });

  it('still reaches this instance when Redis is unreachable, and says it is degraded', async () => {
    const bus = await createRedisBus({ target: 'redis://127.0.0.1:1', log, connectWaitMs: 200 });
    const seen = nextMessage(bus, (m) => m.type === 'org.changed');
    await bus.publish({ type: 'org.changed', orgId: 'org_1' });
    expect(await seen).toEqual({ type: 'org.changed', orgId: 'org_1' });
    expect(bus.status()).toMatchObject({ state: 'degraded', detail: expect.stringMatching(/TTLs/) });
    await bus.close();
  });
});

describeWith(['redis'], 'redis bus across instances', () => {
  const url = process.env.REDIS_URL!;
  const opened: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((x) => x.close()));
  });

  async function pair() {
    const channel = `test:bus:${randomUUID()}`;
    const names = [randomUUID(), randomUUID()];
    const [a, b] = await Promise.all(
      names.map((name) => createRedisBus({ target: url, log, channel, name })),
    );
    opened.push(a!, b!);
    return { a: a!, b: b!, channel, names };
  }

  it('a publish on one instance reaches the other, and itself, within a second', async () => {
    const { a, b } = await pair();
    expect([a.status(), b.status()]).toEqual([{ state: 'ok' }, { state: 'ok' }]);
    const atB = nextMessage(b, (m) => m.type === 'key.changed');
    const atA = nextMessage(a, (m) => m.type === 'key.changed');
    await a.publish({ type: 'key.changed', keyId: 'key_9' });
    expect(await atB).toEqual({ type: 'key.changed', keyId: 'key_9' });
    expect(await atA).toEqual({ type: 'key.changed', keyId: 'key_9' });
  });

  it('ignores malformed messages and keeps delivering', async () => {
    const { a, b, channel } = await pair();
    const seen: BusMessage[] = [];
    b.subscribe((m) => seen.push(m));
    const raw = new Redis(url);
    opened.push({ close: () => raw.quit() });
    for (const junk of ['{', '{"type":"nope"}', '{"type":"pool.changed"}', '"\u0000"'])
      await raw.publish(channel, junk);
    const next = nextMessage(b, (m) => m.type === 'pool.changed');
    await a.publish({ type: 'pool.changed', poolId: 'pool_1' });
    await next;
    expect(seen).toEqual([{ type: 'pool.changed', poolId: 'pool_1' }]);
  });

  it('resubscribes after its connection is killed', async () => {
    const { a, b, names } = await pair();
    const admin = new Redis(url);
    opened.push({ close: () => admin.quit() });
    const list = (await admin.client('LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(`name=portal-bus-sub-${names[1]} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id, 'subscriber connection of b in CLIENT LIST').toBeDefined();
    await admin.client('KILL', 'ID', id!);
    await until(() => b.status().state === 'degraded');
    await until(() => b.status().state === 'ok');
    const atB = nextMessage(b, (m) => m.type === 'model.changed');
    await a.publish({ type: 'model.changed', modelId: 'model_1' });
    expect(await atB).toEqual({ type: 'model.changed', modelId: 'model_1' });
  });
});
