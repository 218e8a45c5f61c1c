/**
 * Admin API — keys: create a key for a user (by email) or an organization, list an account's keys, revoke,
 * disable and re-enable. The same key service instance as the dashboard (built once by the composition
 * root): audited, and announced on the bus so every gateway instance drops its cached copy. Used by
 * `portal keys …`.
 */
import { eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { parseJsonBody } from '../platform/http/body.js';
import type { Db } from '../platform/store/db.js';
import { organizations } from '../platform/store/schema.js';
import type { Accounts } from '../domain/accounts.js';
import type { KeyService } from '../domain/keys/key-service.js';
import { adminCreateKeyBody } from '../contracts/index.js';
import { adminActor } from './actor.js';

export interface AdminKeysDeps {
  db: Db;
  keys: KeyService;
  accounts: Pick<Accounts, 'findUserByEmail' | 'ensurePersonalOrg'>;
}

export function registerAdminKeys(admin: Hono<AppEnv>, { db, keys, accounts }: AdminKeysDeps) {
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
        message: 'Give email or org_id.',
        param: 'email',
      });
    const user = await accounts.findUserByEmail(email);
    if (!user)
      throw new PortalError({ code: 'not_found', message: `No user with email ${email}.`, param: 'email' });
    return (await accounts.ensurePersonalOrg(user)).orgId;
  }

  admin.post('/keys', routeLabel('/admin/api/keys'), async (c) => {
    const { email, org_id, ...body } = await parseJsonBody(c, adminCreateKeyBody);
    const orgId = await resolveOrg(email, org_id);
    const { key, view } = await keys.create(adminActor(c), orgId, body);
    c.header('cache-control', 'no-store');
    return c.json({ ...view, key, org_id: orgId }, 201);
  });

  admin.get('/keys', routeLabel('/admin/api/keys'), async (c) => {
    const orgId = await resolveOrg(c.req.query('email'), c.req.query('org_id'));
    return c.json({ object: 'list', org_id: orgId, data: await keys.list(orgId) });
  });

  admin.delete('/keys/:id', routeLabel('/admin/api/keys/:id'), async (c) =>
    c.json(await keys.revoke(adminActor(c), null, c.req.param('id'))),
  );
  admin.post('/keys/:id/disable', routeLabel('/admin/api/keys/:id/disable'), async (c) =>
    c.json(await keys.setDisabled(adminActor(c), c.req.param('id'), true)),
  );
  admin.post('/keys/:id/enable', routeLabel('/admin/api/keys/:id/enable'), async (c) =>
    c.json(await keys.setDisabled(adminActor(c), c.req.param('id'), false)),
  );
}
