/**
 * One streamed chat completion from the browser with an API key (not the session): POST /v1/chat/completions
 * with `stream: true`, read through fetch's ReadableStream, each SSE `data:` line parsed as a chunk until
 * `[DONE]`. Used by the reveal panel's "Send a test request"; the key is passed in and never stored.
 */
import { ApiError, toApiError } from './api';

export interface StreamRequest {
  key: string;
  model: string;
  prompt: string;
  signal: AbortSignal;
  /** Called with each piece of text as it arrives. */
  onDelta: (text: string) => void;
}

interface Chunk {
  choices?: Array<{ delta?: { content?: string | null } }>;
  error?: { message?: string; code?: string | null };
}

/** Resolves when the stream ends with `[DONE]`; rejects with an ApiError in the API's error shape. */
export async function streamChat(req: StreamRequest): Promise<void> {
  const res = await fetch('/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${req.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: req.model,
      stream: true,
      messages: [{ role: 'user', content: req.prompt }],
    }),
    signal: req.signal,
  });
  if (!res.ok || !res.body) throw await refusal(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new ApiError(0, 'The stream ended before [DONE]. Try again.', 'stream_incomplete');
    buffer += value;
    const lines = buffer.split(/\r?\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue; // comments, event names and blank separators
      const data = line.slice(5).trim();
      if (data === '[DONE]') {
        await reader.cancel();
        return;
      }
      const text = deltaOf(parseChunk(data));
      if (text) req.onDelta(text);
    }
  }
}

function parseChunk(data: string): Chunk {
  try {
    return JSON.parse(data) as Chunk;
  } catch {
    throw new ApiError(0, `The stream sent a chunk that is not JSON: ${data.slice(0, 80)}`, 'bad_stream');
  }
}

/** The text of one chunk; an error event in the stream becomes an ApiError. */
function deltaOf(chunk: Chunk): string {
  if (chunk.error) {
    throw new ApiError(0, chunk.error.message ?? 'The stream failed.', chunk.error.code ?? null);
  }
  return chunk.choices?.map((c) => c.delta?.content ?? '').join('') ?? '';
}

/** A non-2xx answer as an ApiError carrying the API's `error.code` and `error.message`. */
async function refusal(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    return toApiError(res.status, JSON.parse(text));
  } catch {
    return toApiError(res.status, null); // not JSON (a proxy's page): the status says what happened
  }
}
