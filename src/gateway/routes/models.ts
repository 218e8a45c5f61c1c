/**
 * GET /v1/models and /v1/models/{id} — the models this key may call: OpenAI's list format, or Anthropic's when
 * the client sends `anthropic-version` (the Anthropic SDK's models.list()).
 */
import type { Hono } from 'hono';
import { routeLabel } from '#src/platform/http/kernel.js';
import { PortalError } from '#src/platform/http/errors.js';
import type { CatalogModel } from '#src/inference/types.js';
import type { GatewayEnv } from '../context.js';
import type { Gateway } from '../gateway.js';
import { headerOf } from '#src/platform/http/node-io.js';
import { capabilitiesOf } from '#src/inference/templates/chat-template.js';

const toModel = (m: CatalogModel) => ({
  id: m.id,
  object: 'model',
  created: Math.floor(m.createdAt.getTime() / 1000),
  owned_by: 'portal',
  name: m.displayName,
  description: m.description,
  context_window: m.contextWindow,
  max_output_tokens: m.maxOutputTokens,
  // The catalog fills capabilities from the template family; a hand-built model gets the same derivation.
  capabilities: m.capabilities ?? capabilitiesOf(m.template),
});

const toAnthropicModel = (m: CatalogModel) => ({
  type: 'model',
  id: m.id,
  display_name: m.displayName,
  created_at: m.createdAt.toISOString(),
});

export function registerModels(v1: Hono<GatewayEnv>, gateway: Gateway) {
  v1.get('/models', routeLabel('/v1/models'), function listModels(c) {
    const list = gateway.modelsFor(c.get('caller'));
    if (headerOf(c, 'anthropic-version'))
      return c.json({
        data: list.map(toAnthropicModel),
        has_more: false,
        first_id: list[0]?.id ?? null,
        last_id: list.at(-1)?.id ?? null,
      });
    return c.json({ object: 'list', data: list.map(toModel) });
  });
  v1.get('/models/:id{.+}', routeLabel('/v1/models/:id'), function getModel(c) {
    const id = c.req.param('id');
    const model = gateway.modelsFor(c.get('caller')).find((m) => m.id === id || m.aliases.includes(id));
    if (!model)
      throw new PortalError({
        code: 'model_not_found',
        param: 'model',
        message: `The model "${id.slice(0, 100)}" does not exist or is not available to this key.`,
      });
    return c.json(headerOf(c, 'anthropic-version') ? toAnthropicModel(model) : toModel(model));
  });
}
