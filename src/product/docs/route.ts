/**
 * GET /api/docs — public (no session): what the docs pages fill in from this Portal, so a reader who is not
 * signed in still sees the real catalog, limits and support contact. Models come from the same in-memory
 * catalog as /v1/models, with the same fields and capabilities; disabled models are left out as they are there.
 */
import type { Hono } from 'hono';
import type { Services } from '#src/app.js';
import type { DocsModel, DocsPlan, DocsResponse } from '#src/contracts/index.js';
import { listPlans } from '#src/platform/billing/plans.js';
import type { AppEnv } from '#src/platform/http/context.js';
import { routeLabel } from '#src/platform/http/kernel.js';
import { capabilitiesOf } from '#src/inference/templates/chat-template.js';

export function registerDocsRoute(app: Hono<AppEnv>, services: Services) {
  app.get('/api/docs', routeLabel('/api/docs'), async function docsFacts(c) {
    const plans: DocsPlan[] = (await listPlans(services.store.db)).map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      limits: { ...p.limits, tokens_per_month: p.monthly_tokens },
      max_active_keys: p.max_active_keys,
      models: p.models,
    }));
    const models: DocsModel[] = services.catalog
      .list()
      .filter((m) => m.status === 'enabled')
      .map((m) => ({
        id: m.id,
        name: m.displayName,
        description: m.description,
        aliases: m.aliases,
        context_window: m.contextWindow,
        max_output_tokens: m.maxOutputTokens,
        input_price_per_mtok_micros: m.inputPricePerMTok,
        output_price_per_mtok_micros: m.outputPricePerMTok,
        capabilities: m.capabilities ?? capabilitiesOf(m.template),
        status: services.inference.unavailable(m.id) ? 'unavailable' : 'available',
        plans: plans.filter((p) => p.models.includes(m.id)).map((p) => p.id),
      }));
    const { url = null, email = null } = services.config.support;
    const body: DocsResponse = { support: { url, email }, models, plans };
    c.header('cache-control', 'public, max-age=30');
    return c.json(body);
  });
}
