/** POST /v1/messages — Anthropic Messages (system prompt, tools, thinking, streaming events). */
import type { Hono } from 'hono';
import { routeLabel } from '../../platform/http/kernel.js';
import { messagesSchema } from '../schemas/anthropic.js';
import { parseWith } from '../schemas/parse.js';
import { readJsonObject } from '../../platform/http/body.js';
import { messageBody, messageStreamEncoder } from '../format/anthropic.js';
import type { GatewayEnv } from '../context.js';
import { messagesCallOf } from '../requests/anthropic.js';
import { respondStream, respondWhole, type RespondDeps } from '../respond.js';
import { answerMeta } from './meta.js';

export function registerMessages(v1: Hono<GatewayEnv>, deps: RespondDeps) {
  v1.post('/messages', routeLabel('/v1/messages'), async function messages(c) {
    const body = parseWith(messagesSchema, await readJsonObject(c));
    const call = messagesCallOf(body);
    const log = c.get('callLog');
    log.stream = call.stream;
    const admission = await deps.gateway.admit(log.caller!, call, c.get('requestId'));
    log.modelId = admission.model.id;
    const meta = answerMeta('msg_', admission.model.id);
    const thinking = call.tooling?.includeReasoning === true;
    return log.stream
      ? respondStream(c, deps, admission, messageStreamEncoder(meta, thinking))
      : respondWhole(c, deps, admission, (answer, usage) => messageBody(meta, answer, usage, thinking));
  });
}
