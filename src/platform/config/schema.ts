/**
 * The typed shape of Portal's configuration. One zod schema, with defaults that make `npm start` work with no
 * file at all: the four launch models, the free plan, and (when no pool is configured) a demo pool served by
 * the in-process router simulator.
 */
import { z } from 'zod';
import { isCidr } from '../http/client-ip.js';

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" and "-" only');

/** A whole number above zero (a count, a size, milliseconds), `fallback` when the key is left out. */
const positiveInt = (fallback: number) => z.number().int().positive().default(fallback);

export const templateFamilies = ['harmony', 'gemma4', 'gemma', 'chatml', 'llama3', 'plain'] as const;
export type TemplateFamily = (typeof templateFamilies)[number];

export const modelSchema = z.object({
  id,
  displayName: z.string().min(1),
  description: z.string().default(''),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  /** Tokens reserved at admission when a request names no max_tokens. */
  defaultMaxTokens: positiveInt(1024),
  template: z.enum(templateFamilies),
  /** Price in micro-units (1e-6 of the currency) per million tokens. */
  inputPricePerMTok: z.number().int().nonnegative().default(0),
  outputPricePerMTok: z.number().int().nonnegative().default(0),
  aliases: z.array(z.string().min(1)).default([]),
  enabled: z.boolean().default(true),
});

const limitsSchema = z
  .object({
    requestsPerMinute: z.number().int().positive().nullable().default(null),
    tokensPerMinute: z.number().int().positive().nullable().default(null),
    requestsPerDay: z.number().int().positive().nullable().default(null),
    tokensPerDay: z.number().int().positive().nullable().default(null),
  })
  .strict();

export const planSchema = z.object({
  id,
  name: z.string().min(1),
  kind: z.enum(['free', 'monthly_quota', 'credits']).default('free'),
  limits: limitsSchema.prefault({}),
  maxActiveKeys: positiveInt(5),
  /** Product model ids this plan may call; "*" for all. */
  models: z.array(z.string().min(1)).default(['*']),
  /** monthly_quota plans: tokens per 30 rolling days (a sliding window, not a calendar month). */
  monthlyTokens: z.number().int().positive().nullable().default(null),
  /** Price per month in micro-units (shown on the Plan page; billing is out of scope for V1). */
  priceMicrosPerMonth: z.number().int().nonnegative().default(0),
});

export const routerSchema = z.object({
  id,
  url: z.url(),
  /** Name of the environment variable holding the router's bearer key. Never the key itself. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
    .optional(),
  dedicatedSessions: z.array(z.number().int().nonnegative()).default([]),
  ephemeralSessions: z.array(z.number().int().nonnegative()).default([]),
  weight: positiveInt(1),
  maxConcurrency: positiveInt(64),
  state: z.enum(['active', 'draining', 'disabled']).default('active'),
});

export const poolSchema = z.object({
  id,
  name: z.string().min(1).optional(),
  kind: z.enum(['cortensor', 'openai']).default('cortensor'),
  /** Cortensor completion path version: v1 puts prompts on-chain, v2/v3 keep them off-chain. */
  apiVersion: z.enum(['v1', 'v2', 'v3']).default('v1'),
  /**
   * OpenAI-compatible pools: `native` (default) passes tools, tool_choice and response_format through;
   * `prompt` renders them into a raw prompt with the model's template (POST /completions) and parses the
   * text, for servers without native tool support.
   */
  toolCalling: z.enum(['native', 'prompt']).optional(),
  state: z.enum(['active', 'draining', 'disabled']).default('active'),
  /** Product model ids served, or { id, upstreamModel } for OpenAI-compatible upstreams. */
  models: z
    .array(
      z.union([z.string().min(1), z.object({ id: z.string().min(1), upstreamModel: z.string().min(1) })]),
    )
    .min(1),
  routers: z.array(routerSchema).min(1),
});

/** An admin token: 32+ characters, 8+ distinct, ≥ 2.5 bits of spread per character, not one repeated unit
 * (a random 32-character hex token passes with certainty in practice; aaaa…, abab…, abcd1234abcd1234… fail). */
export function isStrongToken(token: string): boolean {
  const counts = new Map<string, number>();
  for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / token.length) * Math.log2(n / token.length);
  const periodic = (token + token).indexOf(token, 1) < token.length;
  return token.length >= 32 && counts.size >= 8 && bitsPerChar >= 2.5 && !periodic;
}

const cidrs = z.array(z.string().refine(isCidr, 'an IP address or CIDR, e.g. 10.0.0.0/8')).min(1);

