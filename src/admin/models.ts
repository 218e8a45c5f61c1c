/**
 * Admin API — models: list the catalog with status, disable a model (every gateway instance refuses it with
 * `model_disabled` within a second: `model.changed` on the bus) and enable it again. Audited.
 */
import { eq, sql } from 'drizzle-orm';
import type { AdminApi } from './context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { models } from '../platform/store/schema.js';
import { inTransaction, type Db } from '../platform/store/db.js';
import type { Bus } from '../platform/bus/types.js';
import { recordAudit } from '../platform/audit.js';
import { adminActor } from './actor.js';

export interface AdminModelsDeps {
  db: Db;
  bus: Bus;
  /** Whether some pool can serve the model now. */
  canServe(modelId: string): boolean;
}

export function registerAdminModels(admin: AdminApi, { db, bus, canServe }: AdminModelsDeps) {
  admin.get('/models', routeLabel('/admin/api/models'), async (c) => {
    const rows = await db.select().from(models).orderBy(models.sortOrder);
    return c.json({
      data: rows.map((m) => ({ ...m, servable: canServe(m.id) })),
    });
  });

  for (const action of ['disable', 'enable'] as const) {
    admin.post(`/models/:id/${action}`, routeLabel(`/admin/api/models/:id/${action}`), async (c) => {
      const id = c.req.param('id');
      const actor = adminActor(c);
      const row = await inTransaction(db, async (tx) => {
        const [updated] = await tx
          .update(models)
          .set({ status: action === 'disable' ? 'disabled' : 'enabled', updatedAt: sql`now()` })
          .where(eq(models.id, id))
          .returning();
        if (!updated) throw new PortalError({ code: 'not_found', message: `No model ${id}.` });
        const entry = { actor, orgId: null, action: `model.${action}`, targetType: 'model', targetId: id };
        await recordAudit(tx, entry);
        return updated;
      });
      await bus.publish({ type: 'model.changed', modelId: id });
      return c.json(row);
    });
  }
}
