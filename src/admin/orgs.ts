/**
 * Admin API — organizations: look one up, disable it (every key of it stops working at the gateway: the
 * change is announced as `org.changed`) and enable it again. Audited.
 */
import { eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { Services } from '../app.js';
import { disableOrgBody } from '../contracts/index.js';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { organizations } from '../platform/store/schema.js';
import { adminActor, recordAudit } from '../product/audit.js';
import { parseValue } from '../product/validation.js';

export function registerAdminOrgs(admin: Hono<AppEnv>, services: Services) {
  const { db } = services.store;

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
      const raw: unknown = (await c.req.text()) ? await c.req.json().catch(() => null) : {};
      const { reason } = parseValue(disableOrgBody, raw);
      const [row] = await db
        .update(organizations)
        .set({
          status: action === 'disable' ? 'disabled' : 'active',
          disabledReason: action === 'disable' ? (reason ?? null) : null,
          updatedAt: new Date(),
        })
        .where(eq(organizations.id, org.id))
        .returning();
      await recordAudit(db, {
        actor: adminActor(c),
        orgId: org.id,
        action: `org.${action}d`,
        targetType: 'organization',
        targetId: org.id,
        details: reason ? { reason } : {},
      });
      await services.bus.publish({ type: 'org.changed', orgId: org.id });
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
