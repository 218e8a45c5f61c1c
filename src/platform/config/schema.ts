/**
 * The typed shape of Portal's configuration. One zod schema, with defaults that make `npm start` work with no
 * file at all: the four launch models, the free plan, and (when no pool is configured) a demo pool served by
 * the in-process router simulator.
 */
import { z } from 'zod';

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" and "-" only');

export const templateFamilies = ['harmony', 'gemma4', 'gemma', 'chatml', 'llama3', 'plain'] as const;
export type TemplateFamily = (typeof templateFamilies)[number];

export const modelSchema = z.object({
  id,
  displayName: z.string().min(1),
  description: z.string().default(''),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  /** Tokens reserved at admission when a request names no max_tokens. */
  defaultMaxTokens: z.number().int().positive().default(1024),
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
  maxActiveKeys: z.number().int().positive().default(5),
  /** Product model ids this plan may call; "*" for all. */
  models: z.array(z.string().min(1)).default(['*']),
  /** monthly_quota plans: tokens per calendar month. */
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
  weight: z.number().int().positive().default(1),
  maxConcurrency: z.number().int().positive().default(64),
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

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Public base URL used in links (password reset, docs snippets). */
        publicUrl: z.string().optional(),
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(4 * 1024 * 1024),
        shutdownGraceMs: z.number().int().nonnegative().default(10_000),
        /** Trust X-Forwarded-For for client IPs (behind a load balancer). */
        trustProxy: z.boolean().default(false),
      })
      .prefault({}),
    /** Embedded store and spool files live here. */
    dataDir: z.string().default('./.portal'),
    database: z.object({ url: z.string().optional() }).prefault({}),
    redis: z
      .object({
        url: z.string().optional(),
        /** What the limiter does when Redis is unreachable: per-instance limits, or refuse. */
        onFailure: z.enum(['local', 'closed']).default('local'),
        /** This instance's share of each limit while Redis is unreachable (e.g. 1/3 with three instances). */
        localShare: z.number().min(0).max(1).default(1),
      })
      .prefault({}),
    admin: z.object({ token: z.string().min(16).optional() }).prefault({}),
    auth: z
      .object({
        provider: z.enum(['local', 'clerk', 'supabase']).default('local'),
        /** Secret for session signing (better-auth). Generated into the data dir when absent. */
        secret: z.string().min(32).optional(),
        clerk: z
          .object({
            jwksUrl: z.url(),
            issuer: z.string(),
            audience: z.string().optional(),
            secretKeyEnv: z.string().optional(),
          })
          .optional(),
        supabase: z
          .object({
            url: z.url(),
            jwtSecretEnv: z.string().optional(),
            jwksUrl: z.url().optional(),
            audience: z.string().default('authenticated'),
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
        keyCacheTtlMs: z.number().int().positive().default(30_000),
        negativeKeyCacheTtlMs: z.number().int().positive().default(5_000),
        requestTimeoutMs: z.number().int().positive().default(300_000),
        firstTokenKeepAliveMs: z.number().int().positive().default(10_000),
        /** Length of the per-key "per minute" windows. 60 s in production; shorter only to test limits quickly. */
        rateWindowMs: z.number().int().min(1_000).default(60_000),
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
            timeoutMs: z.number().int().positive().default(2_000),
          })
          .optional(),
      })
      .refine((k) => k.provider !== 'unkey' || k.unkey, {
        message: 'keys.unkey is required for provider unkey',
      })
      .prefault({}),
    health: z
      .object({
        probeIntervalMs: z.number().int().positive().default(1_000),
        failureThreshold: z.number().int().positive().default(3),
        openMs: z.number().int().positive().default(5_000),
      })
      .prefault({}),
    metering: z
      .object({
        batchSize: z.number().int().positive().default(500),
        flushIntervalMs: z.number().int().positive().default(250),
        queueMax: z.number().int().positive().default(100_000),
      })
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
export type RouterConfig = z.infer<typeof routerSchema>;
