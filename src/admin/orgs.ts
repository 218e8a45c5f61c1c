/**
 * Admin API — organizations: search them (name, id, owner email; status, plan), read one with its plan,
 * owner, active keys and credit balance, see its daily usage, disable it (every key of it stops working at
 * the gateway: the change is announced as `org.changed`) and enable it again. Audited with the status before
 * and after and the operator's reason.
 */
import { eq } from 'drizzle-orm';
import { adminOrgsQuery, disableOrgBody, orgUsageQuery } from '../contracts/index.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { organizations } from '../platform/store/schema.js';
import { parseValue, readOptionalJsonObject } from '../platform/http/body.js';
import { inTransaction, type Store } from '../platform/store/db.js';
import type { Bus } from '../platform/bus/types.js';
import { recordAudit } from '../platform/audit.js';
import type { Ledger } from '../platform/billing/ledger.js';
import { decodeCursor, pageOf } from '../platform/http/cursor.js';
import { BUCKET_MS, alignDown, usageReport } from '../domain/usage/report.js';
import type { AdminApi } from './context.js';
import { adminActor } from './actor.js';
import { findOrgs, orgSummary } from './org-views.js';

export interface AdminOrgsDeps {
  store: Store;
  bus: Bus;
  ledger: Pick<Ledger, 'balance'>;
  defaultPlanId: string;
}

export function registerAdminOrgs(admin: AdminApi, { store, bus, ledger, defaultPlanId }: AdminOrgsDeps) {
  const { db, query } = store;

  /** One organization as GET /admin/api/orgs/:id shows it, or 404. */
  async function detail(id: string) {
    const [row] = await findOrgs(query, defaultPlanId, { id, limit: 1 });
    if (!row) throw new PortalError({ code: 'not_found', message: `No organization ${id}.` });
    const summary = orgSummary(row);
    const credits = summary.plan?.kind === 'credits' ? await ledger.balance(id) : null;
    return { ...summary, credit_balance: credits };
  }

  admin.get('/orgs', routeLabel('/admin/api/orgs'), async (c) => {
    const q = parseValue(adminOrgsQuery, c.req.query());
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await findOrgs(query, defaultPlanId, { ...q, after });
    const { page, next_cursor } = pageOf(rows, q.limit, (r) => ({ at: new Date(r.created_at), id: r.id }));
    return c.json({ object: 'list', data: page.map(orgSummary), next_cursor });
  });

  admin.get('/orgs/:id', routeLabel('/admin/api/orgs/:id'), async (c) =>
    c.json(await detail(c.req.param('id'))),
  );

  admin.get('/orgs/:id/usage', routeLabel('/admin/api/orgs/:id/usage'), async (c) => {
    const orgId = c.req.param('id');
    const { days } = parseValue(orgUsageQuery, c.req.query());
    const [org] = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, orgId));
    if (!org) throw new PortalError({ code: 'not_found', message: `No organization ${orgId}.` });
    // Today's bucket included: from the start of the day `days - 1` days ago to now.
    const to = new Date();
    const from = new Date(alignDown(to, 'day').getTime() - (days - 1) * BUCKET_MS.day);
    const report = await usageReport(query, { orgId, from, to, granularity: 'day' });
    return c.json({
      org_id: orgId,
      from: report.from,
      to: report.to,
      granularity: 'day' as const,
      totals: report.totals,
      series: report.series,
    });
  });

  for (const action of ['disable', 'enable'] as const) {
    admin.post(`/orgs/:id/${action}`, routeLabel(`/admin/api/orgs/:id/${action}`), async (c) => {
      const id = c.req.param('id');
      const { reason } = parseValue(disableOrgBody, await readOptionalJsonObject(c));
      const actor = adminActor(c);
      const found = await inTransaction(db, async (tx) => {
        const [before] = await tx.select().from(organizations).where(eq(organizations.id, id)).for('update');
        if (!before) return false;
        const after = {
          status: action === 'disable' ? ('disabled' as const) : ('active' as const),
          disabledReason: action === 'disable' ? (reason ?? null) : null,
        };
        await tx
          .update(organizations)
          .set({ ...after, updatedAt: new Date() })
          .where(eq(organizations.id, id));
        await recordAudit(tx, {
          actor,
          orgId: id,
          action: `org.${action}d`,
          targetType: 'organization',
          targetId: id,
          reason,
          before: { status: before.status, disabled_reason: before.disabledReason },
          after: { status: after.status, disabled_reason: after.disabledReason },
        });
        return true;
      });
      if (!found) throw new PortalError({ code: 'not_found', message: `No organization ${id}.` });
      await bus.publish({ type: 'org.changed', orgId: id });
      return c.json(await detail(id));
    });
  }
}
