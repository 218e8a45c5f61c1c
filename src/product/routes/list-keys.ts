/** GET /api/keys — the organization's keys (never the key material). */
import { routeLabel } from '../../platform/http/kernel.js';
import type { ProductApi, ProductDeps } from '../deps.js';

export function registerListKeys(api: ProductApi, deps: ProductDeps) {
  api.get('/keys', routeLabel('/api/keys'), async (c) =>
    c.json({ object: 'list', data: await deps.keys.list(c.get('orgId')) }),
  );
}
