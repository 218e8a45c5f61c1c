/** PATCH /api/keys/:id — rename, change expiry, model scope or limits. */
import { routeLabel } from '#src/platform/http/kernel.js';
import { updateKeyBody } from '#src/contracts/index.js';
import { parseJsonBody } from '#src/platform/http/body.js';
import { userActor, type ProductApi } from '../deps.js';
import type { KeyService } from '#src/domain/keys/key-service.js';

export function registerUpdateKey(api: ProductApi, { keys }: { keys: KeyService }) {
  api.patch('/keys/:id', routeLabel('/api/keys/:id'), async (c) => {
    // Ownership first, so another organization's id is 404 whatever the body says.
    await keys.get(c.get('orgId'), c.req.param('id'));
    const body = await parseJsonBody(c, updateKeyBody);
    return c.json(await keys.update(userActor(c), c.get('orgId'), c.req.param('id'), body));
  });
}
