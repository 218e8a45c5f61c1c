/**
 * The gateway's domain core, free of HTTP: authenticate a presented key, admit a call (model, entitlement,
 * context, limits, credits — no store read for a cached key), and finish it (settle reservations, emit the
 * usage event and request log without awaiting a durable write). Routes stay thin around these three.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../platform/log.js';
import type { Limiter, Charge } from '../platform/limiter/types.js';
import type { Metering } from '../platform/metering/types.js';
import type { Credits, CreditReservation } from '../platform/billing/types.js';
import { PortalError } from '../platform/http/errors.js';
import { newId } from '../platform/ids.js';
import type {
  CatalogModel,
  ChatMessage,
  FinishReason,
  Inference,
  InferenceRequest,
  RouteInfo,
} from '../inference/types.js';
import { countPromptTokens, countPromptTokensAsync, countTokens, promptChars } from '../inference/tokens.js';
import type { KeyRecord, KeyVerifier } from './keys/verify.js';
import type { AuthGuard } from './auth-guard.js';
import { checkEntitlement, type OrgPolicy, type PolicyCache } from './policy.js';
import { limitError, limitsFor, rateLimitHeaders, type NamedLimit } from './limits.js';
import { toolingText } from './structured/tokens.js';

const NO_TOOLING = { text: '', framing: 0 };

export interface ModelCatalog {
  resolve(nameOrAlias: string): CatalogModel | undefined;
  list(): CatalogModel[];
}

export interface GatewayDeps {
  log: Logger;
  keys: KeyVerifier;
  policies: PolicyCache;
  limiter: Limiter;
  catalog: ModelCatalog;
  inference: Inference;
  metering: Metering;
  credits?: Credits;
  /** Failed authentications per client IP; absent in tests that build a bare gateway. */
  authGuard?: AuthGuard;
  requestTimeoutMs: number;
  rateWindowMs: number;
  /** The cheap length bound: a prompt longer than contextWindow × this many characters is refused uncounted. */
  promptCharsPerToken: number;
}

export interface Caller {
  key: KeyRecord;
  policy: OrgPolicy;
}

/** A provider-neutral call, as parsed from any of the /v1 wire formats. */
export interface GatewayCall {
  endpoint: string;
  model: string;
  messages?: ChatMessage[];
  prompt?: string;
  maxTokens?: number | null;
  temperature?: number | null;
  topP?: number | null;
  topK?: number | null;
  stop?: string[];
  presencePenalty?: number | null;
  frequencyPenalty?: number | null;
  stream: boolean;
  /** Tools, tool choice, reasoning and response format: handed to the inference request as they are. */
  tooling?: Tooling;
}

export type Tooling = Pick<
  InferenceRequest,
  'tools' | 'toolChoice' | 'parallelToolCalls' | 'reasoningEffort' | 'includeReasoning' | 'responseFormat'
>;

export interface Admission {
  requestId: string;
  caller: Caller;
  model: CatalogModel;
  call: GatewayCall;
  promptTokens: number;
  reservedTokens: number;
  limits: NamedLimit[];
  charges: Charge[];
  credit?: CreditReservation;
  /** x-ratelimit-* headers for the answer. */
  headers: Record<string, string>;
  request: InferenceRequest;
  abort: AbortController;
  admittedAt: number;
}

export interface Outcome {
  status: number;
  errorCode: string | null;
  route: RouteInfo | null;
  /** Whether an upstream was reached (only then is a usage event written). */
  reachedUpstream: boolean;
  text: string;
  finish: FinishReason;
  upstreamUsage?: { promptTokens: number; completionTokens: number };
  ttftMs: number | null;
  latencyMs: number;
}

export interface Gateway {
  /** `clientIp` is read only when the key is not in memory or fails (the pre-auth guard, auth-guard.ts). */
  authenticate(presented: string | undefined, clientIp?: () => string | undefined): Promise<Caller>;
  /** The admission's `abort` is for the caller to fire when the client goes away. */
  admit(caller: Caller, call: GatewayCall, requestId: string): Promise<Admission>;
  /** Settles and meters; returns the token counts the answer reports. */
  finish(admission: Admission, outcome: Outcome): { inputTokens: number; outputTokens: number };
  /** Models this caller may use, for /v1/models. */
  modelsFor(caller: Caller): CatalogModel[];
  /** The /v1 body limit: the largest context window's prompt at the cheap bound, in JSON (see below). */
  bodyLimitBytes(): number;
}

