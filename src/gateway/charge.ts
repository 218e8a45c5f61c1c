/**
 * Prompt tokens, and the limits charged for them. A short prompt is counted first and every window is
 * charged in one call. A long one is charged its request windows first — so a flood of oversize prompts
 * meets the requests-per-minute window like any other — then refused by the cheap length bound without
 * counting, or counted (linear, yielding, stopping past the window), and only then charged its tokens.
 * Charges made before a refusal stay: the request was made (docs/decisions/009).
 */
import type { Charge, LimitState } from '../platform/limiter/types.js';
import type { CatalogModel } from '../inference/types.js';
import { countPromptTokens, countPromptTokensAsync, countTokens, promptChars } from '../inference/tokens.js';
import { deny, type Denial } from './denial.js';
import { limitDenial, limitsFor, type NamedLimit } from './limits.js';
import { toolingText } from './structured/tokens.js';
import type { Caller, GatewayCall, GatewayDeps } from './gateway.js';

/**
 * Prompts at most this long (and with at most FAST_PATH_MESSAGES messages) are counted before the limits are
 * charged, in one limiter call: counting them costs well under a millisecond of ordinary text, a few ms at
 * worst, and they cannot overflow any context window. Longer ones are charged their request windows first.
 */
const FAST_PATH_CHARS = 8_192;
const FAST_PATH_MESSAGES = 64;
const NO_TOOLING = { text: '', framing: 0 };

export interface Charged {
  ok: true;
  promptTokens: number;
  maxTokens: number;
  limits: NamedLimit[];
  states: LimitState[];
  charges: Charge[];
}

type ChargeLimits = (
  caller: Caller,
  limits: NamedLimit[],
) => Promise<{ ok: true; states: LimitState[]; charges: Charge[] } | Denial>;

export function createCharger(deps: Pick<GatewayDeps, 'limiter' | 'rateWindowMs' | 'promptCharsPerToken'>) {
  const { limiter } = deps;
  /** One limiter call; a refusal becomes the 429 (or 400 when the request can never fit). */
  const charge: ChargeLimits = async (caller, limits) => {
    // The caller is the limiter's context as it is (its `credential`), no object built per request.
    const decision = await limiter.consume(
      limits.map((l) => l.spec),
      undefined,
      caller,
    );
    if (decision.allowed) return { ok: true, states: decision.states, charges: decision.charges };
    return limitDenial(limits, decision, caller.key.name, caller.policy.plan.name);
  };
  return function countAndCharge(caller: Caller, model: CatalogModel, call: GatewayCall) {
    const size = sizing(model, call);
    return size.chars <= FAST_PATH_CHARS && (call.messages?.length ?? 0) <= FAST_PATH_MESSAGES
      ? chargeShort(charge, caller, call, size, deps)
      : chargeLong(charge, caller, model, call, size, deps);
  };
}

type Sizing = ReturnType<typeof sizing>;

/** What a call's prompt and answer need of the model's context window. */
function sizing(model: CatalogModel, call: GatewayCall) {
  const reserve = (promptTokens: number) =>
    call.maxTokens ?? Math.min(model.defaultMaxTokens, model.contextWindow - promptTokens);
  const overflow = (promptTokens: number, counted = `${promptTokens} tokens`) => {
    const answer = Math.max(1, reserve(promptTokens));
    return promptTokens + answer > model.contextWindow ? contextDenial(model, counted, answer) : undefined;
  };
  // Tool definitions, a response schema and earlier calls are prompt text too, bounded like the messages.
  const tooling = call.tooling || call.messages ? toolingText(call.tooling, call.messages) : NO_TOOLING;
  return { reserve, overflow, tooling, chars: promptChars(call) + tooling.text.length };
}

/** Counted first, then every window charged in one limiter call. */
async function chargeShort(
  charge: ChargeLimits,
  caller: Caller,
  call: GatewayCall,
  { reserve, overflow, tooling }: Sizing,
  deps: Pick<GatewayDeps, 'rateWindowMs'>,
): Promise<Charged | Denial> {
  const promptTokens =
    countPromptTokens(call) + (tooling.text ? countTokens(tooling.text) : 0) + tooling.framing;
  const refused = overflow(promptTokens);
  if (refused) return refused;
  const maxTokens = reserve(promptTokens);
  const limits = limitsFor(caller.key, caller.policy, promptTokens + maxTokens, deps.rateWindowMs);
  const charged = await charge(caller, limits);
  if (!charged.ok) return charged;
  return { ok: true, promptTokens, maxTokens, limits, states: charged.states, charges: charged.charges };
}

/** Request windows first, then the cheap bound or a bounded count, then the token windows. */
async function chargeLong(
  charge: ChargeLimits,
  caller: Caller,
  model: CatalogModel,
  call: GatewayCall,
  { reserve, overflow, tooling, chars }: Sizing,
  deps: Pick<GatewayDeps, 'rateWindowMs' | 'promptCharsPerToken'>,
): Promise<Charged | Denial> {
  const requestLimits = limitsFor(caller.key, caller.policy, 0, deps.rateWindowMs).filter(
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
  const tokenLimits = limitsFor(
    caller.key,
    caller.policy,
    promptTokens + maxTokens,
    deps.rateWindowMs,
  ).filter((l) => l.measure === 'tokens');
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
}

function contextDenial(model: CatalogModel, prompt: string, answerTokens: number): Denial {
  return deny(
    'context_length_exceeded',
    `This model's maximum context length is ${model.contextWindow} tokens. The request needs ${prompt} for the prompt and ${answerTokens} for the answer. Shorten the messages or lower max_tokens.`,
    { param: 'messages' },
  );
}
