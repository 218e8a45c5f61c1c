import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProber } from './prober.js';

describe('metering store prober', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings every interval until the store answers, then reports it once and stops', async () => {
    let pings = 0;
    const reachable = vi.fn();
    const prober = createProber({
      ping: async () => {
        if (++pings < 3) throw new Error('down');
      },
      intervalMs: 100,
      timeoutMs: 50,
      onReachable: reachable,
    });
    prober.start();
    prober.start(); // a second start while one is pending schedules nothing more
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pings).toBe(3);
    expect(reachable).toHaveBeenCalledTimes(1);
  });

  it('counts a ping slower than its timeout as a failure', async () => {
    const reachable = vi.fn();
    let pings = 0;
    const prober = createProber({
      ping: () => (++pings === 1 ? new Promise(() => {}) : Promise.resolve()),
      intervalMs: 100,
      timeoutMs: 50,
      onReachable: reachable,
    });
    prober.start();
    await vi.advanceTimersByTimeAsync(160); // first ping at 100 ms times out at 150 ms
    expect(reachable).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(pings).toBe(2);
    expect(reachable).toHaveBeenCalledTimes(1);
  });

  it('neither pings nor reports after stop()', async () => {
    const ping = vi.fn(async () => {});
    const reachable = vi.fn();
    const prober = createProber({ ping, intervalMs: 100, timeoutMs: 50, onReachable: reachable });
    prober.start();
    prober.stop();
    prober.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ping).not.toHaveBeenCalled();
    expect(reachable).not.toHaveBeenCalled();
  });
});
