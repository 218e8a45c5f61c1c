/** GET /v1/models and /v1/models/{id} — the models this key may call, in OpenAI's list format. */
import type { Hono } from 'hono';
import { routeLabel } from '../../platform/http/kernel.js';
import { PortalError } from '../../platform/http/errors.js';
import type { CatalogModel } from '../../inference/types.js';
import type { GatewayEnv } from '../context.js';
import type { Gateway } from '../gateway.js';

const toModel = (m: CatalogModel) => ({
  id: m.id,
  object: 'model',
  created: Math.floor(m.createdAt.getTime() / 1000),
  owned_by: 'portal',
  name: m.displayName,
  description: m.description,
  context_window: m.contextWindow,
  max_output_tokens: m.maxOutputTokens,
});

export function registerModels(v1: Hono<GatewayEnv>, gateway: Gateway) {
  v1.get('/models', routeLabel('/v1/models'), function listModels(c) {
    return c.json({ object: 'list', data: gateway.modelsFor(c.var.callLog.caller!).map(toModel) });
  });
  v1.get('/models/:id{.+}', routeLabel('/v1/models/:id'), function getModel(c) {
    const id = c.req.param('id');
    const model = gateway.modelsFor(c.var.callLog.caller!).find((m) => m.id === id || m.aliases.includes(id));
    if (!model)
      throw new PortalError({
        code: 'model_not_found',
        param: 'model',
        message: `The model "${id.slice(0, 100)}" does not exist or is not available to this key.`,
      });
    return c.json(toModel(model));
  });
}
