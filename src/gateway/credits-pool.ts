/**
 * An organization's pool as its plan and usage pages show it, for the Unkey credits mirror
 * (src/domain/keys/credits-mirror.ts): the spendable credit balance in micro-dollars on a credits plan (the
 * Plan page's `balance_micros`), else the tokens left in the 30-day window on a monthly-quota plan (the Usage
 * page's `tokens_per_month` remaining), else null (unlimited). Reads the limiter without charging.
 */
import type { Credits } from '../platform/billing/types.js';
import type { Limiter } from '../platform/limiter/types.js';
import { windowLimits } from './limits.js';
import type { PolicyCache } from './policy.js';

/** An organization's pool: what its keys' Unkey credits show. null: unlimited. */
export type CreditsPool = { unit: 'micros' | 'tokens'; remaining: number } | null;

export async function creditsPool(
  deps: { policies: PolicyCache; limiter: Limiter; credits?: Pick<Credits, 'balance'> },
  orgId: string,
): Promise<CreditsPool | undefined> {
  const policy = await deps.policies.get(orgId);
  if (!policy) return undefined;
  if (policy.plan.kind === 'credits' && deps.credits)
    return { unit: 'micros', remaining: await deps.credits.balance(orgId) };
  const monthly = windowLimits(policy, []).find((l) => l.name === 'tokens_per_month');
  if (!monthly) return null;
  const [state] = await deps.limiter.peek([monthly.spec]);
  if (!state) throw new Error('limiter.peek answered no state for the monthly window');
  return { unit: 'tokens', remaining: state.remaining };
}
