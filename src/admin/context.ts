/**
 * Variables of the admin API (/admin/api/*): who is acting, set by the admin gate (./auth.ts) — the admin
 * token (an operator or the CLI, no person) or an admin's dashboard session (a user). Routes record it in the
 * audit log through `adminActor(c)`.
 */
import type { Hono } from 'hono';
import type { BaseVariables } from '../platform/http/context.js';
import type { Actor } from '../platform/audit.js';

export interface AdminEnv {
  Variables: BaseVariables & { actor: Actor };
}

export type AdminApi = Hono<AdminEnv>;
