/**
 * The stream relay: forwards an upstream's pieces to an SSE sink as frames, keep-alives until the first token,
 * and finishes the call exactly once however the answer ends — an end piece ([DONE]), an upstream failure or
 * cut (an error event, then the terminator), the client going away (nothing more is written), or a bug here
 * (the answer is ended). Free of HTTP: the sink (sinks.ts) owns the bytes, the caller's `finish` the metering.
 */
import { PortalError, toPortalError } from '#src/platform/http/errors.js';
import type { FinishReason, StreamPiece, UpstreamUsage } from '#src/inference/types.js';
import { pieceFrame, type StreamEncoder, type TokenUsage } from '../format/types.js';
import type { SseSink } from './sinks.js';

/** waiting: no token yet (keep-alives go out); streaming: tokens flow; ended / cancelled: over, for good. */
export type RelayPhase = 'waiting' | 'streaming' | 'ended' | 'cancelled';
export type RelayEvent = 'token' | 'end' | 'cancel';

/** The relay's one transition function. A phase that is over never changes: that is the once-guard. */
export function transition(phase: RelayPhase, event: RelayEvent): RelayPhase {
  switch (phase) {
    case 'waiting':
    case 'streaming':
      return event === 'token' ? 'streaming' : event === 'end' ? 'ended' : 'cancelled';
    case 'ended':
    case 'cancelled':
      return phase;
  }
}

export interface RelayState {
  phase: RelayPhase;
  /** Everything generated (answer, reasoning, call names and arguments): output tokens when not reported. */
  text: string;
  /** Time to the first forwarded frame, from `started`; null while waiting. */
  ttftMs: number | null;
}

/** How the answer ended, handed to `finish` once. */
export interface RelayEnd {
  status: number;
  errorCode: string | null;
  finish: FinishReason;
  usage?: UpstreamUsage;
  text: string;
  ttftMs: number | null;
}

export interface RelayOptions {
  batches: AsyncIterator<StreamPiece[]>;
  encoder: StreamEncoder;
  keepAliveMs: number;
  /** performance.now() when the call started (ttft is measured from it). */
  started: number;
  /** Settles, meters and logs the call; called exactly once. Returns the counts the end frame reports. */
  finish(end: RelayEnd): TokenUsage;
  /** Stops the upstream: the client went away. */
  abort(): void;
}

export interface Relay {
  readonly state: Readonly<RelayState>;
  /** The client went away: stop the upstream, finish with what was generated, write nothing more. */
  cancel(): Promise<void>;
}

const OVER = { frames: '', end: true };

export function startRelay(sink: SseSink, o: RelayOptions): Relay {
  const { encoder, batches } = o;
  const state: RelayState = { phase: 'waiting', text: '', ttftMs: null };
  const keepAlive = setInterval(() => {
    if (state.phase === 'waiting') sink.write(encoder.keepAlive());
  }, o.keepAliveMs);

  /** Moves to a terminal phase; only the first such move finishes the call (undefined after that). */
  function close(event: 'end' | 'cancel', how: Omit<RelayEnd, 'text' | 'ttftMs'>): TokenUsage | undefined {
    const before = state.phase;
    state.phase = transition(before, event);
    if (state.phase === before) return undefined;
    clearInterval(keepAlive);
    return o.finish({ ...how, text: state.text, ttftMs: state.ttftMs });
  }

  function failed(err: unknown) {
    const e = toPortalError(err);
    return close('end', { status: e.status, errorCode: e.code, finish: 'error' })
      ? { frames: encoder.error(e), end: true }
      : OVER;
  }

  /** The frames for the next batch of pieces (what one upstream read delivered); `end` once it is over. */
  async function nextFrames(): Promise<{ frames: string; end: boolean }> {
    let next: IteratorResult<StreamPiece[]>;
    try {
      next = await batches.next();
    } catch (err) {
      return failed(err);
    }
    if (state.phase === 'ended' || state.phase === 'cancelled') return OVER;
    // The upstream ended without an end piece: a cut.
    if (next.done)
      return failed(
        new PortalError({ code: 'upstream_error', message: 'The upstream ended the answer early.' }),
      );
    const waiting = state.phase === 'waiting';
    const { frames, end } = encodeBatch(encoder, state, next.value, o.started);
    if (waiting && state.phase === 'streaming') clearInterval(keepAlive);
    if (!end) return { frames, end: false };
    const how = { status: 200, errorCode: null, finish: end.finishReason, usage: end.usage };
    const counted = close('end', how);
    return counted ? { frames: frames + encoder.end(end.finishReason, counted), end: true } : OVER;
  }

  void pump(nextFrames, sink, state, batches).catch(() => {
    // A bug, not an upstream failure (those become error events): end the answer, never the process.
    close('end', { status: 500, errorCode: 'internal_error', finish: 'error' });
    if (state.phase !== 'cancelled') sink.end();
  });

  return {
    state,
    async cancel() {
      if (state.phase === 'ended' || state.phase === 'cancelled') return;
      o.abort();
      close('cancel', { status: 499, errorCode: 'client_disconnected', finish: 'stop' });
      await batches.return?.().catch(() => {});
    },
  };
}

/** Forwards the answer until it ends: what one upstream read delivered leaves as one write, at once. */
async function pump(
  nextFrames: () => Promise<{ frames: string; end: boolean }>,
  sink: SseSink,
  state: RelayState,
  batches: AsyncIterator<StreamPiece[]>,
) {
  for (;;) {
    const { frames, end } = await nextFrames();
    if (state.phase === 'cancelled') return;
    if (end) {
      sink.end(frames);
      // Let the upstream stream finish its own clean-up (it releases the router slot in a finally).
      void batches.return?.().catch(() => {});
      return;
    }
    if (frames && !sink.write(frames)) await sink.drained();
  }
}

/**
 * The frames for one batch of pieces, up to its end piece (returned, for the caller to finish the call
 * with). Adds what was generated to `state.text`; the first frame moves the state to streaming.
 */
export function encodeBatch(
  encoder: StreamEncoder,
  state: RelayState,
  pieces: StreamPiece[],
  started: number,
): { frames: string; end?: Extract<StreamPiece, { type: 'end' }> } {
  let frames = '';
  for (const piece of pieces) {
    if (piece.type === 'end') return { frames, end: piece };
    let frame: string;
    if (piece.type === 'text') {
      if (!piece.text) continue;
      state.text += piece.text;
      frame = encoder.text(piece.text);
    } else {
      state.text += piece.type === 'tool_call' ? piece.name : piece.text;
      frame = pieceFrame(encoder, piece);
    }
    if (!frame) continue;
    if (state.phase === 'waiting') {
      state.phase = transition(state.phase, 'token');
      state.ttftMs = performance.now() - started;
    }
    frames += frame;
  }
  return { frames };
}
