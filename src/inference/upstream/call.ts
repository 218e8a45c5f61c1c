/**
 * One attempt against one upstream: a non-streamed completion (following pending off-chain results by
 * polling within the deadline), or a stream opened and read event by event through the adapter.
 */
import type {
  HttpRequestSpec,
  ParsedCompletion,
  UpstreamAdapter,
  UpstreamTarget,
} from '../adapters/types.js';
import type { InferenceRequest, StreamPiece } from '../types.js';
import { UpstreamCallError, type UpstreamClient } from './net.js';
import { createSseDecoder } from './sse.js';
import { abortableSleep } from '#src/platform/abortable-sleep.js';

const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 2_000;

export async function completeOnce(
  net: UpstreamClient,
  adapter: UpstreamAdapter,
  request: InferenceRequest,
  target: UpstreamTarget,
): Promise<ParsedCompletion> {
  const call = { signal: request.signal, deadline: request.deadline };
  const first = adapter.buildRequest(request, target, false);
  let spec: HttpRequestSpec = first;
  let wait = FIRST_POLL_MS;
  while (true) {
    const parsed = adapter.parseResponse(await net.send(spec, call), { request, target });
    if (parsed.kind === 'completion') return parsed.completion;
    if (parsed.kind === 'failure') throw new UpstreamCallError(parsed.failure);
    // Pending: poll the task (or ask again) until the deadline, backing off.
    if (Date.now() + wait >= request.deadline)
      throw new UpstreamCallError({
        kind: 'timeout',
        retryable: false,
        detail: 'result still pending at the deadline',
      });
    await abortableSleep(wait, request.signal);
    if (request.signal.aborted)
      throw new UpstreamCallError({ kind: 'error', retryable: false, detail: 'client went away' }, true);
    wait = Math.min(MAX_POLL_MS, wait * 2);
    spec = parsed.next ?? spec;
  }
}

export interface OpenedStream {
  /** Pieces, one batch per network read, until the 'end' one; throws UpstreamCallError when the upstream
   * fails mid-way. */
  batches: AsyncGenerator<StreamPiece[]>;
  /** Whether any text reached the caller. */
  emittedText(): boolean;
  /** Drops the connection (for a stream abandoned before it was read). */
  cancel(): void;
}

/** Opens a stream; throws UpstreamCallError when the upstream refuses it (so the caller may retry). */
export async function openStreamOnce(
  net: UpstreamClient,
  adapter: UpstreamAdapter,
  request: InferenceRequest,
  target: UpstreamTarget,
): Promise<OpenedStream> {
  const call = { signal: request.signal, deadline: request.deadline };
  const opened = await net.open(adapter.buildRequest(request, target, true), call);
  const iterator = opened.chunks[Symbol.asyncIterator]();
  if (opened.status !== 200) {
    let body = '';
    for (let n = await iterator.next(); !n.done && body.length < 64_000; n = await iterator.next())
      body += n.value;
    opened.cancel();
    const parsed = adapter.parseResponse(
      { status: opened.status, headers: opened.headers, body },
      { request, target },
    );
    const failure =
      parsed.kind === 'failure'
        ? parsed.failure
        : { kind: 'error' as const, retryable: true, detail: `HTTP ${opened.status}` };
    throw new UpstreamCallError(failure);
  }
  const state = adapter.initStreamState(request);
  const decoder = createSseDecoder();

  /** After the answer ended, read the rest briefly so the connection can be reused, then let go. */
  function drain() {
    const timer = setTimeout(opened.cancel, 2_000);
    void (async () => {
      try {
        while (!(await iterator.next()).done);
      } catch {
        // the connection is dropped either way
      } finally {
        clearTimeout(timer);
      }
    })();
  }

  async function* batches(): AsyncGenerator<StreamPiece[]> {
    let finished = false;
    try {
      while (true) {
        const next = await iterator.next();
        const events = next.done ? decoder.end() : decoder.push(next.value);
        const batch: StreamPiece[] = [];
        for (const data of events) {
          const step = adapter.parseEvent(data, state);
          batch.push(...step.pieces);
          if (step.failure) {
            if (batch.length) yield batch;
            throw new UpstreamCallError(step.failure);
          }
          if (step.done) {
            // Over before the last batch goes out: the consumer may stop reading at the end piece, and the
            // connection must then be drained for reuse, not destroyed (a new upstream connection per stream).
            finished = true;
            drain();
            yield batch;
            return;
          }
        }
        if (batch.length) yield batch;
        if (next.done) break;
      }
      const last = adapter.endStream(state);
      if (last.pieces.length) yield last.pieces;
      if (last.failure) throw new UpstreamCallError(last.failure);
      finished = true;
    } finally {
      if (!finished) opened.cancel();
    }
  }

  return { batches: batches(), emittedText: () => state.emitted > 0, cancel: opened.cancel };
}
