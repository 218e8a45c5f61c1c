import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.js';
import { abortableSleep } from './abortable-sleep.js';

describe('Cancellation', () => {
  it('calls each listener once, in order, on the first abort only; removed and late ones are not called', () => {
    const c = new Cancellation();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    const removed = () => calls.push('removed');
    c.signal.addEventListener('abort', a, { once: true });
    c.signal.addEventListener('abort', a); // the same listener twice is one listener, as on an EventTarget
    c.signal.addEventListener('abort', removed);
    c.signal.addEventListener('abort', b);
    c.signal.removeEventListener('abort', removed);
    expect(c.signal.aborted).toBe(false);
    c.abort();
    c.abort();
    c.signal.addEventListener('abort', () => calls.push('late'));
    expect(c.signal.aborted).toBe(true);
    expect(calls).toEqual(['a', 'b']);
  });

  it('still calls the other listeners when one throws, and reports the error on its own', async () => {
    const c = new Cancellation();
    const calls: string[] = [];
    c.addEventListener('abort', () => {
      throw new Error('listener failed');
    });
    c.addEventListener('abort', () => calls.push('after'));
    const reported = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    c.abort();
    expect(calls).toEqual(['after']);
    expect(((await reported) as Error).message).toBe('listener failed');
  });

  it("ends an abortable sleep early (the upstream client's use is in net.test.ts)", async () => {
    const c = new Cancellation();
    const started = Date.now();
    setTimeout(() => c.abort(), 20);
    await abortableSleep(5_000, c.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
