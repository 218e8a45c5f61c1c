/**
 * Admin API — organizations: look one up, disable it (every key of it stops working at the gateway: the
 * change is announced as `org.changed`) and enable it again. Audited.
 */
import { eq } from 'drizzle-orm';
import type { AdminApi } from './context.js';
import { disableOrgBody } from '../contracts/index.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { organizations } from '../platform/store/schema.js';
import { parseValue, readOptionalJsonObject } from '../platform/http/body.js';
import { inTransaction, type Db } from '../platform/store/db.js';
import type { Bus } from '../platform/bus/types.js';
import { recordAudit } from '../platform/audit.js';
import { adminActor } from './actor.js';

export function registerAdminOrgs(admin: AdminApi, { db, bus }: { db: Db; bus: Bus }) {
  async function load(id: string) {
    const [org] = await db.select().from(organizations).where(eq(organizations.id, id)).limit(1);
    if (!org) throw new PortalError({ code: 'not_found', message: `No organization ${id}.` });
    return org;
  }

  admin.get('/orgs/:id', routeLabel('/admin/api/orgs/:id'), async (c) =>
    c.json(orgView(await load(c.req.param('id')))),
  );

  for (const action of ['disable', 'enable'] as const) {
    admin.post(`/orgs/:id/${action}`, routeLabel(`/admin/api/orgs/:id/${action}`), async (c) => {
      const org = await load(c.req.param('id'));
      const { reason } = parseValue(disableOrgBody, await readOptionalJsonObject(c));
      const actor = adminActor(c);
      const row = await inTransaction(db, async (tx) => {
        const [updated] = await tx
          .update(organizations)
          .set({
            status: action === 'disable' ? 'disabled' : 'active',
            disabledReason: action === 'disable' ? (reason ?? null) : null,
            updatedAt: new Date(),
          })
          .where(eq(organizations.id, org.id))
          .returning();
        await recordAudit(tx, {
          actor,
          orgId: org.id,
          action: `org.${action}d`,
          targetType: 'organization',
          targetId: org.id,
          details: reason ? { reason } : {},
        });
        return updated;
      });
      await bus.publish({ type: 'org.changed', orgId: org.id });
      return c.json(orgView(row ?? org));
    });
  }
}

function orgView(o: typeof organizations.$inferSelect) {
  return {
    id: o.id,
    name: o.name,
    status: o.status,
    disabled_reason: o.disabledReason,
    created_at: o.createdAt.toISOString(),
  };
}
