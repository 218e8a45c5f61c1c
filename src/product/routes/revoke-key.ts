/** DELETE /api/keys/:id — revoke now (every gateway instance drops it); the key stays listed as revoked. */
import { routeLabel } from '../../platform/http/kernel.js';
import { userActor, type ProductApi, type ProductDeps } from '../deps.js';

export function registerRevokeKey(api: ProductApi, deps: ProductDeps) {
  api.delete('/keys/:id', routeLabel('/api/keys/:id'), async (c) =>
    c.json(await deps.keys.revoke(userActor(c), c.get('orgId'), c.req.param('id'))),
  );
}
