/**
 * A small typed client for the Unkey v2 endpoints Portal uses: the key endpoints (`keys.createKey`,
 * `keys.verifyKey`, `keys.updateKey`, `keys.deleteKey`; docs/decisions/005-unkey.md), `keys.updateCredits`
 * (the credits mirror, decision 025) and `ratelimit.multiLimit` (limits.provider = unkey; decision 021).
 * Every verification is sent with `credits: { cost: 0 }`: Portal charges usage itself, so a key's Unkey
 * credits are a read-only mirror of its organization's balance or quota and never block a request. Every call is a JSON POST with the
 * root key as a Bearer token and a deadline; answers are parsed, never trusted: a success is
 * `{ meta: { requestId }, data }`, a failure `{ meta, error: { title, detail, status, type } }` (RFC 7807).
 * Failures surface as one `UnkeyError`; `unavailable` tells a caller "try again later" (network, timeout,
 * 429, 5xx) from "this request is wrong" (4xx).
 *
 * @example
 *   const unkey = createUnkeyClient({ baseUrl: 'https://api.unkey.com', rootKey, timeoutMs: 2_000 });
 *   const { key, keyId } = await unkey.createKey({ apiId, prefix: 'ptl', externalId: orgId, meta });
 *   const result = await unkey.verifyKey(key);   // result.valid, result.code === 'VALID'
 */
import { z } from 'zod';

export const verifyCodes = [
  'VALID',
  'NOT_FOUND',
  'FORBIDDEN',
  'INSUFFICIENT_PERMISSIONS',
  'INSUFFICIENT_CREDITS',
  'USAGE_EXCEEDED',
  'RATE_LIMITED',
  'DISABLED',
  'EXPIRED',
] as const;
export type VerifyCode = (typeof verifyCodes)[number];

export type UnkeyMeta = Record<string, unknown>;

/** A ratelimit attached to a key (createKey / updateKey `ratelimits`: RatelimitRequest). */
export interface KeyRatelimit {
  name: string;
  limit: number;
  /** Window in ms (≥ 1000). */
  duration: number;
  /** Checked on every verification when true; Portal names its limits with their cost instead. */
  autoApply: boolean;
}

/** One ratelimit checked by `keys.verifyKey` (KeysVerifyKeyRatelimit): the attached one of that name, its
 * limit and duration overridden when given. */
export interface VerifyRatelimit {
  name: string;
  cost?: number;
  limit?: number;
  duration?: number;
}

export interface CreateKeyInput {
  apiId: string;
  prefix?: string;
  name?: string;
  byteLength?: number;
  externalId?: string;
  meta?: UnkeyMeta;
  /** Unix milliseconds. */
  expires?: number;
  enabled?: boolean;
  ratelimits?: KeyRatelimit[];
  /** The key's remaining credits (null or absent: unlimited). */
  credits?: { remaining: number | null };
}

/** `keys.updateCredits`: `set` to a value (null: unlimited), or `increment` / `decrement` by one. */
export interface UpdateCreditsInput {
  keyId: string;
  operation: 'set' | 'increment' | 'decrement';
  value: number | null;
}

export interface UpdateKeyInput {
  keyId: string;
  name?: string | null;
  externalId?: string | null;
  meta?: UnkeyMeta | null;
  /** Unix milliseconds; null makes the key permanent. */
  expires?: number | null;
  enabled?: boolean;
  /** Omitted: unchanged; null: all removed; otherwise replaces every ratelimit of the key. */
  ratelimits?: KeyRatelimit[] | null;
}

const verifyRatelimitData = z.object({
  name: z.string(),
  exceeded: z.boolean(),
  limit: z.number(),
  remaining: z.number(),
  /** Unix ms when the window resets. */
  reset: z.number(),
  duration: z.number(),
});

