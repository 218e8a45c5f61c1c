/** POST /api/keys — create a key; the full key is in this response only. */
import { routeLabel } from '#src/platform/http/kernel.js';
import { createKeyBody } from '#src/contracts/index.js';
import { parseJsonBody } from '#src/platform/http/body.js';
import { userActor, type ProductApi } from '../deps.js';
import type { KeyService } from '#src/domain/keys/key-service.js';

export function registerCreateKey(api: ProductApi, { keys }: { keys: KeyService }) {
  api.post('/keys', routeLabel('/api/keys'), async (c) => {
    const body = await parseJsonBody(c, createKeyBody);
    const { key, view } = await keys.create(userActor(c), c.get('orgId'), body);
    c.header('cache-control', 'no-store');
    return c.json({ ...view, key }, 201);
  });
}
