/** POST /api/keys — create a key; the full key is in this response only. */
import { routeLabel } from '../../platform/http/kernel.js';
import { createKeyBody } from '../../contracts/index.js';
import { parseJsonBody } from '../validation.js';
import { userActor, type ProductApi, type ProductDeps } from '../deps.js';

export function registerCreateKey(api: ProductApi, deps: ProductDeps) {
  api.post('/keys', routeLabel('/api/keys'), async (c) => {
    const body = await parseJsonBody(c, createKeyBody);
    const { key, view } = await deps.keys.create(userActor(c), c.get('orgId'), body);
    c.header('cache-control', 'no-store');
    return c.json({ ...view, key }, 201);
  });
}
