/**
 * Seeds the catalog and plans from the config at every start. Config owns definitions (names, prices,
 * limits); operators own state: a model an admin disabled stays disabled across restarts.
 */
import { sql } from 'drizzle-orm';
import type { PortalConfig } from '../config/schema.js';
import type { Store } from './db.js';
import { modelAccessPolicies, models, plans } from './schema.js';
import { newId } from '../ids.js';

export async function seedCatalog(store: Store, config: PortalConfig): Promise<void> {
  const { db } = store;
  await db.transaction(async (tx) => {
    for (const [i, m] of config.models.entries()) {
      const values = {
        id: m.id,
        displayName: m.displayName,
        description: m.description,
        contextWindow: m.contextWindow,
        maxOutputTokens: m.maxOutputTokens,
        defaultMaxTokens: Math.min(m.defaultMaxTokens, m.maxOutputTokens),
        template: m.template,
        inputPricePerMTok: m.inputPricePerMTok,
        outputPricePerMTok: m.outputPricePerMTok,
        aliases: m.aliases,
        sortOrder: i,
      };
      await tx
        .insert(models)
        .values({ ...values, status: m.enabled ? 'enabled' : 'disabled' })
        .onConflictDoUpdate({ target: models.id, set: { ...values, updatedAt: sql`now()` } });
    }
    for (const p of config.plans) {
      const values = {
        name: p.name,
        kind: p.kind,
        requestsPerMinute: p.limits.requestsPerMinute,
        tokensPerMinute: p.limits.tokensPerMinute,
        requestsPerDay: p.limits.requestsPerDay,
        tokensPerDay: p.limits.tokensPerDay,
        monthlyTokens: p.monthlyTokens,
        maxActiveKeys: p.maxActiveKeys,
        priceMicrosPerMonth: p.priceMicrosPerMonth,
        isDefault: p.id === config.defaultPlan,
      };
      await tx
        .insert(plans)
        .values({ id: p.id, ...values })
        .onConflictDoUpdate({ target: plans.id, set: { ...values, updatedAt: sql`now()` } });
      await tx.execute(sql`delete from model_access_policies where plan_id = ${p.id} and org_id is null`);
      await tx
        .insert(modelAccessPolicies)
        .values(
          p.models.map((modelId) => ({ id: newId('map'), planId: p.id, modelId, effect: 'allow' as const })),
        );
    }
  });
}
