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
import { countChatTokens, countTokens } from '../inference/tokens.js';
import type { KeyRecord, KeyVerifier } from './keys/verify.js';
import { checkEntitlement, type OrgPolicy, type PolicyCache } from './policy.js';
import { limitError, limitsFor, rateLimitHeaders, type NamedLimit } from './limits.js';
import { toolingTokens } from './structured/tokens.js';

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
  requestTimeoutMs: number;
  rateWindowMs: number;
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
  authenticate(presented: string | undefined): Promise<Caller>;
  /** The admission's `abort` is for the caller to fire when the client goes away. */
  admit(caller: Caller, call: GatewayCall, requestId: string): Promise<Admission>;
  /** Settles and meters; returns the token counts the answer reports. */
  finish(admission: Admission, outcome: Outcome): { inputTokens: number; outputTokens: number };
  /** Models this caller may use, for /v1/models. */
  modelsFor(caller: Caller): CatalogModel[];
}

const KEY_MESSAGES: Record<string, string> = {
  invalid_api_key: 'Invalid API key. Check the key you sent; Portal keys start with "ptl_".',
  key_revoked: 'This API key was revoked. Create a new key in the dashboard.',
  key_disabled: 'This API key was disabled by an administrator.',
  key_expired: 'This API key has expired. Create a new key in the dashboard.',
};

export function createGateway(deps: GatewayDeps): Gateway {
  const { keys, policies, limiter, catalog, inference, metering } = deps;

  async function authenticate(presented: string | undefined): Promise<Caller> {
    if (!presented)
      throw new PortalError({
        code: 'invalid_api_key',
        message: 'No API key provided. Send it as "Authorization: Bearer ptl_…".',
      });
    const result = await keys.verify(presented);
    if (!result.ok) throw new PortalError({ code: result.code, message: KEY_MESSAGES[result.code]! });
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
        message: `The model "${name.slice(0, 100)}" does not exist. Available models: ${catalog
          .list()
          .map((m) => m.id)
          .join(', ')}.`,
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

  async function admit(caller: Caller, call: GatewayCall, requestId: string) {
    const model = resolveModel(caller, call.model);
    // Refused before any limit is charged: a request that cannot be served costs the caller nothing.
    const unavailable = inference.unavailable(model.id);
    if (unavailable) throw unavailable;
    const promptTokens =
      (call.messages ? countChatTokens(call.messages) : countTokens(call.prompt ?? '')) +
      (call.tooling || call.messages ? toolingTokens(call.tooling, call.messages) : 0);
    const maxTokens = call.maxTokens ?? Math.min(model.defaultMaxTokens, model.contextWindow - promptTokens);
    if (call.maxTokens && call.maxTokens > model.maxOutputTokens)
      throw new PortalError({
        code: 'invalid_request_error',
        param: 'max_tokens',
        message: `max_tokens is too large: ${call.maxTokens}. "${model.id}" supports at most ${model.maxOutputTokens} output tokens.`,
      });
    if (promptTokens + Math.max(1, maxTokens) > model.contextWindow)
      throw new PortalError({
        code: 'context_length_exceeded',
        param: 'messages',
        message: `This model's maximum context length is ${model.contextWindow} tokens. The request needs ${promptTokens} tokens for the prompt and ${Math.max(1, maxTokens)} for the answer. Shorten the messages or lower max_tokens.`,
      });
    const reservedTokens = promptTokens + maxTokens;
    const limits = limitsFor(caller.key, caller.policy, reservedTokens, deps.rateWindowMs);
    const decision = await limiter.consume(limits.map((l) => l.spec));
    if (!decision.allowed) throw limitError(limits, decision, caller.key.name, caller.policy.plan.name);

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
          message: `Your credit balance ($${(reserved.balanceMicros / 1e6).toFixed(4)}) does not cover this request (up to $${(maxCost / 1e6).toFixed(4)}). Add credits on the Plan page, or lower max_tokens.`,
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

  return { authenticate, admit, finish, modelsFor };
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
