/**
 * A chat request's prompt and output parser, derived once per request: adapters render in buildRequest
 * and parse in parseResponse / parseEvent, so the rendering is cached on the request object.
 */
import type { InferenceRequest } from '../types.js';
import { renderChat, type RenderedPrompt } from './chat-template.js';
import { createOutputParser, type OutputParser, type OutputParserOptions } from './parsers/index.js';

const rendered = new WeakMap<InferenceRequest, RenderedPrompt>();

/** The request's chat rendered by its model's template (messages required). */
export function renderRequest(request: InferenceRequest): RenderedPrompt {
  let r = rendered.get(request);
  if (!r) {
    r = renderChat(request.model.template, request.messages ?? [], {
      tools: request.tools,
      toolChoice: request.toolChoice,
      parallelToolCalls: request.parallelToolCalls,
      reasoningEffort: request.reasoningEffort,
      includeReasoning: request.includeReasoning,
      responseFormat: request.responseFormat,
    });
    rendered.set(request, r);
  }
  return r;
}

export function parserOptions(request: InferenceRequest, prefill = ''): OutputParserOptions {
  return {
    tools: request.tools,
    toolsEnabled: request.toolChoice?.type !== 'none',
    parallelToolCalls: request.parallelToolCalls,
    prefill,
  };
}

/** The output parser of a chat request sent through its template; undefined for legacy prompts. */
export function outputParserFor(request: InferenceRequest): OutputParser | undefined {
  if (!request.messages) return undefined;
  return createOutputParser(request.model.template, parserOptions(request, renderRequest(request).prefill));
}
