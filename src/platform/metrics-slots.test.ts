import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { slotCounter, slotHistogram } from './metrics-slots.js';

describe('slot instruments', () => {
  it('render a counter per label set, one series for a set resolved twice', async () => {
    const registry = new client.Registry();
    const c = slotCounter(registry, 'x_total', 'X', ['a', 'b']);
    c.slot({ a: '1', b: '2' }).value += 2;
    // A second caller (another limiter on the same registry) gets the same counter and the same slot.
    slotCounter(registry, 'x_total', 'X', ['a', 'b']).slot({ a: '1', b: '2' }).value++;
    c.slot({ a: '1', b: '3' }).value++;
    expect(await registry.metrics()).toBe(
      '# HELP x_total X\n# TYPE x_total counter\nx_total{a="1",b="2"} 3\nx_total{a="1",b="3"} 1\n',
    );
  });

  it('render a histogram with cumulative buckets, +Inf, sum and count', async () => {
    const registry = new client.Registry();
    const h = slotHistogram(registry, 'd_seconds', 'D', ['m'], [0.1, 1]);
    const slot = h.slot({ m: 'q' });
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe(slot, v);
    const text = await registry.metrics();
    expect(text).toContain('d_seconds_bucket{m="q",le="0.1"} 2\n');
    expect(text).toContain('d_seconds_bucket{m="q",le="1"} 3\n');
    expect(text).toContain('d_seconds_bucket{m="q",le="+Inf"} 4\n');
    expect(text).toContain('d_seconds_sum{m="q"} 3.65\n');
    expect(text).toContain('d_seconds_count{m="q"} 4');
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('d_seconds_count{m="q"} 0');
  });

  it('refuse a label set that misses a label', () => {
    const c = slotCounter(new client.Registry(), 'y_total', 'Y', ['a', 'b']);
    expect(() => c.slot({ a: '1' })).toThrow(/label b is missing/);
  });
});
