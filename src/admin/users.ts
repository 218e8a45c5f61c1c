/**
 * Admin API — users: create an email + password user (with a personal organization, as at sign-up) and find
 * users by email. Used by `portal users create`. The password is hashed the way better-auth verifies it.
 */
import { eq } from 'drizzle-orm';
import type { AdminApi } from './context.js';
import { hashPassword } from 'better-auth/crypto';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { parseJsonBody } from '../platform/http/body.js';
import type { Db } from '../platform/store/db.js';
import { users } from '../platform/store/schema.js';
import type { Accounts } from '../domain/accounts.js';
import { passwordProblem } from '../domain/password-rules.js';
import { createUserBody } from '../contracts/index.js';
import { adminActor } from './actor.js';

export interface AdminUsersDeps {
  db: Db;
  accounts: Pick<Accounts, 'findUserByEmail' | 'createUser'>;
}

export function registerAdminUsers(admin: AdminApi, { db, accounts }: AdminUsersDeps) {
  admin.post('/users', routeLabel('/admin/api/users'), async (c) => {
    const body = await parseJsonBody(c, createUserBody);
    const weak = await passwordProblem(body.password, [body.email, body.name ?? '']);
    if (weak) throw new PortalError({ code: 'invalid_request_error', param: 'password', message: weak });
    if (await accounts.findUserByEmail(body.email))
      throw new PortalError({
        code: 'conflict',
        message: `A user with email ${body.email} exists.`,
        param: 'email',
      });
    const isAdmin = body.admin ?? false;
    const { user, membership } = await accounts.createUser(
      { email: body.email, name: body.name ?? '', isAdmin, passwordHash: await hashPassword(body.password) },
      { actor: adminActor(c), action: 'user.created', details: { admin: isAdmin } },
    );
    return c.json({ id: user.id, email: user.email, is_admin: isAdmin, org_id: membership.orgId }, 201);
  });

  admin.get('/users', routeLabel('/admin/api/users'), async (c) => {
    const email = c.req.query('email');
    const rows = email
      ? [await accounts.findUserByEmail(email)].filter((u) => u !== null)
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
