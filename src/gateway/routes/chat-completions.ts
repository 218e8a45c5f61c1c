/** POST /v1/chat/completions — OpenAI chat completions (tools, response formats, reasoning), whole or streamed. */
import type { Hono } from 'hono';
import { routeLabel } from '../../platform/http/kernel.js';
import { chatCompletionSchema } from '../schemas/openai.js';
import { parseWith } from '../schemas/parse.js';
import { readJsonObject } from '../../platform/http/body.js';
import { chatCompletionBody, chatStreamEncoder } from '../format/openai.js';
import type { GatewayEnv } from '../context.js';
import { chatCallOf } from '../requests/openai.js';
import { respondStream, respondWhole, type RespondDeps } from '../respond.js';
import { answerMeta } from './meta.js';

export function registerChatCompletions(v1: Hono<GatewayEnv>, deps: RespondDeps) {
  v1.post('/chat/completions', routeLabel('/v1/chat/completions'), async function chatCompletions(c) {
    const body = parseWith(chatCompletionSchema, await readJsonObject(c));
    const call = chatCallOf(body);
    const log = c.get('callLog');
    log.stream = call.stream;
    const admission = await deps.gateway.admit(log.caller!, call, c.get('requestId'));
    log.modelId = admission.model.id;
    const meta = answerMeta('chatcmpl-', admission.model.id);
    return call.stream
      ? respondStream(
          c,
          deps,
          admission,
          chatStreamEncoder(meta, body.stream_options?.include_usage === true),
        )
      : respondWhole(c, deps, admission, (answer, usage) => chatCompletionBody(meta, answer, usage));
  });
}
