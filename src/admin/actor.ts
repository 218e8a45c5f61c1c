/**
 * Who an admin API request acts as, for the audit log: the admin gate's verdict (./auth.ts) — a signed-in
 * admin `{ kind: 'user', id }`, or the admin token `{ kind: 'admin' | 'cli', id: null }` (the CLI says so with
 * `x-portal-actor: cli`; the token names no person).
 */
import type { Actor } from '../platform/audit.js';

export function adminActor(c: { get(name: 'actor'): Actor }): Actor {
  return c.get('actor');
}

/** The token's actor: the CLI when it says so, else an operator's script. */
export function tokenActor(header: string | undefined): Actor {
  return { kind: header === 'cli' ? 'cli' : 'admin', id: null };
}
