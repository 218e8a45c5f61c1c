/**
 * Turns a key and its organization's plan into the sliding-window limits of one request, and a limiter
 * decision into the windows to report or a refusal. Per key: requests and tokens per minute (the plan's, or the key's own
 * lower ones). Per organization: requests and tokens per day, and tokens per 30 days on monthly-quota plans.
 * Per-minute refusals are "slow down" (rate_limit_exceeded); allowance refusals are "out of allowance"
 * (insufficient_quota) and say when the window frees up.
 */
import type { LimitDecision, LimitSpec, LimitState } from '../platform/limiter/types.js';
import { deny, type Denial, type RateWindows } from './denial.js';
import type { KeyRecord } from './keys/verify.js';
import type { OrgPolicy } from './policy.js';
import type { WindowName } from '../contracts/product.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The window names are the usage contract's, so the API, the limiter and the dashboard's labels agree. */
export type LimitName = WindowName;

export interface NamedLimit {
  name: LimitName;
  subject: 'key' | 'org';
  measure: 'requests' | 'tokens';
  /** The key a per-key limit belongs to. */
  keyId?: string;
  spec: LimitSpec;
}

interface Definition {
  name: LimitName;
  subject: 'key' | 'org';
  measure: 'requests' | 'tokens';
  windowMs: number;
  buckets: number;
  suffix: string;
  limit: (key: KeyRecord | null, policy: OrgPolicy) => number | null;
  /** The per-key windows follow the configured rate window (60 s unless tuned for tests). */
  scalesWithRateWindow?: boolean;
}

const lower = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

const DEFINITIONS: Definition[] = [
  {
    name: 'requests_per_minute',
    subject: 'key',
    measure: 'requests',
    windowMs: MINUTE,
    buckets: 60,
    suffix: 'rpm',
    scalesWithRateWindow: true,
    limit: (k, p) => lower(k?.requestsPerMinute ?? null, p.plan.requestsPerMinute),
  },
  {
    name: 'tokens_per_minute',
    subject: 'key',
    measure: 'tokens',
    windowMs: MINUTE,
    buckets: 60,
    suffix: 'tpm',
    scalesWithRateWindow: true,
    limit: (k, p) => lower(k?.tokensPerMinute ?? null, p.plan.tokensPerMinute),
  },
  {
    name: 'requests_per_day',
    subject: 'org',
    measure: 'requests',
    windowMs: DAY,
    buckets: 1440,
    suffix: 'rpd',
    limit: (_k, p) => p.plan.requestsPerDay,
  },
  {
    name: 'tokens_per_day',
    subject: 'org',
    measure: 'tokens',
    windowMs: DAY,
    buckets: 1440,
    suffix: 'tpd',
    limit: (_k, p) => p.plan.tokensPerDay,
  },
  {
    name: 'tokens_per_month',
    subject: 'org',
    measure: 'tokens',
    windowMs: 30 * DAY,
    buckets: 720,
    suffix: 'tpmo',
    limit: (_k, p) => p.plan.monthlyTokens,
  },
];

/** Counter key; all keys of one organization share its hash tag (one Redis Cluster slot per decision). */
function counterKey(orgId: string, subject: 'key' | 'org', keyId: string | null, suffix: string): string {
  return subject === 'key' ? `rl:{${orgId}}:k:${keyId}:${suffix}` : `rl:{${orgId}}:o:${suffix}`;
}

/** The limits one request is checked against, charged 1 request and `tokens` reserved tokens. */
export function limitsFor(
  key: KeyRecord,
  policy: OrgPolicy,
  tokens: number,
  rateWindowMs = MINUTE,
): NamedLimit[] {
  return definitionsFor(key, policy, { requests: 1, tokens }, ['key', 'org'], rateWindowMs);
}

function definitionsFor(
  key: KeyRecord | null,
  policy: OrgPolicy,
  cost: { requests: number; tokens: number },
  subjects: Array<'key' | 'org'> = ['key', 'org'],
  rateWindowMs = MINUTE,
): NamedLimit[] {
  const out: NamedLimit[] = [];
  for (const d of DEFINITIONS) {
    if (!subjects.includes(d.subject)) continue;
    const limit = d.limit(key, policy);
    if (limit === null) continue;
    out.push({
      name: d.name,
      subject: d.subject,
      measure: d.measure,
      ...(d.subject === 'key' && key ? { keyId: key.id } : {}),
      spec: {
        key: counterKey(policy.orgId, d.subject, key?.id ?? null, d.suffix),
        limit,
        windowMs: d.scalesWithRateWindow ? rateWindowMs : d.windowMs,
        buckets: d.buckets,
        cost: cost[d.measure],
      },
    });
  }
  return out;
}

/** Limits to show for an organization (no charge): its own, and each key's. */
export function windowLimits(policy: OrgPolicy, keys: KeyRecord[], rateWindowMs = MINUTE): NamedLimit[] {
  const zero = { requests: 0, tokens: 0 };
  return [
    ...definitionsFor(null, policy, zero, ['org']),
    ...keys.flatMap((k) => definitionsFor(k, policy, zero, ['key'], rateWindowMs)),
  ];
}

/** The tightest request window and the tightest token window of a decision (the answer's x-ratelimit-*). */
export function tightestWindows(limits: NamedLimit[], states: LimitState[]): RateWindows {
  const windows: RateWindows = {};
  for (const measure of ['requests', 'tokens'] as const) {
    let tightest: LimitState | undefined;
    limits.forEach((l, i) => {
      const s = states[i];
      if (l.measure === measure && s && (!tightest || s.remaining < tightest.remaining)) tightest = s;
    });
    if (tightest)
      windows[measure] = { limit: tightest.limit, remaining: tightest.remaining, resetMs: tightest.resetMs };
  }
  return windows;
}

/** The refusal for a refused decision: what was hit, and when it frees up. */
export function limitDenial(
  limits: NamedLimit[],
  decision: Extract<LimitDecision, { allowed: false }>,
  keyName: string,
  planName: string,
  now = Date.now(),
): Denial {
  const hit = limits[decision.blockedBy];
  // The limiter's contract: blockedBy indexes the limits it was given. Anything else is a bug, not a denial.
  if (!hit) throw new Error(`limiter refused by limit ${decision.blockedBy} of ${limits.length}`);
  const label = `${hit.spec.limit.toLocaleString('en-US')} ${hit.name.replace(/_/g, ' ')}`;
  const retryAfterMs = decision.retryAfterMs;
  if (retryAfterMs === null)
    return deny(
      'invalid_request_error',
      `This request needs ${hit.spec.cost.toLocaleString('en-US')} ${hit.measure}, more than the limit of ${label} allows at once. Lower max_tokens or shorten the prompt.`,
      { param: hit.measure === 'tokens' ? 'max_tokens' : null },
    );
  const windows = tightestWindows(limits, decision.states);
  if (hit.subject === 'key')
    return deny(
      'rate_limit_exceeded',
      `Rate limit reached for key "${keyName}": ${label}. Retry in ${humanDuration(retryAfterMs)}.`,
      { retryAfterMs, windows, shouldRetry: true },
    );
  const at = new Date(now + retryAfterMs).toISOString();
  return deny(
    'insufficient_quota',
    `The ${planName} plan's allowance of ${label} is used up; it frees up at ${at} (in ${humanDuration(retryAfterMs)}). Upgrade the plan for a larger allowance.`,
    { retryAfterMs, windows, shouldRetry: false },
  );
}

function humanDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.ceil(s / 60);
  if (m < 120) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
