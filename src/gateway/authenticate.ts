/**
 * Step one of a /v1 call: the presented key to a Caller (key and organization policy), or a Denial. A known
 * key costs no store read; a failed authentication is counted per client IP, and past the guard's limit a key
 * not in memory is refused before any lookup (auth-guard.ts).
 */
import { PortalError } from '#src/platform/http/errors.js';
import { deny, type Denial } from './denial.js';
import type { KeyDenial } from './keys/verify.js';
import type { Caller, GatewayDeps } from './gateway.js';

export type Authenticated = { ok: true; caller: Caller } | Denial;

const KEY_MESSAGES: Record<KeyDenial, string> = {
  invalid_api_key: 'Invalid API key. Check the key you sent; Portal keys start with "ptl_".',
  key_revoked: 'This API key was revoked. Create a new key in the dashboard.',
  key_disabled: 'This API key was disabled by an administrator.',
  key_expired: 'This API key has expired. Create a new key in the dashboard.',
};
const NO_KEY = deny('invalid_api_key', 'No API key provided. Send it as "Authorization: Bearer ptl_…".');
const ACCOUNT_DISABLED = deny(
  'account_disabled',
  'This account is disabled. Contact support to have it re-enabled.',
);

export function createAuthenticate(deps: Pick<GatewayDeps, 'keys' | 'policies' | 'authGuard'>) {
  const { keys, policies, authGuard: guard } = deps;
  /** `clientIp` is read only when the key is not in memory or fails. */
  return async function authenticate(
    presented: string | undefined,
    clientIp: () => string | undefined = () => undefined,
  ): Promise<Authenticated> {
    if (!presented) {
      guard?.failed(clientIp());
      return NO_KEY;
    }
    const result = await keys
      .verify(presented, undefined, guard && (() => guard.check(clientIp())))
      .catch(storeUnreachable);
    if (!result.ok) {
      // The guard's own refusal is not one more failed authentication.
      if ('message' in result) return result;
      guard?.failed(clientIp());
      return deny(result.code, KEY_MESSAGES[result.code]);
    }
    const policy = await policies.get(result.key.orgId).catch(storeUnreachable);
    if (!policy || policy.status !== 'active') return ACCOUNT_DISABLED;
    keys.touch(result.key.id);
    return { ok: true, caller: { key: result.key, policy, credential: () => presented } };
  };
}

/**
 * A key or policy that is not in memory could not be loaded (the store is down): 503 with a retry-after, not
 * a 500 (issue #17: the soak saw 500 internal_error for every request to an instance restarted just before
 * PostgreSQL went down, bad input included, as nothing was cached there yet).
 */
function storeUnreachable(err: unknown): never {
  if (err instanceof PortalError) throw err;
  throw new PortalError({
    code: 'service_unavailable',
    message: 'API keys cannot be checked right now (database unreachable); please retry shortly.',
    headers: { 'retry-after': '1' },
  });
}