const trustProxySchema = z
  .union([z.boolean(), z.number().int().min(0).max(16), cidrs])
  .transform((v): false | number | string[] => (v === true ? 1 : v === 0 ? false : v));

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8080),
        /**
         * The canonical public origin (e.g. https://portal.example): mailed links, cookies, HSTS and the Host
         * accepted on /api/auth/*. Required in production unless bound to loopback (see public-origin.ts).
         */
        publicUrl: z
          .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://portal.example' })
          .optional(),
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(4 * 1024 * 1024),
        shutdownGraceMs: z.number().int().nonnegative().default(10_000),
        /** Proxies in front, for client IPs from X-Forwarded-For: false (none), a hop count, or their CIDRs;
         * true means 1 hop. The leftmost (client-written) entry is never trusted. */
        trustProxy: trustProxySchema.default(false),
        /** Separate listener for /metrics and /readyz detail (then the main port serves no /metrics). */
        opsPort: z.number().int().min(0).max(65535).optional(),
        opsHost: z.string().default('127.0.0.1'),
        /** Receiving a request: its headers within headersTimeoutMs, all of it within requestTimeoutMs (the
         * answer is not bounded by these); at most maxConnections open connections (docs/decisions/009). */
        headersTimeoutMs: z.number().int().min(100).default(10_000),
        requestTimeoutMs: z.number().int().min(100).default(30_000),
        maxConnections: positiveInt(10_000),
      })
      .refine((s) => s.headersTimeoutMs <= s.requestTimeoutMs, {
        message: 'server.headersTimeoutMs must not exceed server.requestTimeoutMs',
      })
      .prefault({}),
    /** Embedded store and spool files live here. */
    dataDir: z.string().default('./.portal'),
    database: z
      .object({
        url: z.string().optional(),
        /** A direct (unpooled) connection for migrations when `url` goes through a transaction-mode pooler. */
        directUrl: z.string().optional(),
      })
      .prefault({}),
    redis: z
      .object({
        url: z.string().optional(),
        /** Redis Cluster seed nodes (any reachable subset of the cluster); when set, `url` is not used. */
        cluster: z.array(z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')).optional(),
        /** What the limiter does when Redis is unreachable: per-instance limits, or refuse. */
        onFailure: z.enum(['local', 'closed']).default('local'),
        /** This instance's share of each limit while Redis is unreachable (e.g. 1/3 with three instances). */
        localShare: z.number().min(0).max(1).default(1),
      })
      .prefault({}),
    admin: z
      .object({
        token: z
          .string()
          .refine(
            isStrongToken,
            'too weak (PORTAL_ADMIN_TOKEN): use at least 32 random characters, e.g. `openssl rand -hex 32`',
          )
          .optional(),
        /** Addresses / CIDRs the admin API (and /metrics on the main port) answers from; absent: any. */
        allowIps: cidrs.optional(),
        /**
         * Emails of people who are admins (their dashboard session works on /admin/api), compared
         * case-insensitively on every request; a list, or comma-separated (PORTAL_ADMIN_EMAILS).
         */
        emails: z
          .union([z.array(z.string()), z.string()])
          .transform((v) =>
            (typeof v === 'string' ? v.split(',') : v).map((e) => e.trim().toLowerCase()).filter(Boolean),
          )
          .pipe(z.array(z.email('an email address')).max(1000))
          .default([]),
      })
      .strict()
      .prefault({}),
    auth: z
      .object({
        provider: z.enum(['local', 'clerk', 'supabase']).default('local'),
        /** Secret for session signing (better-auth). Generated into the data dir when absent. */
        secret: z.string().min(32).optional(),
        /** Sign-in needs a verified email (link mailed at sign-up). Default: on when `smtp` is set. */
        requireEmailVerification: z.boolean().optional(),
        /** Absolute lifetime of a session, however active (sessions also end after 7 idle days). */
        sessionMaxAgeDays: z.number().int().min(1).max(365).default(30),
        clerk: z
          .object({
            jwksUrl: z.url(),
            issuer: z.string(),
            audience: z.string().optional(),
            /** Origins of the apps whose Clerk session tokens are accepted (the token's `azp`). */
            authorizedParties: z.array(z.url()).min(1, "list at least one origin (the dashboard's)"),
            /** The dashboard's Clerk instance (`pk_live_…` / `pk_test_…`); without it the dashboard cannot sign in. */
            publishableKey: z
              .string()
              .regex(/^pk_(live|test)_[A-Za-z0-9+/=_-]+$/, 'a Clerk publishable key (pk_live_… or pk_test_…)')
              .optional(),
            /** Clerk's hosted pages (Account Portal): the user menu's account page goes there, not to <UserProfile/>. */
            signInUrl: z.url().optional(),
            /** Clerk's documented Frontend API proxy (`proxyUrl`), when the operator proxies Clerk. */
            proxyUrl: z.url().optional(),
          })
          .optional(),
        supabase: z
          .object({
            url: z.url(),
            jwtSecretEnv: z.string().optional(),
            jwksUrl: z.url().optional(),
            audience: z.string().default('authenticated'),
            /** The project's public anon (publishable) key: the dashboard's supabase-js client uses it. */
            anonKey: z.string().optional(),
            /** OAuth providers enabled in the Supabase project, offered as buttons (e.g. github, google). */
            oauthProviders: z
              .array(z.string().regex(/^[a-z0-9_]+$/, 'a provider id such as github'))
              .default([]),
          })
          .optional(),
        smtp: z
          .object({
            host: z.string(),
            port: z.number().int(),
            from: z.string(),
            userEnv: z.string().optional(),
          })
          .optional(),
      })
      .prefault({}),
    gateway: z
      .object({
        keyCacheTtlMs: positiveInt(30_000),
        negativeKeyCacheTtlMs: positiveInt(5_000),
        requestTimeoutMs: positiveInt(300_000),
        firstTokenKeepAliveMs: positiveInt(10_000),
        /** Length of the per-key "per minute" windows. 60 s in production; shorter only to test limits quickly. */
        rateWindowMs: z.number().int().min(1_000).default(60_000),
        /** Abuse bounds (docs/decisions/009): a prompt over contextWindow × this many characters is refused
         * without counting; the /v1 body limit is the largest window × this × 4 bytes + 64 KiB. */
        promptCharsPerToken: z.number().int().min(1).max(128).default(8),
        /** Failed authentications one client IP may have per window before key lookups are refused (429). */
        authFailureLimit: positiveInt(30),
        authFailureWindowMs: z.number().int().min(1_000).default(60_000),
        /** Bound of the separate LRU of unknown keys (they never evict valid ones). */
        negativeKeyCacheMaxEntries: positiveInt(10_000),
      })
      .prefault({}),
    /** Who issues and verifies API keys: Portal itself, or Unkey (docs/decisions/005-unkey.md). */
    keys: z
      .object({
        provider: z.enum(['portal', 'unkey']).default('portal'),
        unkey: z
          .object({
            baseUrl: z.url().default('https://api.unkey.com'),
            apiId: z.string().regex(/^[a-zA-Z0-9_]{3,255}$/),
            /** Environment variable holding the Unkey root key (never the key itself in config). */
            rootKeyEnv: z.string().min(1).default('UNKEY_ROOT_KEY'),
            /** Prefix of issued keys (Unkey adds the "_"). */
            prefix: z
              .string()
              .regex(/^[a-zA-Z0-9_]{1,16}$/)
              .default('ptl'),
            timeoutMs: positiveInt(2_000),
            /** Each key's Unkey credits mirror its organization's balance or monthly tokens (decision 025). */
            creditsMirror: z
              .object({
                enabled: z.boolean().default(true),
                intervalMs: z.number().int().min(100).default(5_000),
                maxOrgsPerFlush: positiveInt(100),
                resyncMs: z.number().int().min(1_000).default(600_000),
              })
              .prefault({}),
          })
          .optional(),
      })
      .refine((k) => k.provider !== 'unkey' || k.unkey, {
        message: 'keys.unkey is required for provider unkey',
      })
      .prefault({}),
    /** Who decides rate limits and allowances: Portal's own exact limiter, or Unkey (docs/decisions/021). */
    limits: z
      .object({
        provider: z.enum(['portal', 'unkey']).default('portal'),
        unkey: z
          .object({
            baseUrl: z.url().default('https://api.unkey.com'),
            /** Environment variable holding the Unkey root key (never the key itself in config). */
            rootKeyEnv: z.string().min(1).default('UNKEY_ROOT_KEY'),
            /** Namespaces are named `<prefix>.<window>` (e.g. portal.rpm, portal.rpd). */
            namespacePrefix: z
              .string()
              .regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/)
              .default('portal'),
            timeoutMs: positiveInt(2_000),
          })
          .prefault({}),
      })
      .prefault({}),
    health: z
      .object({
        probeIntervalMs: positiveInt(1_000),
        failureThreshold: positiveInt(3),
        openMs: positiveInt(5_000),
      })
      .prefault({}),
    metering: z
      .object({
        batchSize: positiveInt(500),
        flushIntervalMs: positiveInt(250),
        queueMax: positiveInt(100_000),
        /** Request logs older than this are deleted, in bounded batches, by the hourly sweep. */
        requestLogRetentionDays: positiveInt(30),
      })
      .prefault({}),
    /** Where customers get help: shown in the docs, the dashboard and error pages (docs/decisions/018). */
    support: z
      .object({
        url: z
          .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://example.com/help' })
          .optional(),
        email: z.email({ error: 'must be an email address, e.g. support@example.com' }).optional(),
      })
      .strict()
      .prefault({}),
    defaultPlan: id.default('free'),
    models: z.array(modelSchema).min(1),
    plans: z.array(planSchema).min(1),
    pools: z.array(poolSchema).default([]),
  })
  .strict();

export type PortalConfig = z.infer<typeof configSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type PlanConfig = z.infer<typeof planSchema>;
export type PoolConfig = z.infer<typeof poolSchema>;
