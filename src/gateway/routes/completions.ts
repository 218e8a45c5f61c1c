/** POST /v1/completions — OpenAI legacy text completions: the prompt goes upstream as is, no chat template. */
import type { Hono } from 'hono';
import { routeLabel } from '#src/platform/http/kernel.js';
import { completionSchema, samplingOf } from '#src/contracts/openai-requests.js';
import { parseWith } from '../schemas/parse.js';
import { readJsonObject } from '#src/platform/http/body.js';
import { textCompletionBody, textStreamEncoder } from '../format/openai.js';
import type { GatewayEnv } from '../context.js';
import type { RespondDeps } from '../respond.js';
import { serveCall } from './serve.js';

export function registerCompletions(v1: Hono<GatewayEnv>, deps: RespondDeps) {
  v1.post('/completions', routeLabel('/v1/completions'), async function completions(c) {
    const body = parseWith(completionSchema, await readJsonObject(c));
    const includeUsage = body.stream_options?.include_usage === true;
    const call = {
      endpoint: '/v1/completions',
      model: body.model,
      prompt: Array.isArray(body.prompt) ? body.prompt[0] : body.prompt,
      maxTokens: body.max_tokens ?? 16, // OpenAI's default for this endpoint
      ...samplingOf(body),
      stream: body.stream === true,
    };
    return serveCall(c, deps, call, {
      idPrefix: 'cmpl-',
      streamEncoder: (meta) => textStreamEncoder(meta, includeUsage),
      body: (meta) => (answer, usage) => textCompletionBody(meta, answer, usage),
    });
  });
}
