/**
 * Admin API — models: list the catalog with status, list price, the pools that serve each model and whether
 * one can serve it now; disable a model (every gateway instance refuses it with `model_disabled` within a
 * second: `model.changed` on the bus) and enable it again. Audited with the status before and after and the
 * operator's reason.
 */
import { eq, sql } from 'drizzle-orm';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { models } from '../platform/store/schema.js';
import { inTransaction, type Db } from '../platform/store/db.js';
import type { Bus } from '../platform/bus/types.js';
import { recordAudit } from '../platform/audit.js';
import { parseValue, readOptionalJsonObject } from '../platform/http/body.js';
import { reasonBody } from '../contracts/index.js';
import type { AdminApi } from './context.js';
import { adminActor } from './actor.js';

export interface AdminModelsDeps {
  db: Db;
  bus: Bus;
  /** Whether some pool can serve the model now. */
  canServe(modelId: string): boolean;
  /** Ids of the pools that list the model (whatever their state). */
  poolsServing(modelId: string): string[];
}

export function registerAdminModels(admin: AdminApi, deps: AdminModelsDeps) {
  const { db, bus, canServe, poolsServing } = deps;
  admin.get('/models', routeLabel('/admin/api/models'), async (c) => {
    const rows = await db.select().from(models).orderBy(models.sortOrder);
    return c.json({
      data: rows.map((m) => ({
        ...m,
        servable: canServe(m.id),
        pricing: {
          input_per_mtok_micros: m.inputPricePerMTok,
          output_per_mtok_micros: m.outputPricePerMTok,
        },
        pools: poolsServing(m.id),
      })),
    });
  });

  for (const action of ['disable', 'enable'] as const) {
    admin.post(`/models/:id/${action}`, routeLabel(`/admin/api/models/:id/${action}`), async (c) => {
      const id = c.req.param('id');
      const { reason } = parseValue(reasonBody, await readOptionalJsonObject(c));
      const actor = adminActor(c);
      const status = action === 'disable' ? ('disabled' as const) : ('enabled' as const);
      const row = await inTransaction(db, async (tx) => {
        const [before] = await tx.select().from(models).where(eq(models.id, id)).for('update');
        if (!before) throw new PortalError({ code: 'not_found', message: `No model ${id}.` });
        const [updated] = await tx
          .update(models)
          .set({ status, updatedAt: sql`now()` })
          .where(eq(models.id, id))
          .returning();
        await recordAudit(tx, {
          actor,
          orgId: null,
          action: `model.${action}`,
          targetType: 'model',
          targetId: id,
          reason,
          before: { status: before.status },
          after: { status },
        });
        return updated ?? before;
      });
      await bus.publish({ type: 'model.changed', modelId: id });
      return c.json(row);
    });
  }
}
