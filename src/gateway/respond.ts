/**
 * Runs an admitted call against the inference layer and writes the answer: whole (JSON) or streamed (SSE,
 * through the relay in stream/relay.ts into a Node or web sink). Either way the call is settled, metered and
 * logged exactly once, in `finishCall`, from its outcome.
 */
import type { Context } from 'hono';
import { toPortalError } from '../platform/http/errors.js';
import type { Inference } from '../inference/types.js';
import type { Admission, Gateway, Outcome } from './gateway.js';
import type { GatewayEnv } from './context.js';
import type { Answer, StreamEncoder, TokenUsage } from './format/types.js';
import {
  completeChecked,
  generatedText,
  InvalidOutputError,
  mustBuffer,
  replay,
} from './structured/check.js';
import type { RequestLogs } from './request-log.js';
import { eachRateLimitHeader, refusal } from './edge.js';
import { startRelay, type Relay, type RelayOptions } from './stream/relay.js';
import { nodeSink, SSE_HEADERS, webSink } from './stream/sinks.js';
import { nodeOf, onClientGone, setHeader } from '../platform/http/node-io.js';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';

export interface RespondDeps {
  gateway: Gateway;
  inference: Inference;
  requestLogs: RequestLogs;
  keepAliveMs: number;
}

export type BodyBuilder = (answer: Answer, usage: TokenUsage) => unknown;

/** Settles, meters and logs the call: the one place an admitted call is finished. */
function finishCall(
  c: Context<GatewayEnv>,
  deps: RespondDeps,
  admission: Admission,
  started: number,
  fields: Partial<Outcome>,
): TokenUsage {
  const outcome: Outcome = {
    status: 200,
    errorCode: null,
    route: null,
    reachedUpstream: true,
    text: '',
    finish: 'stop',
    ttftMs: null,
    latencyMs: performance.now() - started,
    ...fields,
  };
  const counted = deps.gateway.finish(admission, outcome);
  deps.requestLogs.finished(c, admission, outcome, counted);
  return counted;
}

/** Calls the upstream; a failure before any answer finishes the call here, then goes to the route's error. */
async function callUpstream<T>(
  c: Context<GatewayEnv>,
  deps: RespondDeps,
  admission: Admission,
  started: number,
  call: () => Promise<T>,
) {
  onClientGone(c, () => admission.abort.abort());
  try {
    return await call();
  } catch (err) {
    const e = toPortalError(err);
    finishCall(c, deps, admission, started, {
      status: e.status,
      errorCode: e.code,
      // upstream_unavailable: no upstream did any work for this request.
      reachedUpstream: e.code !== 'upstream_unavailable',
      finish: 'error',
      // A failed structured-output check knows what its attempts used.
      upstreamUsage: e instanceof InvalidOutputError ? e.usage : undefined,
    });
    throw refusal(e);
  }
}

export async function respondWhole(
  c: Context<GatewayEnv>,
  deps: RespondDeps,
  admission: Admission,
  build: BodyBuilder,
): Promise<Response> {
  const started = performance.now();
  const completion = await callUpstream(c, deps, admission, started, () =>
    completeChecked(deps.inference, admission.request),
  );
  const upstreamMs = performance.now() - started;
  const usage = finishCall(c, deps, admission, started, {
    route: completion.route,
    text: generatedText(completion),
    finish: completion.finishReason,
    upstreamUsage: completion.usage,
  });
  setHeaders(c, admission, upstreamMs);
  return c.json(build(completion, usage) as object);
}

export async function respondStream(
  c: Context<GatewayEnv>,
  deps: RespondDeps,
  admission: Admission,
  encoder: StreamEncoder,
): Promise<Response> {
  const started = performance.now();
  // Strict schemas: the answer is validated (and repaired) whole, then replayed as a stream.
  const stream = await callUpstream(c, deps, admission, started, () =>
    mustBuffer(admission.request)
      ? completeChecked(deps.inference, admission.request).then(replay)
      : deps.inference.stream(admission.request),
  );
  const options: RelayOptions = {
    batches: stream.batches[Symbol.asyncIterator](),
    encoder,
    keepAliveMs: deps.keepAliveMs,
    started,
    finish: (end) =>
      finishCall(c, deps, admission, started, {
        route: stream.route,
        status: end.status,
        errorCode: end.errorCode,
        finish: end.finish,
        text: end.text,
        ttftMs: end.ttftMs,
        upstreamUsage: end.usage,
      }),
    abort: () => admission.abort.abort(),
  };
  setHeaders(c, admission, null);
  const first = encoder.start(admission.promptTokens);
  const outgoing = nodeOf(c).outgoing;
  if (outgoing) {
    const relay = startRelay(nodeSink(outgoing, first), options);
    outgoing.on('close', () => void relay.cancel());
    // @hono/node-server's marker for "the handler wrote the answer itself" (a native Response, created when
    // the module loaded, before the adapter swaps in its own Response class).
    return RESPONSE_ALREADY_SENT;
  }
  let relay: Relay | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      relay = startRelay(webSink(controller, first), options);
    },
    cancel: () => relay?.cancel(),
  });
  for (const [name, value] of Object.entries(SSE_HEADERS)) c.header(name, value);
  return c.body(body);
}

function setHeaders(c: Context<GatewayEnv>, admission: Admission, upstreamMs: number | null) {
  eachRateLimitHeader(admission.windows, (name, value) => setHeader(c, name, value));
  // Time spent in Portal itself: everything but the upstream (for streams, the time before forwarding).
  const total = performance.now() - c.get('startedAt');
  const overhead = upstreamMs === null ? total : total - upstreamMs;
  setHeader(c, 'x-portal-overhead-ms', overhead.toFixed(2));
}
