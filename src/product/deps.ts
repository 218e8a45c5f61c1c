/**
 * What product routes share: the /api sub-app's type and the signed-in user as an audit actor. Each route
 * file declares the few services it uses (the key service, the store, …), given by registerProduct.
 */
import type { Hono } from 'hono';
import type { ProductEnv } from './context.js';
import type { Actor } from '../platform/audit.js';

export type ProductApi = Hono<ProductEnv>;

/** The signed-in user as an audit actor. */
export function userActor(c: { get(name: 'user'): { id: string } }): Actor {
  return { kind: 'user', id: c.get('user').id };
}
