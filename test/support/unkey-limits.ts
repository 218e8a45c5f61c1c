/**
 * limits.provider (and keys.provider) = unkey in tests: a fake Unkey (fake-unkey.ts) started before the portal, and the guarantees
 * the limit cases may assume in each mode (docs/decisions/021-unkey-limits.md). Portal's own limiter is exact
 * up to one sub-bucket; Unkey's decides on a fixed window plus the weighted previous one, so a refusal may
 * have to wait `duration · cost / limit` past the window's reset, and any window of length W may hold up to 2·N.
 *
 * @example
 *   const unkey = useFakeUnkeyLimits();                       // registers beforeAll/afterAll
 *   const t = usePortal(() => ({ config: { ...unkey.config() } }));
 */
import { afterAll, beforeAll } from 'vitest';
import { startFakeUnkey, type FakeUnkey } from './fake-unkey.js';

const ROOT_KEY_ENV = 'PORTAL_TEST_UNKEY_LIMITS_ROOT_KEY';
const ROOT_KEY = 'unkey_root_for_portal_limit_tests';

/** What a limit case may assume of the limiter it runs against. */
export interface LimitGuarantee {
  /** The longest honest retry-after for a refused request of `cost` against `limit` in a window of `windowMs`. */
  maxWaitMs(windowMs: number, cost: number, limit: number): number;
  /** The most admitted requests any window of the limit's length may hold, for a limit of n. */
  maxInAnyWindow(n: number): number;
}

/** Portal's contract (shared/limits.md): exact up to one of 60 sub-buckets. */
export const exactGuarantee: LimitGuarantee = {
  maxWaitMs: (windowMs) => windowMs + windowMs / 60,
  maxInAnyWindow: (n) => n,
};

/** Unkey's documented algorithm (decision 021): each aligned window ≤ n, so any window of length W ≤ 2n. */
export const unkeyGuarantee: LimitGuarantee = {
  maxWaitMs: (windowMs, cost, limit) => windowMs + Math.ceil((windowMs * cost) / limit),
  maxInAnyWindow: (n) => 2 * n,
};

export function useFakeUnkeyLimits(): {
  readonly fake: FakeUnkey;
  /** limits.provider unkey. */
  config(): Record<string, unknown>;
  /**
   * keys.provider unkey too, on the same fake (keys must then be issued through Portal's key service); `unkey`
   * adds to `keys.unkey` (e.g. `creditsMirror`).
   */
  keysConfig(unkey?: Record<string, unknown>): Record<string, unknown>;
} {
  let fake: FakeUnkey | undefined;
  beforeAll(async () => {
    fake = await startFakeUnkey({ rootKey: ROOT_KEY, apiId: 'api_portal_limits' });
    process.env[ROOT_KEY_ENV] = ROOT_KEY;
  });
  afterAll(() => fake?.close());
  const running = () => {
    if (!fake) throw new Error('useFakeUnkeyLimits: the fake is not running');
    return fake;
  };
  return {
    get fake() {
      return running();
    },
    config: () => ({
      limits: { provider: 'unkey', unkey: { baseUrl: running().url, rootKeyEnv: ROOT_KEY_ENV } },
    }),
    keysConfig: (unkey = {}) => ({
      keys: {
        provider: 'unkey',
        unkey: { baseUrl: running().url, rootKeyEnv: ROOT_KEY_ENV, apiId: 'api_portal_limits', ...unkey },
      },
    }),
  };
}
