/** PATCH /api/keys/:id — rename, change expiry, model scope or limits. */
import { routeLabel } from '../../platform/http/kernel.js';
import { updateKeyBody } from '../../contracts/index.js';
import { parseJsonBody } from '../validation.js';
import { userActor, type ProductApi, type ProductDeps } from '../deps.js';

export function registerUpdateKey(api: ProductApi, deps: ProductDeps) {
  api.patch('/keys/:id', routeLabel('/api/keys/:id'), async (c) => {
    // Ownership first, so another organization's id is 404 whatever the body says.
    await deps.keys.get(c.get('orgId'), c.req.param('id'));
    const body = await parseJsonBody(c, updateKeyBody);
    return c.json(await deps.keys.update(userActor(c), c.get('orgId'), c.req.param('id'), body));
  });
}
