import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { redisTargetOf } from './client.js';

describe('redisTargetOf', () => {
  it('is null without Redis (each instance keeps its own state)', () => {
    expect(redisTargetOf({})).toBeNull();
    expect(redisTargetOf({ url: '' })).toBeNull();
  });

  it('one URL is one node', () => {
    expect(redisTargetOf({ url: 'redis://h:6379' })).toEqual({ kind: 'single', url: 'redis://h:6379' });
  });

  it('several comma-separated URLs, or redis.cluster, are a cluster (redis.cluster wins)', () => {
    expect(redisTargetOf({ url: 'redis://a:7000, redis://b:7001' })).toEqual({
      kind: 'cluster',
      nodes: ['redis://a:7000', 'redis://b:7001'],
    });
    expect(redisTargetOf({ url: 'redis://x', cluster: ['redis://a:7000'] })).toEqual({
      kind: 'cluster',
      nodes: ['redis://a:7000'],
    });
  });

  it('config refuses a cluster node that is not a redis URL, naming the option', () => {
    expect(() => loadConfig({ env: {}, overrides: { redis: { cluster: ['10.0.0.1:6379'] } } })).toThrow(
      /redis\.cluster\.0/,
    );
  });
});
