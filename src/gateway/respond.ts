/**
 * Runs an admitted call against the inference layer and writes the answer: whole (JSON) or streamed (SSE,
 * chunk by chunk, keep-alives until the first token, an error event if the upstream fails mid-stream, the
 * upstream aborted when the client goes away). Either way the call is settled and metered exactly once.
 */
import type { Context } from 'hono';
import { PortalError, toPortalError } from '../platform/http/errors.js';
import type { Metering } from '../platform/metering/types.js';
import type { Inference, StreamPiece, UpstreamUsage } from '../inference/types.js';
import type { Admission, Gateway, Outcome } from './gateway.js';
import type { GatewayEnv } from './context.js';
import { pieceFrame, type Answer, type StreamEncoder, type TokenUsage } from './format/types.js';
import {
  completeChecked,
  generatedText,
  InvalidOutputError,
  mustBuffer,
  replay,
} from './structured/check.js';
import { requestLogFrom } from './request-log.js';
import { nodeOf, onClientGone, setHeader } from '../platform/http/node-io.js';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';

export interface RespondDeps {
  gateway: Gateway;
  inference: Inference;
  metering: Metering;
  keepAliveMs: number;
}

type BodyBuilder = (answer: Answer, usage: TokenUsage) => unknown;

function outcomeOf(admission: Admission, started: number, fields: Partial<Outcome>): Outcome {
  return {
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
}

/** Upstream failures that mean no upstream did any work for this request. */
const notReached = (err: PortalError) => err.code === 'upstream_unavailable';

/** Calls the upstream; a failure before any answer is settled and metered here, then rethrown for the route. */
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
    deps.gateway.finish(
      admission,
      outcomeOf(admission, started, {
        status: e.status,
        errorCode: e.code,
        reachedUpstream: !notReached(e),
        finish: 'error',
        // A failed structured-output check knows what its attempts used.
        upstreamUsage: e instanceof InvalidOutputError ? e.usage : undefined,
      }),
    );
    throw e;
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
  const usage = deps.gateway.finish(
    admission,
    outcomeOf(admission, started, {
      route: completion.route,
      text: generatedText(completion),
      finish: completion.finishReason,
      upstreamUsage: completion.usage,
    }),
  );
  Object.assign(c.get('callLog'), {
    ...usage,
    poolId: completion.route.poolId,
    routerId: completion.route.routerId,
  });
  setHeaders(c, admission, upstreamMs);
  return c.json(build(completion, usage) as object);
}

/**
 * Where SSE frames go: the Node response itself under @hono/node-server (no web stream in between — a web
 * ReadableStream per answer cost ~10 % of the gateway's CPU), else a web ReadableStream (`app.request()`).
 */
interface SseSink {
  /** False when the client reads slower than we write: wait for `drained()` before writing more. */
  write(frame: string): boolean;
  drained(): Promise<void>;
  /** Writes the last frames (one write with the end of the body) and ends the answer. */
  end(last?: string): void;
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
  const log = c.get('callLog');
  log.deferred = true;
  log.poolId = stream.route.poolId;
  log.routerId = stream.route.routerId;
  const iterator = stream.batches[Symbol.asyncIterator]();
  /** Everything generated (answer, reasoning, call names and arguments): output tokens when not reported. */
  let text = '';
  let ttftMs: number | null = null;
  let done = false;
  let cancelled = false;
  let keepAlive: ReturnType<typeof setInterval> | undefined;

  const complete = (fields: Partial<Outcome>, usage?: UpstreamUsage) => {
    done = true;
    clearInterval(keepAlive);
    const counted = deps.gateway.finish(
      admission,
      outcomeOf(admission, started, { route: stream.route, text, ttftMs, upstreamUsage: usage, ...fields }),
    );
    Object.assign(log, counted, { ttftMs });
    const status = fields.status ?? 200;
    deps.metering.recordRequest(requestLogFrom(c, log, status, fields.errorCode ?? null));
    return counted;
  };

