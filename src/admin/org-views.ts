/**
 * Organizations as operators see them: one statement per page or organization, with the plan (the active
 * subscription's, else the default plan), the owner's email and the count of active keys. The search matches
 * a name (substring), an id (exact) or an owner's email (prefix); pages are newest first by (created_at, id).
 */
import type { Query } from '../platform/store/db.js';
import type { AdminOrgSummary } from '../contracts/admin-responses.js';

export interface OrgFilter {
  q?: string;
  status?: 'active' | 'disabled';
  plan?: string;
  id?: string;
  limit: number;
  after?: { at: Date; id: string };
}

interface OrgRow {
  id: string;
  name: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  created_at: Date | string;
  plan_id: string | null;
  plan_name: string | null;
  plan_kind: 'free' | 'monthly_quota' | 'credits' | null;
  owner_email: string | null;
  key_count: number;
}

/** `%` and `_` in a search are literal characters, not LIKE wildcards. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

const SELECT = `
  select o.id, o.name, o.status, o.disabled_reason, o.created_at,
         p.id as plan_id, p.name as plan_name, p.kind as plan_kind,
         (select u.email from organization_members m join users u on u.id = m.user_id
           where m.org_id = o.id and m.role = 'owner' order by m.created_at, u.id limit 1) as owner_email,
         (select count(*)::int from api_keys k
           where k.org_id = o.id and k.status = 'active' and (k.expires_at is null or k.expires_at > now()))
           as key_count
    from organizations o
    left join plan_subscriptions s on s.org_id = o.id and s.status = 'active'
    left join plans p on p.id = coalesce(s.plan_id, $1)`;

/** One page of organizations (limit + 1 rows read, so the caller knows whether there is a next page). */
export async function findOrgs(query: Query, defaultPlanId: string, f: OrgFilter): Promise<OrgRow[]> {
  const params: unknown[] = [defaultPlanId];
  const where: string[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (f.id) where.push(`o.id = ${param(f.id)}`);
  if (f.q) {
    const exact = param(f.q);
    const like = param(likeEscape(f.q.toLowerCase()));
    where.push(
      `(o.id = ${exact} or lower(o.name) like '%' || ${like} || '%' or exists (
         select 1 from organization_members m join users u on u.id = m.user_id
          where m.org_id = o.id and lower(u.email) like ${like} || '%'))`,
    );
  }
  if (f.status) where.push(`o.status = ${param(f.status)}`);
  if (f.plan) where.push(`p.id = ${param(f.plan)}`);
  if (f.after)
    where.push(
      `(o.created_at, o.id) < (${param(f.after.at.toISOString())}::timestamptz, ${param(f.after.id)})`,
    );
  const sql = `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''}
    order by o.created_at desc, o.id desc limit ${param(f.limit + 1)}`;
  return query<OrgRow>(sql, params);
}

export function orgSummary(r: OrgRow): AdminOrgSummary {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    disabled_reason: r.disabled_reason,
    plan:
      r.plan_id && r.plan_name && r.plan_kind
        ? { id: r.plan_id, name: r.plan_name, kind: r.plan_kind }
        : null,
    owner_email: r.owner_email,
    key_count: Number(r.key_count),
    created_at: new Date(r.created_at).toISOString(),
  };
}
