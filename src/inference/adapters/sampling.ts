import type { InferenceRequest } from '../types.js';

/**
 * The sampling parameters every upstream takes under OpenAI's names (Cortensor's router and the
 * OpenAI-compatible servers alike); undefined ones drop out when the body is serialized.
 */
export function samplingFields(request: InferenceRequest, stop: string[]) {
  return {
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    top_k: request.topK,
    presence_penalty: request.presencePenalty,
    frequency_penalty: request.frequencyPenalty,
    stop: stop.length ? stop : undefined,
  };
}
