/** POST /v1/messages — Anthropic Messages (system prompt, tools, thinking, streaming events). */
import type { Hono } from 'hono';
import { routeLabel } from '#src/platform/http/kernel.js';
import { messagesSchema } from '#src/contracts/anthropic-requests.js';
import { parseWith } from '../schemas/parse.js';
import { readJsonObject } from '#src/platform/http/body.js';
import { messageBody, messageStreamEncoder } from '../format/anthropic.js';
import type { GatewayEnv } from '../context.js';
import { messagesCallOf } from '../requests/anthropic.js';
import type { RespondDeps } from '../respond.js';
import { serveCall } from './serve.js';

export function registerMessages(v1: Hono<GatewayEnv>, deps: RespondDeps) {
  v1.post('/messages', routeLabel('/v1/messages'), async function messages(c) {
    const call = messagesCallOf(parseWith(messagesSchema, await readJsonObject(c)));
    const thinking = call.tooling?.includeReasoning === true;
    return serveCall(c, deps, call, {
      idPrefix: 'msg_',
      streamEncoder: (meta) => messageStreamEncoder(meta, thinking),
      body: (meta) => (answer, usage) => messageBody(meta, answer, usage, thinking),
    });
  });
}
