/** Where an attempt on a router goes: its URL, its key resolved from the env var named by the router. */
import type { UpstreamTarget } from '../adapters/types.js';
import type { RouterRuntime } from './fleet.js';

export function targetFor(
  r: RouterRuntime,
  lease?: { sessionId?: number; upstreamModel?: string },
): UpstreamTarget {
  const ref = r.record.authSecretRef;
  return {
    baseUrl: r.record.baseUrl,
    apiKey: ref ? process.env[ref] : undefined,
    apiVersion: r.pool.apiVersion,
    sessionId: lease?.sessionId ?? r.record.dedicatedSessionIds[0] ?? r.record.ephemeralSessionIds[0],
    upstreamModel: lease?.upstreamModel,
  };
}
