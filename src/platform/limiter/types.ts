/**
 * The limiter contract (../shared/limits.md): sub-bucketed sliding windows that never over-admit in any
 * window of their length, across instances, and under-admit by at most one sub-bucket. Every limit of one
 * request is decided in one call (one Lua script on Redis): all are charged, or none.
 */
export interface LimitSpec {
  /** Counter key, e.g. "rl:{org_1}:key_9:rpm". Keys of one org share the "{org}" hash tag. */
  key: string;
  /** The most that may be admitted in any window of windowMs. */
  limit: number;
  windowMs: number;
  /** Number of sub-buckets per window (default 60). */
  buckets?: number;
  /** Amount this request charges (1 for request limits; reserved tokens for token limits). */
  cost: number;
}

export interface LimitState {
  key: string;
  limit: number;
  /** Amount counted in the window after this decision (charged included when admitted). */
  used: number;
  remaining: number;
  /** Milliseconds until the oldest counted amount leaves the window (0 when nothing is counted). */
  resetMs: number;
}

export interface Charge {
  key: string;
  windowMs: number;
  buckets: number;
  /** Start (epoch ms) of the bucket the amount was added to. */
  bucketStart: number;
  amount: number;
  /**
   * Set when the per-instance fallback decided this charge while Redis was unreachable; settle() then
   * settles it there. Pass charges back to settle() as received.
   */
  fallback?: boolean;
}

export type LimitDecision =
  | { allowed: true; states: LimitState[]; charges: Charge[] }
  | {
      allowed: false;
      states: LimitState[];
      /** Index in the request's limits of the first limit that refused. */
      blockedBy: number;
      /** Milliseconds until enough of the window expires for this request to fit; null if it never can. */
      retryAfterMs: number | null;
    };

/** What a limiter may need of the request besides its limits. */
export interface ConsumeContext {
  /**
   * The presented API key, for a limiter that checks per-key limits at the key's own verification (Unkey's
   * keys.verifyKey; decision 021). A function, so the secret never lands in a serialized object or a log.
   */
  credential?: () => string;
}

export interface Limiter {
  readonly kind: 'memory' | 'redis' | 'unkey';
  consume(limits: LimitSpec[], now?: number, context?: ConsumeContext): Promise<LimitDecision>;
  /**
   * Settles a reservation: adds `delta` (negative returns tokens) to the bucket each charge went to, if that
   * bucket is still inside its window; a positive delta past the reservation is added to the current bucket.
   */
  settle(charges: Charge[], deltas: number[], now?: number): Promise<void>;
  /** Current state of limits without charging (for the usage page and headers). */
  peek(limits: LimitSpec[], now?: number): Promise<LimitState[]>;
  status(): { state: 'ok' | 'degraded'; detail?: string };
  close(): Promise<void>;
}
