/**
 * Who an admin API request acts as, for the audit log: the operator's token, or the CLI saying so with
 * `x-portal-actor: cli`. The admin token names no person, so the id stays null.
 */
import type { Actor } from '../platform/audit.js';

export function adminActor(c: { req: { header(name: string): string | undefined } }): Actor {
  return { kind: c.req.header('x-portal-actor') === 'cli' ? 'cli' : 'admin', id: null };
}
