/**
 * Admin API — users: create an email + password user (with a personal organization, as at sign-up) and find
 * users by email. Used by `portal users create`. The password is hashed the way better-auth verifies it.
 */
import { eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import { hashPassword } from 'better-auth/crypto';
import type { Services } from '../app.js';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { authAccounts, users } from '../platform/store/schema.js';
import { newId } from '../platform/ids.js';
import { ensurePersonalOrg, findUserByEmail } from '../product/accounts/accounts.js';
import { adminActor, recordAudit } from '../product/audit.js';
import { createUserBody } from '../contracts/index.js';
import { parseJsonBody } from '../product/validation.js';
import { passwordProblem } from '../product/auth/password-rules.js';

export function registerAdminUsers(admin: Hono<AppEnv>, services: Services) {
  const { db } = services.store;

  admin.post('/users', routeLabel('/admin/api/users'), async (c) => {
    const body = await parseJsonBody(c, createUserBody);
    const weak = await passwordProblem(body.password, [body.email, body.name ?? '']);
    if (weak) throw new PortalError({ code: 'invalid_request_error', param: 'password', message: weak });
    if (await findUserByEmail(db, body.email))
      throw new PortalError({
        code: 'conflict',
        message: `A user with email ${body.email} exists.`,
        param: 'email',
      });
    const id = newId('usr');
    const password = await hashPassword(body.password);
    await db.transaction(async (tx) => {
      await tx.insert(users).values({
        id,
        email: body.email.toLowerCase(),
        name: body.name ?? '',
        isAdmin: body.admin ?? false,
      });
      await tx
        .insert(authAccounts)
        .values({ id: newId('acc'), accountId: id, providerId: 'credential', userId: id, password });
    });
    const membership = await ensurePersonalOrg(
      db,
      { id, name: body.name ?? '', email: body.email },
      services.config.defaultPlan,
    );
    await recordAudit(db, {
      actor: adminActor(c),
      orgId: membership.orgId,
      action: 'user.created',
      targetType: 'user',
      targetId: id,
      details: { admin: body.admin ?? false },
    });
    return c.json(
      { id, email: body.email.toLowerCase(), is_admin: body.admin ?? false, org_id: membership.orgId },
      201,
    );
  });

  admin.get('/users', routeLabel('/admin/api/users'), async (c) => {
    const email = c.req.query('email');
    const rows = email
      ? [await findUserByEmail(db, email)].filter((u) => u !== null)
      : await db.select().from(users).orderBy(users.createdAt).limit(500);
    return c.json({ object: 'list', data: rows.map(userView) });
  });

  admin.get('/users/:id', routeLabel('/admin/api/users/:id'), async (c) => {
    const [row] = await db
      .select()
      .from(users)
      .where(eq(users.id, c.req.param('id')))
      .limit(1);
    if (!row) throw new PortalError({ code: 'not_found', message: `No user ${c.req.param('id')}.` });
    return c.json(userView(row));
  });
}

function userView(u: typeof users.$inferSelect) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    is_admin: u.isAdmin,
    status: u.status,
    auth_provider: u.authProvider,
    created_at: u.createdAt.toISOString(),
  };
}
