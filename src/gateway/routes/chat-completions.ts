/** POST /v1/chat/completions — OpenAI chat completions (tools, response formats, reasoning), whole or streamed. */
import type { Hono } from 'hono';
import { routeLabel } from '#src/platform/http/kernel.js';
import { chatCompletionSchema } from '#src/contracts/openai-requests.js';
import { parseWith } from '../schemas/parse.js';
import { fastChatBody } from '../schemas/fast-chat.js';
import { readJsonObject } from '#src/platform/http/body.js';
import { chatCompletionBody, chatStreamEncoder } from '../format/openai.js';
import type { GatewayEnv } from '../context.js';
import { chatCallOf } from '../requests/openai.js';
import type { RespondDeps } from '../respond.js';
import { serveCall } from './serve.js';

export function registerChatCompletions(v1: Hono<GatewayEnv>, deps: RespondDeps) {
  v1.post('/chat/completions', routeLabel('/v1/chat/completions'), async function chatCompletions(c) {
    const json = await readJsonObject(c);
    // The hot shape is checked by hand (property-tested against the schema); anything else, and every error, by zod.
    const body = fastChatBody(json) ?? parseWith(chatCompletionSchema, json);
    const includeUsage = body.stream_options?.include_usage === true;
    return serveCall(c, deps, chatCallOf(body), {
      idPrefix: 'chatcmpl-',
      streamEncoder: (meta) => chatStreamEncoder(meta, includeUsage),
      body: (meta) => (answer, usage) => chatCompletionBody(meta, answer, usage),
    });
  });
}
