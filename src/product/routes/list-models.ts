/** GET /api/models — the enabled catalog, for the key-scope picker and the Plan page. */
import { asc, eq } from 'drizzle-orm';
import { routeLabel } from '#src/platform/http/kernel.js';
import { models } from '#src/platform/store/schema.js';
import type { Db } from '#src/platform/store/db.js';
import type { ProductApi } from '../deps.js';

export function registerListModels(api: ProductApi, { db }: { db: Db }) {
  api.get('/models', routeLabel('/api/models'), async (c) => {
    const rows = await db
      .select()
      .from(models)
      .where(eq(models.status, 'enabled'))
      .orderBy(asc(models.sortOrder), asc(models.id));
    return c.json({
      object: 'list',
      data: rows.map((m) => ({
        id: m.id,
        name: m.displayName,
        description: m.description,
        context_window: m.contextWindow,
        max_output_tokens: m.maxOutputTokens,
      })),
    });
  });
}