/**
 * Prompts at most this long (and with at most FAST_PATH_MESSAGES messages) are counted before the limits are
 * charged, in one limiter call: counting them costs well under a millisecond of ordinary text, a few ms at
 * worst, and they cannot overflow any context window. Longer ones are charged their request windows first.
 */
const FAST_PATH_CHARS = 8_192;
const FAST_PATH_MESSAGES = 64;
/** JSON bytes per admissible prompt character: twice the bound, so any text within it fits (CJK at 3 bytes
 * a character runs ~1.1 characters a token, far below the bound of 8). */
const BODY_BYTES_PER_CHAR = 2;
const BODY_SLACK_BYTES = 64 * 1024;

const KEY_MESSAGES: Record<string, string> = {
  invalid_api_key: 'Invalid API key. Check the key you sent; Portal keys start with "ptl_".',
  key_revoked: 'This API key was revoked. Create a new key in the dashboard.',
  key_disabled: 'This API key was disabled by an administrator.',
  key_expired: 'This API key has expired. Create a new key in the dashboard.',
};

export function createGateway(deps: GatewayDeps): Gateway {
  const { keys, policies, limiter, catalog, inference, metering } = deps;

  async function authenticate(
    presented: string | undefined,
    clientIp: () => string | undefined = () => undefined,
  ): Promise<Caller> {
    const guard = deps.authGuard;
    if (!presented) {
      guard?.failed(clientIp());
      throw new PortalError({
        code: 'invalid_api_key',
        message: 'No API key provided. Send it as "Authorization: Bearer ptl_…".',
      });
    }
    const result = await keys.verify(presented, undefined, guard && (() => guard.check(clientIp())));
    if (!result.ok) {
      guard?.failed(clientIp());
      throw new PortalError({ code: result.code, message: KEY_MESSAGES[result.code]! });
    }
    const policy = await policies.get(result.key.orgId);
    if (!policy || policy.status !== 'active')
      throw new PortalError({
        code: 'account_disabled',
        message: 'This account is disabled. Contact support to have it re-enabled.',
      });
    keys.touch(result.key.id);
    return { key: result.key, policy };
  }

  function resolveModel(caller: Caller, name: string): CatalogModel {
    const model = catalog.resolve(name);
    if (!model)
      throw new PortalError({
        code: 'model_not_found',
        param: 'model',
        // Only what this key may call: the catalog's other models are none of the caller's business.
        message: `The model "${name.slice(0, 100)}" does not exist. Available models: ${
          modelsFor(caller)
            .map((m) => m.id)
            .join(', ') || 'none'
        }.`,
      });
    if (model.status !== 'enabled')
      throw new PortalError({
        code: 'model_disabled',
        param: 'model',
        message: `The model "${model.id}" is temporarily disabled. Try another model.`,
      });
    const entitlement = checkEntitlement(caller.policy, caller.key, model.id);
    if (!entitlement.ok)
      throw new PortalError({
        code: 'model_not_allowed',
        param: 'model',
        message:
          entitlement.reason === 'key'
            ? `This API key is restricted to ${caller.key.scopes?.join(', ')}; it may not call "${model.id}".`
            : `The ${caller.policy.plan.name} plan does not include "${model.id}". Upgrade the plan to use it.`,
      });
    return model;
  }

  function contextError(model: CatalogModel, prompt: string, answerTokens: number) {
    return new PortalError({
      code: 'context_length_exceeded',
      param: 'messages',
      message: `This model's maximum context length is ${model.contextWindow} tokens. The request needs ${prompt} for the prompt and ${answerTokens} for the answer. Shorten the messages or lower max_tokens.`,
    });
  }

  /** One limiter call; a refusal becomes the 429 (or 400 when the request can never fit). */
  async function charge(caller: Caller, limits: NamedLimit[]) {
    const decision = await limiter.consume(limits.map((l) => l.spec));
    if (!decision.allowed) throw limitError(limits, decision, caller.key.name, caller.policy.plan.name);
    return decision;
  }

  /**
   * Prompt tokens, and the limits charged for them. A short prompt is counted first and every window is
   * charged in one call. A long one is charged its request windows first — so a flood of oversize prompts
   * meets the requests-per-minute window like any other — then refused by the cheap length bound without
   * counting, or counted (linear, yielding, stopping past the window), and only then charged its tokens.
   * Charges made before a refusal stay: the request was made (docs/decisions/009).
   */
  async function countAndCharge(caller: Caller, model: CatalogModel, call: GatewayCall) {
    const answerMin = Math.max(1, call.maxTokens ?? 1);
    const reserve = (promptTokens: number) =>
      call.maxTokens ?? Math.min(model.defaultMaxTokens, model.contextWindow - promptTokens);
    const fits = (promptTokens: number) =>
      promptTokens + Math.max(1, reserve(promptTokens)) <= model.contextWindow;
    // Tool definitions, a response schema and earlier calls are prompt text too, bounded like the messages.
    const tooling = call.tooling || call.messages ? toolingText(call.tooling, call.messages) : NO_TOOLING;
    const chars = promptChars(call) + tooling.text.length;
    if (chars <= FAST_PATH_CHARS && (call.messages?.length ?? 0) <= FAST_PATH_MESSAGES) {
      const promptTokens =
        countPromptTokens(call) + (tooling.text ? countTokens(tooling.text) : 0) + tooling.framing;
      if (!fits(promptTokens))
        throw contextError(model, `${promptTokens} tokens`, Math.max(1, reserve(promptTokens)));
      const limits = limitsFor(
        caller.key,
        caller.policy,
        promptTokens + reserve(promptTokens),
        deps.rateWindowMs,
      );
      return {
        promptTokens,
        maxTokens: reserve(promptTokens),
        limits,
        decision: await charge(caller, limits),
      };
    }
    const all = limitsFor(caller.key, caller.policy, 0, deps.rateWindowMs);
    const requestLimits = all.filter((l) => l.measure === 'requests');
    const first = await charge(caller, requestLimits);
    if (chars > model.contextWindow * deps.promptCharsPerToken)
      throw contextError(model, `more than ${model.contextWindow - answerMin} tokens`, answerMin);
    const limit = model.contextWindow - answerMin;
    let promptTokens = await countPromptTokensAsync(call, limit);
    if (tooling.text && promptTokens <= limit)
      promptTokens += await countPromptTokensAsync({ prompt: tooling.text }, limit - promptTokens);
    promptTokens += tooling.framing;
    if (!fits(promptTokens))
      throw contextError(
        model,
        promptTokens > limit ? `more than ${limit} tokens` : `${promptTokens} tokens`,
        Math.max(1, reserve(promptTokens)),
      );
    const maxTokens = reserve(promptTokens);
    const tokenLimits = limitsFor(
      caller.key,
      caller.policy,
      promptTokens + maxTokens,
      deps.rateWindowMs,
    ).filter((l) => l.measure === 'tokens');
    const second = tokenLimits.length ? await charge(caller, tokenLimits) : undefined;
    return {
      promptTokens,
      maxTokens,
      limits: [...requestLimits, ...tokenLimits],
      decision: {
        allowed: true as const,
        states: [...first.states, ...(second?.states ?? [])],
        charges: [...first.charges, ...(second?.charges ?? [])],
      },
    };
  }

  async function admit(caller: Caller, call: GatewayCall, requestId: string) {
    const model = resolveModel(caller, call.model);
    // Refused before any limit is charged: a request that cannot be served costs the caller nothing.
    const unavailable = inference.unavailable(model.id);
    if (unavailable) throw unavailable;
    if (call.maxTokens && call.maxTokens > model.maxOutputTokens)
      throw new PortalError({
        code: 'invalid_request_error',
        param: 'max_tokens',
        message: `max_tokens is too large: ${call.maxTokens}. "${model.id}" supports at most ${model.maxOutputTokens} output tokens.`,
      });
    const { promptTokens, maxTokens, limits, decision } = await countAndCharge(caller, model, call);
    const reservedTokens = promptTokens + maxTokens;

    let credit: CreditReservation | undefined;
    if (caller.policy.plan.kind === 'credits' && deps.credits) {
      const maxCost = costMicros(model, promptTokens, maxTokens);
      const reserved = await deps.credits.reserve(caller.policy.orgId, maxCost);
      if (!reserved.ok) {
        void limiter
          .settle(
            decision.charges,
            decision.charges.map((c) => -c.amount),
          )
          .catch(() => {});
        throw new PortalError({
          code: 'insufficient_quota',
          message: `Your credit balance ($${(reserved.balanceMicros / 1e6).toFixed(4)}) does not cover this request (up to $${(maxCost / 1e6).toFixed(4)}). Lower max_tokens, or contact support to add credits (see /docs/support): there is no self-serve payment yet.`,
          headers: { 'x-should-retry': 'false' },
        });
      }
      credit = reserved.reservation;
    }

    const abort = new AbortController();
    const request: InferenceRequest = {
      requestId,
      model,
      messages: call.messages,
      prompt: call.prompt,
      maxTokens,
      temperature: call.temperature ?? undefined,
      topP: call.topP ?? undefined,
      topK: call.topK ?? undefined,
      stop: call.stop,
      presencePenalty: call.presencePenalty ?? undefined,
      frequencyPenalty: call.frequencyPenalty ?? undefined,
      ...call.tooling,
      deadline: Date.now() + deps.requestTimeoutMs,
      signal: abort.signal,
    };
    return {
      requestId,
      caller,
      model,
      call,
      promptTokens,
      reservedTokens,
      limits,
      charges: decision.charges,
      credit,
      headers: rateLimitHeaders(limits, decision.states),
      request,
      abort,
      admittedAt: Date.now(),
    };
  }

  function finish(admission: Admission, outcome: Outcome) {
    const { caller, model } = admission;
    const fromUpstream = outcome.upstreamUsage;
    const inputTokens = fromUpstream?.promptTokens ?? admission.promptTokens;
    const outputTokens = fromUpstream?.completionTokens ?? countTokens(outcome.text);
    const used = outcome.reachedUpstream ? inputTokens + outputTokens : 0;
    const cost =
      outcome.reachedUpstream && outcome.status < 500 ? costMicros(model, inputTokens, outputTokens) : 0;
    // Settlements are network calls: they leave after the answer is written (never awaited either way).
    setImmediate(() => settle(admission, used, cost));
    if (outcome.reachedUpstream)
      metering.recordUsage({
        id: newId('evt'),
        requestId: admission.requestId,
        occurredAt: new Date(),
        orgId: caller.policy.orgId,
        keyId: caller.key.id,
        modelId: model.id,
        poolId: outcome.route?.poolId ?? null,
        routerId: outcome.route?.routerId ?? null,
        endpoint: admission.call.endpoint,
        stream: admission.call.stream,
        status: outcome.status,
        errorCode: outcome.errorCode,
        inputTokens,
        outputTokens,
        tokensSource: fromUpstream ? 'upstream' : 'counted',
        latencyMs: Math.round(outcome.latencyMs),
        ttftMs: outcome.ttftMs === null ? null : Math.round(outcome.ttftMs),
        costMicros: cost,
      });
    return { inputTokens, outputTokens };
  }

  /** Gives back what was reserved but not used (token charges are settled, request charges stay), and the
   * unused part of a credit reservation. */
  function settle(admission: Admission, usedTokens: number, cost: number) {
    const deltas = admission.limits.map((l) =>
      l.measure === 'tokens' ? usedTokens - admission.reservedTokens : 0,
    );
    if (deltas.some((d) => d !== 0))
      void limiter
        .settle(admission.charges, deltas)
        .catch((err) => deps.log.warn({ err }, 'limit settlement failed'));
    if (admission.credit && deps.credits)
      void deps.credits
        .settle(admission.credit, cost)
        .catch((err) => deps.log.warn({ err }, 'credit settlement failed'));
  }

  function modelsFor(caller: Caller): CatalogModel[] {
    return catalog
      .list()
      .filter((m) => m.status === 'enabled' && checkEntitlement(caller.policy, caller.key, m.id).ok);
  }

  /** Sized so the largest context window's longest admissible prompt fits, whatever its script. */
  function bodyLimitBytes(): number {
    let largest = 0;
    for (const m of catalog.list()) if (m.status === 'enabled') largest = Math.max(largest, m.contextWindow);
    return largest * deps.promptCharsPerToken * BODY_BYTES_PER_CHAR + BODY_SLACK_BYTES;
  }

  return { authenticate, admit, finish, modelsFor, bodyLimitBytes };
}

/** Cost in micro-units, rounded up: prices are per million tokens. */
export function costMicros(model: CatalogModel, inputTokens: number, outputTokens: number): number {
  return Math.ceil(
    (inputTokens * model.inputPricePerMTok + outputTokens * model.outputPricePerMTok) / 1_000_000,
  );
}

/** A salted hash of the client IP for request logs (never the IP itself). */
export function hashIp(ip: string | undefined, salt: string): string | null {
  return ip ? createHash('sha256').update(salt).update(ip).digest('hex').slice(0, 32) : null;
}
