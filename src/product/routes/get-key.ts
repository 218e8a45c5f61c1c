/** GET /api/keys/:id — one key of the organization; another organization's id is 404. */
import { routeLabel } from '../../platform/http/kernel.js';
import type { ProductApi, ProductDeps } from '../deps.js';

export function registerGetKey(api: ProductApi, deps: ProductDeps) {
  api.get('/keys/:id', routeLabel('/api/keys/:id'), async (c) =>
    c.json(await deps.keys.get(c.get('orgId'), c.req.param('id'))),
  );
}
