/**
 * Step two of a /v1 call: admit it or refuse it with a Denial. In order: the model (exists, enabled, entitled),
 * an upstream able to serve it, max_tokens, the prompt's tokens and every limit (one limiter call for a
 * short prompt), credits on a credit plan; then the inference request. Nothing here reads the store for a
 * cached key, and a refusal before the limits are charged costs the caller nothing.
 */
import type { CreditReservation } from '../platform/billing/types.js';
import type { CatalogModel, InferenceRequest } from '../inference/types.js';
import { countPromptTokens, countPromptTokensAsync, countTokens, promptChars } from '../inference/tokens.js';
import { deny, type Denial } from './denial.js';
import { checkEntitlement } from './policy.js';
import { limitDenial, limitsFor, tightestWindows, type NamedLimit } from './limits.js';
import { toolingText } from './structured/tokens.js';
import { costMicros, type Admission, type Caller, type GatewayCall, type GatewayDeps } from './gateway.js';
import type { LimitState, Charge } from '../platform/limiter/types.js';

export type Admitted = { ok: true; admission: Admission } | Denial;

/**
 * Prompts at most this long (and with at most FAST_PATH_MESSAGES messages) are counted before the limits are
 * charged, in one limiter call: counting them costs well under a millisecond of ordinary text, a few ms at
 * worst, and they cannot overflow any context window. Longer ones are charged their request windows first.
 */
const FAST_PATH_CHARS = 8_192;
const FAST_PATH_MESSAGES = 64;
const NO_TOOLING = { text: '', framing: 0 };

interface Charged {
  ok: true;
  promptTokens: number;
  maxTokens: number;
  limits: NamedLimit[];
  states: LimitState[];
  charges: Charge[];
}

export function createAdmit(deps: GatewayDeps, modelsFor: (caller: Caller) => CatalogModel[]) {
  const resolveModel = createModelResolver(deps, modelsFor);
  const countAndCharge = createCharger(deps);
  const reserveCredit = createCreditReserver(deps);
  return async function admit(caller: Caller, call: GatewayCall, requestId: string): Promise<Admitted> {
    const model = resolveModel(caller, call.model);
    if ('ok' in model) return model;
    // Refused before any limit is charged: a request that cannot be served costs the caller nothing.
    const unavailable = deps.inference.unavailable(model.id);
    if (unavailable)
      return deny(unavailable.code, unavailable.message, { retryAfterMs: unavailable.retryAfterMs });
    if (call.maxTokens && call.maxTokens > model.maxOutputTokens)
      return deny(
        'invalid_request_error',
        `max_tokens is too large: ${call.maxTokens}. "${model.id}" supports at most ${model.maxOutputTokens} output tokens.`,
        { param: 'max_tokens' },
      );
    const charged = await countAndCharge(caller, model, call);
    if (!charged.ok) return charged;
    const credit = await reserveCredit(caller, model, charged);
    if (credit && !credit.ok) return credit;
    const abort = new AbortController();
    return {
      ok: true,
      admission: {
        requestId,
        caller,
        model,
        call,
        promptTokens: charged.promptTokens,
        reservedTokens: charged.promptTokens + charged.maxTokens,
        limits: charged.limits,
        charges: charged.charges,
        credit: credit?.reservation,
        windows: tightestWindows(charged.limits, charged.states),
        request: inferenceRequest(call, model, charged.maxTokens, requestId, abort, deps.requestTimeoutMs),
        abort,
        admittedAt: Date.now(),
      },
    };
  };
}

function inferenceRequest(
  call: GatewayCall,
  model: CatalogModel,
  maxTokens: number,
  requestId: string,
  abort: AbortController,
  timeoutMs: number,
): InferenceRequest {
  return {
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
    deadline: Date.now() + timeoutMs,
    signal: abort.signal,
  };
}

/** The catalog model a call names, if it exists, is enabled, and the caller's plan and key may use it. */
function createModelResolver(deps: GatewayDeps, modelsFor: (caller: Caller) => CatalogModel[]) {
  return function resolveModel(caller: Caller, name: string): CatalogModel | Denial {
    const model = deps.catalog.resolve(name);
    if (!model) {
      // Only what this key may call: the catalog's other models are none of the caller's business.
      const available =
        modelsFor(caller)
          .map((m) => m.id)
          .join(', ') || 'none';
      return deny(
        'model_not_found',
        `The model "${name.slice(0, 100)}" does not exist. Available models: ${available}.`,
        { param: 'model' },
      );
    }
    if (model.status !== 'enabled')
      return deny('model_disabled', `The model "${model.id}" is temporarily disabled. Try another model.`, {
        param: 'model',
      });
    const entitlement = checkEntitlement(caller.policy, caller.key, model.id);
    if (entitlement.ok) return model;
    return deny(
      'model_not_allowed',
      entitlement.reason === 'key'
        ? `This API key is restricted to ${caller.key.scopes?.join(', ')}; it may not call "${model.id}".`
        : `The ${caller.policy.plan.name} plan does not include "${model.id}". Upgrade the plan to use it.`,
      { param: 'model' },
    );
  };
}

function contextDenial(model: CatalogModel, prompt: string, answerTokens: number): Denial {
  return deny(
    'context_length_exceeded',
    `This model's maximum context length is ${model.contextWindow} tokens. The request needs ${prompt} for the prompt and ${answerTokens} for the answer. Shorten the messages or lower max_tokens.`,
    { param: 'messages' },
  );
}