  /** The SSE frames for the next batch of pieces (what one upstream read delivered); `end` once the answer is
   * over (finished, cut, failed or cancelled). */
  const nextFrames = async (): Promise<{ frames: string; end: boolean }> => {
    let next: IteratorResult<StreamPiece[]>;
    try {
      next = await iterator.next();
    } catch (err) {
      if (done) return { frames: '', end: true };
      const e = toPortalError(err);
      complete({ status: e.status, errorCode: e.code, finish: 'error' });
      return { frames: encoder.error(e), end: true };
    }
    if (done) return { frames: '', end: true };
    if (next.done) {
      // The upstream ended without an end piece: treat as a cut.
      const e = new PortalError({ code: 'upstream_error', message: 'The upstream ended the answer early.' });
      complete({ status: 502, errorCode: e.code, finish: 'error' });
      return { frames: encoder.error(e), end: true };
    }
    let frames = '';
    for (const piece of next.value) {
      if (piece.type === 'end') {
        const counted = complete({ finish: piece.finishReason }, piece.usage);
        return { frames: frames + encoder.end(piece.finishReason, counted), end: true };
      }
      let frame: string;
      if (piece.type === 'text') {
        if (!piece.text) continue;
        text += piece.text;
        frame = encoder.text(piece.text);
      } else {
        text += piece.type === 'tool_call' ? piece.name : piece.text;
        frame = pieceFrame(encoder, piece);
      }
      if (!frame) continue;
      if (ttftMs === null) {
        ttftMs = performance.now() - started;
        clearInterval(keepAlive);
      }
      frames += frame;
    }
    return { frames, end: false };
  };

  /** The client went away: stop the upstream, meter what was generated. */
  const cancel = async () => {
    if (done) return;
    cancelled = true;
    admission.abort.abort();
    complete({ status: 499, errorCode: 'client_disconnected' });
    await iterator.return?.().catch(() => {});
  };

  /** Forwards the answer until it ends: what one upstream read delivered leaves as one write, at once. */
  const pump = async (sink: SseSink) => {
    for (;;) {
      const { frames, end } = await nextFrames();
      if (cancelled) return;
      if (end) {
        sink.end(frames);
        // Let the upstream stream finish its own clean-up (it releases the router slot in a finally).
        void iterator.return?.().catch(() => {});
        return;
      }
      if (frames && !sink.write(frames)) await sink.drained();
    }
  };

  const startStream = (sink: SseSink) => {
    keepAlive = setInterval(() => {
      if (ttftMs === null && !done) sink.write(encoder.keepAlive());
    }, deps.keepAliveMs);
    void pump(sink).catch(() => {
      // A bug, not an upstream failure (those become error events): end the answer, never the process.
      if (!done) complete({ status: 500, errorCode: 'internal_error', finish: 'error' });
      if (!cancelled) sink.end();
    });
  };

  setHeaders(c, admission, null);
  const headers = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  };
  const outgoing = nodeOf(c).outgoing;
  if (outgoing) {
    outgoing.writeHead(200, headers);
    // The head and the first frames leave in one write with whatever the upstream already sent (with a
    // fast upstream, the whole answer); a slow upstream's client gets them on the next timer tick.
    outgoing.cork();
    outgoing.write(encoder.start(admission.promptTokens));
    let corked = true;
    const uncork = () => {
      if (!corked) return;
      corked = false;
      outgoing.uncork();
    };
    setTimeout(uncork, 0);
    outgoing.on('close', () => void cancel());
    startStream({
      write(frame) {
        const ok = outgoing.write(frame);
        uncork();
        return ok;
      },
      drained: () =>
        new Promise((resolve) => {
          const go = () => (outgoing.off('drain', go), outgoing.off('close', go), resolve());
          outgoing.on('drain', go).on('close', go);
        }),
      end(last) {
        corked = false; // end() writes everything corked with the last frames
        outgoing.end(last);
      },
    });
    // @hono/node-server's marker for "the handler wrote the answer itself" (a native Response, created when
    // the module loaded, before the adapter swaps in its own Response class).
    return RESPONSE_ALREADY_SENT;
  }
  const bytes = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.encode(encoder.start(admission.promptTokens)));
      startStream({
        write: (frame) => (controller.enqueue(bytes.encode(frame)), true),
        drained: () => Promise.resolve(),
        end: (last) => {
          if (last) controller.enqueue(bytes.encode(last));
          controller.close();
        },
      });
    },
    cancel,
  });
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.body(body);
}

function setHeaders(c: Context<GatewayEnv>, admission: Admission, upstreamMs: number | null) {
  for (const name in admission.headers) setHeader(c, name, admission.headers[name]!);
  // Time spent in Portal itself: everything but the upstream (for streams, the time before forwarding).
  const total = performance.now() - c.get('startedAt');
  const overhead = upstreamMs === null ? total : total - upstreamMs;
  setHeader(c, 'x-portal-overhead-ms', overhead.toFixed(2));
}
