/** DELETE /api/keys/:id — revoke now (every gateway instance drops it); the key stays listed as revoked. */
import { routeLabel } from '#src/platform/http/kernel.js';
import { userActor, type ProductApi } from '../deps.js';
import type { KeyService } from '#src/domain/keys/key-service.js';

export function registerRevokeKey(api: ProductApi, { keys }: { keys: KeyService }) {
  api.delete('/keys/:id', routeLabel('/api/keys/:id'), async (c) =>
    c.json(await keys.revoke(userActor(c), c.get('orgId'), c.req.param('id'))),
  );
}
