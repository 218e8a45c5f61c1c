/** POST /v1/chat/completions — OpenAI chat completions, whole or streamed. */
import type { Hono } from 'hono';
import { routeLabel } from '../../platform/http/kernel.js';
import { PortalError } from '../../platform/http/errors.js';
import type { ChatMessage } from '../../inference/types.js';
import { chatCompletionSchema, samplingOf, type ChatCompletionBody } from '../schemas/openai.js';
import { parseWith, readJson } from '../schemas/parse.js';
import { chatCompletionBody, chatStreamEncoder } from '../format/openai.js';
import type { GatewayEnv } from '../context.js';
import type { GatewayCall } from '../gateway.js';
import { respondStream, respondWhole, type RespondDeps } from '../respond.js';
import { answerMeta } from './meta.js';

export function registerChatCompletions(v1: Hono<GatewayEnv>, deps: RespondDeps) {
  v1.post('/chat/completions', routeLabel('/v1/chat/completions'), async function chatCompletions(c) {
    const body = parseWith(chatCompletionSchema, await readJson(c));
    const call = toCall(body);
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
      : respondWhole(c, deps, admission, (text, finish, usage) =>
          chatCompletionBody(meta, text, finish, usage),
        );
  });
}

function toCall(body: ChatCompletionBody): GatewayCall {
  return {
    endpoint: '/v1/chat/completions',
    model: body.model,
    messages: body.messages.map(toMessage),
    maxTokens: body.max_completion_tokens ?? body.max_tokens,
    ...samplingOf(body),
    stream: body.stream === true,
  };
}

function toMessage(m: ChatCompletionBody['messages'][number], index: number): ChatMessage {
  let content = '';
  if (typeof m.content === 'string') content = m.content;
  else if (Array.isArray(m.content)) {
    for (const [j, part] of m.content.entries()) {
      if (part.type !== 'text')
        throw new PortalError({
          code: 'invalid_request_error',
          param: `messages.${index}.content.${j}.type`,
          message: `Content of type "${part.type}" is not supported: Portal models take text only.`,
        });
      content += (content ? '\n' : '') + (part as { text: string }).text;
    }
  }
  if (m.role === 'tool' || m.tool_calls?.length)
    throw new PortalError({
      code: 'invalid_request_error',
      param: `messages.${index}`,
      message: 'Tool calls are not supported by Portal models yet.',
    });
  return { role: m.role, content, ...(m.name ? { name: m.name } : {}) };
}
