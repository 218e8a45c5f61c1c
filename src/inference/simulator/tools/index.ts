/**
 * The simulator's tool-aware answers: a prompt that carries tools, a tool result or a JSON request gets an
 * answer in its template family's syntax (cut at the request's stop sequences, as a router stops there),
 * so the demo fleet and tests exercise the real output parsers.
 */
import { countTokens } from '#src/inference/tokens.js';
import type { SimOptions } from '../options.js';
import type { GeneratedText } from '../text.js';
import { answerPieces, MARKER, toolAnswerText } from './answer.js';
import { readPrompt } from './read-prompt.js';

function cutAtStops(text: string, stop: readonly string[]): { text: string; stopped: boolean } {
  let cut = text.length;
  for (const s of stop) {
    const at = s ? text.indexOf(s) : -1;
    if (at !== -1 && at < cut) cut = at;
  }
  return { text: text.slice(0, cut), stopped: cut < text.length };
}

/** The generated answer for a tool / JSON prompt, or undefined to answer with ordinary text. */
export function toolAnswer(
  prompt: string,
  options: SimOptions,
  maxTokens: number,
  stop: readonly string[],
): GeneratedText | undefined {
  const reading = readPrompt(prompt);
  const raw = reading ? toolAnswerText(reading, options) : undefined;
  if (raw === undefined) return undefined;
  const { text } = cutAtStops(raw, stop);
  const pieces: string[] = [];
  let tokens = 0;
  for (const piece of answerPieces(text, options.splitMarkers)) {
    // A marker is one special token in the model's vocabulary, whatever the text tokenizer says.
    const n = piece.replace(MARKER, '\u0001').length === 1 ? 1 : countTokens(piece);
    if (tokens + n > maxTokens) return { pieces, tokens, finishReason: 'length' };
    pieces.push(piece);
    tokens += n;
  }
  return { pieces, tokens, finishReason: 'stop' };
}
