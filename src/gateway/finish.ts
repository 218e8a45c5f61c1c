/**
 * Step three of a /v1 call: settle and meter it, exactly once, without awaiting a durable write. Tokens come
 * from the upstream when it reported them, else are counted here; a usage event is written only when an
 * upstream was reached. Settlements (unused token reservations, unused credit) leave after the answer.
 */
import { newId } from '../platform/ids.js';
import { countTokens } from '../inference/tokens.js';
import { costMicros, type Admission, type GatewayDeps, type Outcome } from './gateway.js';

export interface Counted {
  inputTokens: number;
  outputTokens: number;
}

export function createFinish(deps: Pick<GatewayDeps, 'limiter' | 'credits' | 'metering' | 'log'>) {
  /** Gives back what was reserved but not used (token charges are settled, request charges stay), and the
   * unused part of a credit reservation. */
  function settle(admission: Admission, usedTokens: number, cost: number) {
    const deltas = admission.limits.map((l) =>
      l.measure === 'tokens' ? usedTokens - admission.reservedTokens : 0,
    );
    if (deltas.some((d) => d !== 0))
      void deps.limiter
        .settle(admission.charges, deltas)
        .catch((err) => deps.log.warn({ err }, 'limit settlement failed'));
    if (admission.credit && deps.credits)
      void deps.credits
        .settle(admission.credit, cost)
        .catch((err) => deps.log.warn({ err }, 'credit settlement failed'));
  }

  return function finish(admission: Admission, outcome: Outcome): Counted {
    const { caller, model } = admission;
    const fromUpstream = outcome.upstreamUsage;
    const inputTokens = fromUpstream?.promptTokens ?? admission.promptTokens;
    const outputTokens = fromUpstream?.completionTokens ?? countTokens(outcome.text);
    const used = outcome.reachedUpstream ? inputTokens + outputTokens : 0;
    const cost =
      outcome.reachedUpstream && outcome.status < 500
        ? billed(admission, costMicros(model, inputTokens, outputTokens))
        : 0;
    // Settlements are network calls: they leave after the answer is written (never awaited either way).
    setImmediate(() => settle(admission, used, cost));
    if (outcome.reachedUpstream)
      deps.metering.recordUsage({
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
  };
}

/**
 * On a credits plan a call costs at most what was reserved for it: the reservation is "the most the call can
 * cost" (admit.ts), computed from Portal's own prompt count, while the upstream's usage also counts the chat
 * template. Without the cap the last call admitted against a nearly spent balance took it below zero (issue
 * #17, found by the soak). Elsewhere the cost is the usage's.
 */
function billed(admission: Admission, cost: number): number {
  return admission.credit ? Math.min(cost, admission.credit.amountMicros) : cost;
}
