import { describe, expect, it } from 'vitest';
import { createBreaker } from './breaker.js';

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures, not before', () => {
    const b = createBreaker({ failureThreshold: 3, openMs: 1000 });
    b.onFailure(0);
    b.onFailure(0);
    expect(b.state(0)).toBe('closed');
    b.onFailure(10);
    expect(b.state(10)).toBe('open');
    expect(b.reopensAt()).toBe(1010);
  });

  it('forgets failures after a success', () => {
    const b = createBreaker({ failureThreshold: 2, openMs: 1000 });
    b.onFailure(0);
    b.onSuccess();
    b.onFailure(1);
    expect(b.state(1)).toBe('closed');
  });

  it('is half-open after the open period, closes on a success and reopens on a failure', () => {
    const b = createBreaker({ failureThreshold: 1, openMs: 100 });
    b.onFailure(0);
    expect(b.state(99)).toBe('open');
    expect(b.state(100)).toBe('half_open');
    b.onFailure(150);
    expect(b.state(200)).toBe('open');
    expect(b.state(250)).toBe('half_open');
    b.onSuccess();
    expect(b.snapshot(250)).toEqual({ state: 'closed', consecutiveFailures: 0, openedAt: null });
  });
});
