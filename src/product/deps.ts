/**
 * What product routes are given: the services plus the product's own domain objects, built once.
 */
import type { Hono } from 'hono';
import type { Services } from '../app.js';
import type { ProductEnv } from './context.js';
import type { KeyService } from './keys/key-service.js';
import type { Actor } from './audit.js';

export interface ProductDeps {
  services: Services;
  keys: KeyService;
}

export type ProductApi = Hono<ProductEnv>;

/** The signed-in user as an audit actor. */
export function userActor(c: { get(name: 'user'): { id: string } }): Actor {
  return { kind: 'user', id: c.get('user').id };
}
