/** Runs pieces through a stream encoder as respond.ts does (start, a frame per piece, end) and returns the SSE text. */
import type { StreamPiece } from '#src/inference/types.js';
import { pieceFrame, type StreamEncoder } from '#src/gateway/format/types.js';

export function encodeStream(
  encoder: StreamEncoder,
  pieces: StreamPiece[],
  usage: { inputTokens: number; outputTokens: number },
): string {
  let out = encoder.start(usage.inputTokens);
  for (const p of pieces)
    out += p.type === 'end' ? encoder.end(p.finishReason, usage) : pieceFrame(encoder, p);
  return out;
}

/** SDK client options whose every request is answered with `body` (SSE or JSON), no network involved. */
export const answeringWith = (body: string, type: string) => ({
  apiKey: 'k',
  fetch: async () => new Response(body, { headers: { 'content-type': type } }),
});