/**
 * Prompt tokens, and the limits charged for them. A short prompt is counted first and every window is
 * charged in one call. A long one is charged its request windows first — so a flood of oversize prompts
 * meets the requests-per-minute window like any other — then refused by the cheap length bound without
 * counting, or counted (linear, yielding, stopping past the window), and only then charged its tokens.
 * Charges made before a refusal stay: the request was made (docs/decisions/009).
 */
function createCharger(deps: GatewayDeps) {
  const { limiter, rateWindowMs } = deps;

  /** One limiter call; a refusal becomes the 429 (or 400 when the request can never fit). */
  async function charge(
    caller: Caller,
    limits: NamedLimit[],
  ): Promise<{ ok: true; states: LimitState[]; charges: Charge[] } | Denial> {
    const decision = await limiter.consume(limits.map((l) => l.spec));
    if (decision.allowed) return { ok: true, states: decision.states, charges: decision.charges };
    return limitDenial(limits, decision, caller.key.name, caller.policy.plan.name);
  }

  return async function countAndCharge(
    caller: Caller,
    model: CatalogModel,
    call: GatewayCall,
  ): Promise<Charged | Denial> {
    const reserve = (promptTokens: number) =>
      call.maxTokens ?? Math.min(model.defaultMaxTokens, model.contextWindow - promptTokens);
    const overflow = (promptTokens: number, counted = `${promptTokens} tokens`) => {
      const answer = Math.max(1, reserve(promptTokens));
      return promptTokens + answer > model.contextWindow ? contextDenial(model, counted, answer) : undefined;
    };
    // Tool definitions, a response schema and earlier calls are prompt text too, bounded like the messages.
    const tooling = call.tooling || call.messages ? toolingText(call.tooling, call.messages) : NO_TOOLING;
    const chars = promptChars(call) + tooling.text.length;
    if (chars <= FAST_PATH_CHARS && (call.messages?.length ?? 0) <= FAST_PATH_MESSAGES) {
      const promptTokens =
        countPromptTokens(call) + (tooling.text ? countTokens(tooling.text) : 0) + tooling.framing;
      const refused = overflow(promptTokens);
      if (refused) return refused;
      const limits = limitsFor(caller.key, caller.policy, promptTokens + reserve(promptTokens), rateWindowMs);
      const charged = await charge(caller, limits);
      if (!charged.ok) return charged;
      const { states, charges } = charged;
      return { ok: true, promptTokens, maxTokens: reserve(promptTokens), limits, states, charges };
    }
    const requestLimits = limitsFor(caller.key, caller.policy, 0, rateWindowMs).filter(
      (l) => l.measure === 'requests',
    );
    const first = await charge(caller, requestLimits);
    if (!first.ok) return first;
    const answerMin = Math.max(1, call.maxTokens ?? 1);
    const limit = model.contextWindow - answerMin;
    if (chars > model.contextWindow * deps.promptCharsPerToken)
      return contextDenial(model, `more than ${limit} tokens`, answerMin);
    let promptTokens = await countPromptTokensAsync(call, limit);
    if (tooling.text && promptTokens <= limit)
      promptTokens += await countPromptTokensAsync({ prompt: tooling.text }, limit - promptTokens);
    promptTokens += tooling.framing;
    const refused = overflow(promptTokens, promptTokens > limit ? `more than ${limit} tokens` : undefined);
    if (refused) return refused;
    const maxTokens = reserve(promptTokens);
    const tokenLimits = limitsFor(caller.key, caller.policy, promptTokens + maxTokens, rateWindowMs).filter(
      (l) => l.measure === 'tokens',
    );
    const second = tokenLimits.length ? await charge(caller, tokenLimits) : undefined;
    if (second && !second.ok) return second;
    return {
      ok: true,
      promptTokens,
      maxTokens,
      limits: [...requestLimits, ...tokenLimits],
      states: [...first.states, ...(second?.states ?? [])],
      charges: [...first.charges, ...(second?.charges ?? [])],
    };
  };
}

/** On a credit plan, the most the call can cost is reserved; a balance that does not cover it refuses the
 * call and gives its limit charges back. */
function createCreditReserver(deps: GatewayDeps) {
  return async function reserveCredit(
    caller: Caller,
    model: CatalogModel,
    charged: Charged,
  ): Promise<{ ok: true; reservation: CreditReservation } | Denial | undefined> {
    if (caller.policy.plan.kind !== 'credits' || !deps.credits) return undefined;
    const maxCost = costMicros(model, charged.promptTokens, charged.maxTokens);
    const reserved = await deps.credits.reserve(caller.policy.orgId, maxCost);
    if (reserved.ok) return { ok: true, reservation: reserved.reservation };
    void deps.limiter
      .settle(
        charged.charges,
        charged.charges.map((c) => -c.amount),
      )
      .catch(() => {});
    return deny(
      'insufficient_quota',
      `Your credit balance ($${(reserved.balanceMicros / 1e6).toFixed(4)}) does not cover this request (up to $${(maxCost / 1e6).toFixed(4)}). Add credits on the Plan page, or lower max_tokens.`,
      { shouldRetry: false },
    );
  };
}
