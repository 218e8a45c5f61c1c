/**
 * The gateway's domain core, free of HTTP: authenticate a presented key, admit a call (model, entitlement,
 * context, limits, credits — no store read for a cached key), and finish it (settle reservations, emit the
 * usage event without awaiting a durable write). Routes stay thin around these three; expected refusals are
 * Denial values (denial.ts) that only the HTTP edge turns into responses (edge.ts).
 */
import { hash } from 'node:crypto';
import type { Logger } from '../platform/log.js';
import type { Cancellation } from '../platform/cancellation.js';
import type { Limiter, Charge } from '../platform/limiter/types.js';
import type { Metering } from '../platform/metering/types.js';
import type { Credits, CreditReservation } from '../platform/billing/types.js';
import type {
  CatalogModel,
  ChatMessage,
  FinishReason,
  Inference,
  InferenceRequest,
  RouteInfo,
} from '../inference/types.js';
import type { KeyRecord, KeyVerifier } from './keys/verify.js';
import type { AuthGuard } from './auth-guard.js';
import { checkEntitlement, type OrgPolicy, type PolicyCache } from './policy.js';
import type { NamedLimit } from './limits.js';
import type { RateWindows } from './denial.js';
import { createAuthenticate, type Authenticated } from './authenticate.js';
import { createAdmit, type Admitted } from './admit.js';
import { createFinish, type Counted } from './finish.js';

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
  /** The presented key, for a limiter that checks per-key limits at verification (a function: never logged). */
  credential?: () => string;
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
  /** The tightest windows after the charge (the answer's x-ratelimit-*, rendered at the edge). */
  windows: RateWindows;
  request: InferenceRequest;
  abort: Cancellation;
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
  authenticate(presented: string | undefined, clientIp?: () => string | undefined): Promise<Authenticated>;
  /** The admission's `abort` is for the caller to fire when the client goes away. */
  admit(caller: Caller, call: GatewayCall, requestId: string): Promise<Admitted>;
  /** Settles and meters; returns the token counts the answer reports. */
  finish(admission: Admission, outcome: Outcome): Counted;
  /** Models this caller may use, for /v1/models. */
  modelsFor(caller: Caller): CatalogModel[];
  /** The /v1 body limit: the largest context window's prompt at the cheap bound, in JSON (see below). */
  bodyLimitBytes(): number;
}

/** JSON bytes per admissible prompt character: twice the bound, so any text within it fits (CJK at 3 bytes
 * a character runs ~1.1 characters a token, far below the bound of 8). */
const BODY_BYTES_PER_CHAR = 2;
const BODY_SLACK_BYTES = 64 * 1024;

/** The three steps, each built once by its factory (authenticate.ts, admit.ts, finish.ts). */
export function createGateway(deps: GatewayDeps): Gateway {
  const { catalog } = deps;
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
  return {
    authenticate: createAuthenticate(deps),
    admit: createAdmit(deps, modelsFor),
    finish: createFinish(deps),
    modelsFor,
    bodyLimitBytes,
  };
}

/** Cost in micro-units, rounded up: prices are per million tokens. */
export function costMicros(model: CatalogModel, inputTokens: number, outputTokens: number): number {
  return Math.ceil(
    (inputTokens * model.inputPricePerMTok + outputTokens * model.outputPricePerMTok) / 1_000_000,
  );
}

/** A salted hash of the client IP for request logs (never the IP itself). */
export function hashIp(ip: string | undefined, salt: string): string | null {
  // SHA-256 of salt + ip: the same digest as hashing them in two updates, without a Hash object.
  return ip ? hash('sha256', salt + ip, 'hex').slice(0, 32) : null;
}
