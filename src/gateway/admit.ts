/**
 * Step two of a /v1 call: admit it or refuse it with a Denial. In order: the model (exists, enabled, entitled),
 * an upstream able to serve it, max_tokens, the prompt's tokens and every limit (one limiter call for a
 * short prompt), credits on a credit plan; then the inference request. Nothing here reads the store for a
 * cached key, and a refusal before the limits are charged costs the caller nothing.
 */
import { Cancellation } from '../platform/cancellation.js';
import type { CreditReservation } from '../platform/billing/types.js';
import type { CatalogModel, InferenceRequest } from '../inference/types.js';
import { deny, type Denial } from './denial.js';
import { checkEntitlement } from './policy.js';
import { tightestWindows } from './limits.js';
import { createCharger, type Charged } from './charge.js';
import { costMicros, type Admission, type Caller, type GatewayCall, type GatewayDeps } from './gateway.js';

export type Admitted = { ok: true; admission: Admission } | Denial;

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
    const abort = new Cancellation();
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
  abort: Cancellation,
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
      `Your credit balance ($${(reserved.balanceMicros / 1e6).toFixed(4)}) does not cover this request (up to $${(maxCost / 1e6).toFixed(4)}). Lower max_tokens, or contact support to add credits (see /docs/support): there is no self-serve payment yet.`,
      { shouldRetry: false },
    );
  };
}