const verifyData = z.object({
  valid: z.boolean(),
  // Unknown future codes are kept as strings so a new code is a refusal, not a parse failure.
  code: z.union([z.enum(verifyCodes), z.string()]),
  keyId: z.string().optional(),
  name: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).nullish(),
  expires: z.number().nullish(),
  enabled: z.boolean().optional(),
  identity: z
    .object({
      id: z.string().optional(),
      externalId: z.string(),
      meta: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  /** The ratelimits this verification checked (VerifyKeyRatelimitData). */
  ratelimits: z.array(verifyRatelimitData).optional(),
  /** Remaining credits; absent for a key without a credit limit. */
  credits: z.number().optional(),
});
export type VerifyKeyData = z.infer<typeof verifyData>;

/** One check of `ratelimit.multiLimit` (the request body is an array of these). */
export interface RatelimitCheck {
  namespace: string;
  identifier: string;
  limit: number;
  /** Window in ms: 1,000 … 2,592,000,000 (30 days). */
  duration: number;
  /** 0 reads the counter without charging it. */
  cost?: number;
}

const ratelimitCheck = z.object({
  namespace: z.string(),
  identifier: z.string(),
  limit: z.number(),
  remaining: z.number(),
  /** Unix ms when the current window resets. */
  reset: z.number(),
  // The verdict per check: `passed` in the current document and Unkey's handler; `success` in older revisions
  // (and in their examples). Either is accepted; an answer with neither does not parse.
  passed: z.boolean().optional(),
  success: z.boolean().optional(),
  overrideId: z.string().optional(),
});
const ratelimitResult = ratelimitCheck
  .refine((r) => r.passed !== undefined || r.success !== undefined, 'a check result without a verdict')
  .transform(({ passed, success, ...r }) => ({ ...r, success: passed ?? success ?? false }));
const multiLimitData = z.object({
  // The overall verdict (`passed`; `success` in older revisions) is not read: Portal decides from each check.
  limits: z.array(ratelimitResult),
});
export type RatelimitResult = z.output<typeof ratelimitResult>;

/** KeyCreditsData: what `keys.updateCredits` answers. */
const creditsData = z.object({ remaining: z.number().nullable() });

/** The response fields Portal reads, per operation (the OpenAPI drift test checks them against the spec). */
export const readFields = {
  '/v2/keys.verifyKey': Object.keys(verifyData.shape),
  'keys.verifyKey ratelimits[]': Object.keys(verifyRatelimitData.shape),
  '/v2/ratelimit.multiLimit': Object.keys(multiLimitData.shape),
  'ratelimit.multiLimit limits[]': Object.keys(ratelimitCheck.shape).filter((f) => f !== 'success'),
  '/v2/keys.updateCredits': Object.keys(creditsData.shape),
} as const;

/** Fields read only as a fallback for older revisions of the document (not in the current one). */
export const legacyReadFields = { 'ratelimit.multiLimit limits[]': ['success'] } as const;

const createData = z.object({ keyId: z.string().min(1), key: z.string().min(1) });
const emptyData = z.unknown();

const errorEnvelope = z.object({
  meta: z.object({ requestId: z.string().optional() }).optional(),
  error: z.object({
    title: z.string().optional(),
    detail: z.string().optional(),
    status: z.number().optional(),
    type: z.string().optional(),
  }),
});

export class UnkeyError extends Error {
  override name = 'UnkeyError';
  constructor(
    message: string,
    /** HTTP status, or 0 when Unkey could not be reached or did not answer in time. */
    readonly status: number,
    readonly type?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
  /** True when retrying later may succeed: no answer, a timeout, 429 or a 5xx. */
  get unavailable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface UnkeyClient {
  createKey(input: CreateKeyInput): Promise<{ keyId: string; key: string }>;
  /** `ratelimits`: the key's attached ratelimits to check, each with its cost (and limit / duration overrides). */
  verifyKey(key: string, options?: { ratelimits?: VerifyRatelimit[] }): Promise<VerifyKeyData>;
  updateKey(input: UpdateKeyInput): Promise<void>;
  /** Sets (or moves) the key's remaining credits; answers the value Unkey now holds (null: unlimited). */
  updateCredits(input: UpdateCreditsInput): Promise<{ remaining: number | null }>;
  /** Soft delete by default: verification then answers NOT_FOUND. */
  deleteKey(keyId: string, options?: { permanent?: boolean }): Promise<void>;
  /** Every check in one call; each is decided (and charged when it passes) on its own, in order. */
  multiLimit(checks: RatelimitCheck[]): Promise<RatelimitResult[]>;
}

export interface UnkeyClientOptions {
  baseUrl: string;
  rootKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Verifications never consume a key's credits (the mirror is written by Portal, decision 025). */
const NO_CREDITS = { cost: 0 } as const;

export function createUnkeyClient(options: UnkeyClientOptions): UnkeyClient {
  if (!options.rootKey) throw new Error('Unkey root key is empty');
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function call<T>(path: string, body: object | object[], schema: z.ZodType<T>): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.rootKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const reason =
        (err as Error).name === 'TimeoutError' ? `no answer in ${options.timeoutMs} ms` : String(err);
      throw new UnkeyError(`Unkey ${path}: ${reason}`, 0);
    }
    const json = parseJson(text);
    if (!response.ok) {
      const envelope = errorEnvelope.safeParse(json);
      const error = envelope.success ? envelope.data.error : undefined;
      const detail = error ? `${error.title ?? 'Error'}: ${error.detail ?? ''}` : text.slice(0, 200);
      throw new UnkeyError(
        `Unkey ${path} answered ${response.status}: ${detail}`,
        response.status,
        error?.type,
        envelope.success ? envelope.data.meta?.requestId : undefined,
      );
    }
    const parsed = z.object({ data: schema }).safeParse(json);
    if (!parsed.success)
      throw new UnkeyError(`Unkey ${path} answered ${response.status} with an unexpected body`, 502);
    return parsed.data.data;
  }

  return {
    createKey: (input) => call('/v2/keys.createKey', input, createData),
    verifyKey: (key, verifyOptions = {}) =>
      call(
        '/v2/keys.verifyKey',
        verifyOptions.ratelimits
          ? { key, credits: NO_CREDITS, ratelimits: verifyOptions.ratelimits }
          : { key, credits: NO_CREDITS },
        verifyData,
      ),
    updateCredits: (input) => call('/v2/keys.updateCredits', input, creditsData),
    async updateKey(input) {
      await call('/v2/keys.updateKey', input, emptyData);
    },
    async deleteKey(keyId, deleteOptions = {}) {
      await call('/v2/keys.deleteKey', { keyId, ...deleteOptions }, emptyData);
    },
    async multiLimit(checks) {
      const data = await call('/v2/ratelimit.multiLimit', checks, multiLimitData);
      if (data.limits.length !== checks.length)
        throw new UnkeyError(
          `Unkey /v2/ratelimit.multiLimit answered ${data.limits.length} results for ${checks.length} checks`,
          502,
        );
      return data.limits;
    },
  };
}

/** The client for `keys.unkey` config: the root key is read from the environment variable it names. */
export function unkeyClientFromConfig(
  config: { baseUrl: string; rootKeyEnv: string; timeoutMs: number },
  env: Record<string, string | undefined> = process.env,
): UnkeyClient {
  const rootKey = env[config.rootKeyEnv];
  if (!rootKey) throw new Error(`Unkey is configured but ${config.rootKeyEnv} is not set`);
  return createUnkeyClient({ baseUrl: config.baseUrl, rootKey, timeoutMs: config.timeoutMs });
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
