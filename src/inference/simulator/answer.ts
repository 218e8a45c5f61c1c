/**
 * Writes generated answers: one JSON body, or an SSE stream paced by time-to-first-token and tokens per
 * second, optionally cut mid-way. Shared by the Cortensor and OpenAI-compatible routes.
 */
import { abortableSleep } from '#src/platform/abortable-sleep.js';
import type { ServerResponse } from 'node:http';
import type { SimState } from './state.js';

export interface StreamPlan {
  /** SSE data payloads, one per token-ish piece (already interleaved when several miners answer). */
  events: string[];
  /** How many events make one tick of the token clock (one per miner). */
  perTick: number;
}

/** Opens the connection's abort signal: pauses end early when the client goes away. */
export function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

/** Waits as long as the answer would take to generate, then lets the caller write it. */
export async function paceWhole(state: SimState, tokens: number, signal: AbortSignal) {
  const { ttftMs, tokensPerSecond } = state.options;
  const generation = tokensPerSecond > 0 ? (tokens / tokensPerSecond) * 1000 : 0;
  await abortableSleep(ttftMs + generation, signal);
}

export async function writeStream(res: ServerResponse, state: SimState, plan: StreamPlan) {
  const signal = closeSignal(res);
  const { ttftMs, tokensPerSecond, disconnectAfterTokens } = state.options;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  await abortableSleep(ttftMs, signal);
  const frames = [...plan.events.map((e) => `data: ${e}\n\n`), 'data: [DONE]\n\n'];
  if (tokensPerSecond <= 0 && disconnectAfterTokens <= 0) {
    if (!signal.aborted) res.end(frames.join(''));
    return;
  }
  const gap = tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0;
  for (let i = 0; i < frames.length; i += plan.perTick) {
    if (signal.aborted) return;
    if (disconnectAfterTokens > 0 && i >= disconnectAfterTokens * plan.perTick) {
      res.destroy();
      return;
    }
    res.write(frames.slice(i, i + plan.perTick).join(''));
    if (i + plan.perTick < frames.length) await abortableSleep(gap, signal);
  }
  res.end();
}

/** Interleaves several miners' event lists round-robin: miner 0's first event comes first. */
export function interleave(lists: string[][]): string[] {
  const out: string[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++)
    for (const list of lists) {
      const event = list[i];
      if (event !== undefined) out.push(event);
    }
  return out;
}

/** Holds the request open until the client gives up (a hung router). */
export function hang(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.once('close', () => resolve()));
}
