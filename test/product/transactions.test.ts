/**
 * Multi-step writes are one transaction, on PGlite and on PostgreSQL: a user, its organization and its audit
 * row exist together or not at all; a key change and its audit row; a ledger entry and its audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/platform/config/load.js';
import { seedCatalog } from '#src/platform/store/seed.js';
import type { Store } from '#src/platform/store/db.js';
import { createMemoryBus } from '#src/platform/bus/memory.js';
import { createCredits } from '#src/platform/billing/credits.js';
import { createDomain, type Domain } from '#src/domain/services.js';
import { findOrCreateExternalUser } from '#src/product/auth/external-users.js';
import { storeTargets } from '../support/store.js';
import { createAccount } from '../support/fixtures.js';

const OPERATOR = { kind: 'admin' as const, id: null };

for (const target of storeTargets()) {
  describe(`multi-step writes on ${target.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let domain: Domain;
    const count = async (sql: string, params: unknown[]) =>
      (await store.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params))[0]!.n;
    beforeAll(async () => {
      ({ store, close } = await target.open());
      const config = loadConfig({ env: {} });
      await seedCatalog(store, config);
      const credits = createCredits({ store });
      domain = createDomain({ config, store, bus: createMemoryBus(), credits });
    });
    afterAll(() => close?.());

    it('a user whose organization cannot be written is not created either (no user, no audit row)', async () => {
      const email = `rollback-${Date.now()}@example.test`;
      const failing = createDomain({
        config: { ...loadConfig({ env: {} }), defaultPlan: 'no-such-plan' },
        store,
        bus: createMemoryBus(),
        credits: createCredits({ store }),
      });
      const before = await count("audit_log where action = 'user.created'", []);
      // The user row is written first; the subscription to a plan that does not exist fails after it.
      await expect(
        failing.accounts.createUser({ email, name: 'R' }, { actor: OPERATOR, action: 'user.created' }),
      ).rejects.toThrow();
      expect(await count('users where email = $1', [email])).toBe(0);
      expect(await count("audit_log where action = 'user.created'", [])).toBe(before);
    });

    it('a created user has its organization, membership and audit row', async () => {
      const email = `created-${Date.now()}@example.test`;
      const { user, membership } = await domain.accounts.createUser(
        { email, name: 'C' },
        { actor: OPERATOR, action: 'user.created' },
      );
      expect(membership.role).toBe('owner');
      expect(await count('organization_members where user_id = $1', [user.id])).toBe(1);
      expect(await count("audit_log where target_id = $1 and action = 'user.created'", [user.id])).toBe(1);
    });

    it('concurrent first sights of one external subject make one user, one organization, one audit row', async () => {
      const who = {
        provider: 'clerk' as const,
        subject: `sub_${Date.now()}`,
        email: null,
        emailVerified: false,
        name: 'E',
      };
      const seen = await Promise.all(
        Array.from({ length: 4 }, () => findOrCreateExternalUser(store.db, who, 'free')),
      );
      const ids = seen.map((r) => (r.ok ? r.user.id : r.code));
      expect(new Set(ids).size).toBe(1);
      const id = ids[0]!;
      expect(await count('organization_members where user_id = $1', [id])).toBe(1);
      expect(await count("audit_log where target_id = $1 and action = 'user.signed_up'", [id])).toBe(1);
    });

    it('a revoke writes the key and its audit row together', async () => {
      const { orgId, keyId } = await createAccount(store);
      await domain.keys.revoke(OPERATOR, null, keyId);
      expect(await count("api_keys where id = $1 and status = 'revoked'", [keyId])).toBe(1);
      expect(await count("audit_log where org_id = $1 and action = 'key.revoked'", [orgId])).toBe(1);
    });

    it('an operator ledger entry comes with its audit row and moves the balance', async () => {
      const { orgId } = await createAccount(store);
      await domain.ledger.append({ orgId, kind: 'grant', amountMicros: 5, description: 'x' }, OPERATOR);
      expect(await domain.ledger.balance(orgId)).toBe(5);
      expect(await count("audit_log where org_id = $1 and action = 'ledger.grant'", [orgId])).toBe(1);
    });
  });
}
