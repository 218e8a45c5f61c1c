/**
 * The change bus: tells every gateway instance that cached state changed (a key revoked, an account or model
 * disabled, a plan changed, a pool drained). In-memory when single-instance, Redis pub/sub with REDIS_URL.
 * Messages are hints to drop cache entries; caches also expire on their own, so a lost message only delays.
 */
export type BusMessage =
  | { type: 'key.changed'; keyId: string; keyHash?: string }
  | { type: 'org.changed'; orgId: string }
  | { type: 'model.changed'; modelId: string }
  | { type: 'plan.changed'; planId?: string; orgId?: string }
  | { type: 'pool.changed'; poolId: string }
  | { type: 'cache.flush' };

export type BusHandler = (message: BusMessage) => void;

export interface Bus {
  readonly kind: 'memory' | 'redis';
  /** Delivers to every subscriber of every instance, this one included. */
  publish(message: BusMessage): Promise<void>;
  subscribe(handler: BusHandler): () => void;
  /** 'ok', or 'degraded' with a reason when the transport is down (caches then rely on their TTLs). */
  status(): { state: 'ok' | 'degraded'; detail?: string };
  close(): Promise<void>;
}
