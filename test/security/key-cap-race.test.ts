/**
 * Finding: the active-key cap was checked by counting and then inserting, so concurrent creates on a
 * PostgreSQL pool could all see room and all insert. Creates of one organization now count and insert under
 * a lock on the organization's row, in one transaction: never more active keys than the plan allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyService, type KeyService } from '#src/domain/keys/key-service.js';
import { createMemoryBus } from '#src/platform/bus/memory.js';
import { loadConfig } from '#src/platform/config/load.js';
import { seedCatalog } from '#src/platform/store/seed.js';
import type { Store } from '#src/platform/store/db.js';
import { storeTargets } from '../support/store.js';
import { createAccount } from '../support/fixtures.js';

const CAP = 5; // the built-in free plan's maxActiveKeys

for (const target of storeTargets()) {
  describe(`the active-key cap under concurrent creates on ${target.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let keys: KeyService;
    beforeAll(async () => {
      ({ store, close } = await target.open());
      await seedCatalog(store, loadConfig({ env: {} }));
      keys = createKeyService({ store, bus: createMemoryBus(), defaultPlanId: 'free' });
    });
    afterAll(() => close?.());

    it('at one below the cap, two concurrent creates: exactly one succeeds', async () => {
      for (let round = 0; round < 5; round++) {
        const { orgId } = await createAccount(store); // one active key already
        for (let i = 1; i < CAP - 1; i++)
          await keys.create({ kind: 'system', id: null }, orgId, { name: `f${i}` });
        const results = await Promise.allSettled([
          keys.create({ kind: 'system', id: null }, orgId, { name: 'a' }),
          keys.create({ kind: 'system', id: null }, orgId, { name: 'b' }),
        ]);
        const refused = results.filter(
          (r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'key_limit_reached',
        );
        const [row] = await store.query<{ n: number }>(
          "select count(*)::int as n from api_keys where org_id = $1 and status = 'active'",
          [orgId],
        );
        const [audit] = await store.query<{ n: number }>(
          "select count(*)::int as n from audit_log where org_id = $1 and action = 'key.created'",
          [orgId],
        );
        expect({ fulfilled: results.length - refused.length, refused: refused.length }).toEqual({
          fulfilled: 1,
          refused: 1,
        });
        expect({ active: row!.n, audited: audit!.n }).toEqual({ active: CAP, audited: CAP - 1 });
      }
    });

    it(`40 concurrent creates leave at most ${CAP} active keys, the rest answer key_limit_reached`, async () => {
      for (let round = 0; round < 3; round++) {
        const { orgId } = await createAccount(store); // one active key already
        const results = await Promise.allSettled(
          Array.from({ length: 40 }, (_, i) =>
            keys.create({ kind: 'system', id: null }, orgId, { name: `k${i}` }),
          ),
        );
        const created = results.filter((r) => r.status === 'fulfilled').length;
        const refused = results.filter(
          (r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'key_limit_reached',
        ).length;
        const [row] = await store.query<{ n: number }>(
          "select count(*)::int as n from api_keys where org_id = $1 and status = 'active'",
          [orgId],
        );
        expect({ created, refused, active: row!.n }).toEqual({
          created: CAP - 1,
          refused: 40 - (CAP - 1),
          active: CAP,
        });
      }
    });
  });
}
