/** POST /v1/messages — Anthropic Messages (system prompt, text blocks, streaming events). */
import type { Hono } from 'hono';
import { routeLabel } from '../../platform/http/kernel.js';
import { PortalError } from '../../platform/http/errors.js';
import type { ChatMessage } from '../../inference/types.js';
import { messagesSchema, type MessagesBody } from '../schemas/anthropic.js';
import { parseWith, readJson } from '../schemas/parse.js';
import { messageBody, messageStreamEncoder } from '../format/anthropic.js';
import type { GatewayEnv } from '../context.js';
import { respondStream, respondWhole, type RespondDeps } from '../respond.js';
import { answerMeta } from './meta.js';

export function registerMessages(v1: Hono<GatewayEnv>, deps: RespondDeps) {
  v1.post('/messages', routeLabel('/v1/messages'), async function messages(c) {
    const body = parseWith(messagesSchema, await readJson(c));
    const log = c.get('callLog');
    log.stream = body.stream === true;
    const admission = await deps.gateway.admit(
      log.caller!,
      {
        endpoint: '/v1/messages',
        model: body.model,
        messages: toMessages(body),
        maxTokens: body.max_tokens,
        temperature: body.temperature,
        topP: body.top_p,
        topK: body.top_k,
        stop: body.stop_sequences,
        stream: log.stream,
      },
      c.get('requestId'),
    );
    log.modelId = admission.model.id;
    const meta = answerMeta('msg_', admission.model.id);
    return log.stream
      ? respondStream(c, deps, admission, messageStreamEncoder(meta))
      : respondWhole(c, deps, admission, (text, finish, usage) => messageBody(meta, text, finish, usage));
  });
}

function toMessages(body: MessagesBody): ChatMessage[] {
  const out: ChatMessage[] = [];
  const system = typeof body.system === 'string' ? body.system : body.system?.map((b) => b.text).join('\n');
  if (system) out.push({ role: 'system', content: system });
  body.messages.forEach((m, i) => {
    if (typeof m.content === 'string') return void out.push({ role: m.role, content: m.content });
    const parts = m.content.map((block, j) => {
      if (block.type !== 'text')
        throw new PortalError({
          code: 'invalid_request_error',
          param: `messages.${i}.content.${j}.type`,
          message: `Content blocks of type "${block.type}" are not supported: Portal models take text only.`,
        });
      return (block as { text: string }).text;
    });
    out.push({ role: m.role, content: parts.join('\n') });
  });
  return out;
}
