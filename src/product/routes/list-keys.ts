/** GET /api/keys — the organization's keys (never the key material). */
import { routeLabel } from '#src/platform/http/kernel.js';
import type { ProductApi } from '../deps.js';
import type { KeyService } from '#src/domain/keys/key-service.js';

export function registerListKeys(api: ProductApi, { keys }: { keys: KeyService }) {
  api.get('/keys', routeLabel('/api/keys'), async (c) =>
    c.json({ object: 'list', data: await keys.list(c.get('orgId')) }),
  );
}
