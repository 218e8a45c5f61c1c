/** GET /api/keys/:id — one key of the organization; another organization's id is 404. */
import { routeLabel } from '#src/platform/http/kernel.js';
import type { ProductApi } from '../deps.js';
import type { KeyService } from '#src/domain/keys/key-service.js';

export function registerGetKey(api: ProductApi, { keys }: { keys: KeyService }) {
  api.get('/keys/:id', routeLabel('/api/keys/:id'), async (c) =>
    c.json(await keys.get(c.get('orgId'), c.req.param('id'))),
  );
}
