/**
 * Admin API — models: list the catalog with status, disable a model (every gateway instance refuses it with
 * `model_disabled` within a second: `model.changed` on the bus) and enable it again. Audited.
 */
import { eq, sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { Services } from '../app.js';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { models } from '../platform/store/schema.js';
import { adminActor, recordAudit } from '../product/audit.js';

export function registerAdminModels(admin: Hono<AppEnv>, services: Services) {
  const { db } = services.store;

  admin.get('/models', routeLabel('/admin/api/models'), async (c) => {
    const rows = await db.select().from(models).orderBy(models.sortOrder);
    return c.json({
      data: rows.map((m) => ({ ...m, servable: services.inference.canServe(m.id) })),
    });
  });

  for (const action of ['disable', 'enable'] as const) {
    admin.post(`/models/:id/${action}`, routeLabel(`/admin/api/models/:id/${action}`), async (c) => {
      const id = c.req.param('id');
      const [row] = await db
        .update(models)
        .set({ status: action === 'disable' ? 'disabled' : 'enabled', updatedAt: sql`now()` })
        .where(eq(models.id, id))
        .returning();
      if (!row) throw new PortalError({ code: 'not_found', message: `No model ${id}.` });
      await recordAudit(db, {
        actor: adminActor(c),
        orgId: null,
        action: `model.${action}`,
        targetType: 'model',
        targetId: id,
      });
      await services.bus.publish({ type: 'model.changed', modelId: id });
      return c.json(row);
    });
  }
}
