/**
 * Admin API — keys: create a key for a user (by email) or an organization, list an account's keys, find keys
 * by the visible prefix a customer reads out (`ptl_Ab12Cd…wXyZ`), read one, revoke, disable and re-enable
 * (with an optional reason). The same key service instance as the dashboard (built once by the composition
 * root): audited with the status before and after, and announced on the bus so every gateway instance drops
 * its cached copy. Used by `portal keys …` and the operations console.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { parseJsonBody, parseValue, readOptionalJsonObject } from '../platform/http/body.js';
import type { Db } from '../platform/store/db.js';
import { apiKeys, organizations } from '../platform/store/schema.js';
import type { Accounts } from '../domain/accounts.js';
import type { KeyService } from '../domain/keys/key-service.js';
import { toKeyView } from '../domain/keys/key-view.js';
import { adminCreateKeyBody, adminKeysQuery, reasonBody } from '../contracts/index.js';
import type { AdminApi } from './context.js';
import { adminActor } from './actor.js';

export interface AdminKeysDeps {
  db: Db;
  keys: KeyService;
  accounts: Pick<Accounts, 'findUserByEmail' | 'ensurePersonalOrg'>;
}

/** Keys whose display prefix is a start of `prefix` (a pasted key, or its redacted form) — indexed lookups. */
async function keysByPrefix(db: Db, prefix: string) {
  const visible = prefix.split('…')[0]?.trim() ?? '';
  const starts = [];
  for (let n = 8; n <= Math.min(visible.length, 24); n++) starts.push(visible.slice(0, n));
  if (!starts.length) return [];
  const rows = await db
    .select()
    .from(apiKeys)
    .where(inArray(apiKeys.displayPrefix, starts))
    .orderBy(desc(apiKeys.createdAt))
    .limit(50);
  return rows.map((r) => ({ ...toKeyView(r), org_id: r.orgId }));
}

export function registerAdminKeys(admin: AdminApi, { db, keys, accounts }: AdminKeysDeps) {
  async function resolveOrg(email?: string, orgId?: string): Promise<string> {
    if (orgId) {
      const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
      if (!org)
        throw new PortalError({ code: 'not_found', message: `No organization ${orgId}.`, param: 'org_id' });
      return org.id;
    }
    if (!email)
      throw new PortalError({
        code: 'invalid_request_error',
        message: 'Give email, org_id or prefix.',
        param: 'email',
      });
    const user = await accounts.findUserByEmail(email);
    if (!user)
      throw new PortalError({ code: 'not_found', message: `No user with email ${email}.`, param: 'email' });
    return (await accounts.ensurePersonalOrg(user)).orgId;
  }

  admin.post('/keys', routeLabel('/admin/api/keys'), async (c) => {
    const { email, org_id, reason, ...body } = await parseJsonBody(c, adminCreateKeyBody);
    const orgId = await resolveOrg(email, org_id);
    const { key, view } = await keys.create(adminActor(c), orgId, body, reason);
    c.header('cache-control', 'no-store');
    return c.json({ ...view, key, org_id: orgId }, 201);
  });

  admin.get('/keys', routeLabel('/admin/api/keys'), async (c) => {
    const q = parseValue(adminKeysQuery, c.req.query());
    if (q.prefix && !q.email && !q.org_id)
      return c.json({ object: 'list', org_id: null, data: await keysByPrefix(db, q.prefix) });
    const orgId = await resolveOrg(q.email, q.org_id);
    const data = (await keys.list(orgId)).map((k) => ({ ...k, org_id: orgId }));
    return c.json({ object: 'list', org_id: orgId, data });
  });

  admin.get('/keys/:id', routeLabel('/admin/api/keys/:id'), async (c) => {
    const [row] = await db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, c.req.param('id')))
      .limit(1);
    if (!row)
      throw new PortalError({ code: 'not_found', message: `No API key with id ${c.req.param('id')}.` });
    return c.json({ ...toKeyView(row), org_id: row.orgId });
  });

  const reasonOf = async (c: Parameters<typeof readOptionalJsonObject>[0]) =>
    parseValue(reasonBody, await readOptionalJsonObject(c)).reason;

  admin.delete('/keys/:id', routeLabel('/admin/api/keys/:id'), async (c) => {
    const reason = await reasonOf(c);
    return c.json(await keys.revoke(adminActor(c), null, c.req.param('id'), reason));
  });
  admin.post('/keys/:id/disable', routeLabel('/admin/api/keys/:id/disable'), async (c) => {
    const reason = await reasonOf(c);
    return c.json(await keys.setDisabled(adminActor(c), c.req.param('id'), true, reason));
  });
  admin.post('/keys/:id/enable', routeLabel('/admin/api/keys/:id/enable'), async (c) => {
    const reason = await reasonOf(c);
    return c.json(await keys.setDisabled(adminActor(c), c.req.param('id'), false, reason));
  });
}
