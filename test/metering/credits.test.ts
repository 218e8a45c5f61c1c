import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredits, type CreditsGuard } from '#src/platform/billing/credits.js';
import { appendLedgerEntry, ledgerBalance } from '#src/platform/billing/ledger.js';
import type { Store } from '#src/platform/store/db.js';
import { hasService } from '../support/services.js';
import { storeTargets } from '../support/store.js';
import { seedOrg } from './support.js';

const counters: { name: string; make: (store: Store) => CreditsGuard }[] = [
  { name: 'memory', make: (store) => createCredits({ store }) },
];
if (hasService('redis'))
  counters.push({
    name: 'redis',
    make: (store) =>
      createCredits({
        store,
        redis: new Redis(process.env.REDIS_URL!),
        prefix: `test:${randomBytes(6).toString('hex')}:`,
      }),
  });
else console.warn('SKIPPED Redis variant of the credits suite — REDIS_URL is not set');

const [target] = storeTargets();

for (const counter of counters) {
  describe(`credits guard (${counter.name} counter)`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let credits: CreditsGuard;
    beforeAll(async () => {
      ({ store, close } = await target!.open());
      credits = counter.make(store);
    });
    afterAll(async () => {
      await credits.close();
      await close();
    });

    async function orgWith(balance: number): Promise<string> {
      const orgId = `org_${randomBytes(4).toString('hex')}`;
      await seedOrg(store.query, orgId);
      await appendGrant(orgId, balance, 'test');
      return orgId;
    }

    const appendGrant = (orgId: string, amountMicros: number, description: string) =>
      appendLedgerEntry(store.db, { orgId, kind: 'grant', amountMicros, description, createdBy: null });
    /** A grant written to the ledger and announced to the counter, as the admin API does. */
    async function grant(orgId: string, amountMicros: number, description: string) {
      await appendGrant(orgId, amountMicros, description);
      await credits.applyLedgerEntry(orgId, amountMicros);
    }

    it('admits exactly 50 of 200 concurrent reservations against a balance that covers 50', async () => {
      const orgId = await orgWith(50 * 1_000);
      const decisions = await Promise.all(Array.from({ length: 200 }, () => credits.reserve(orgId, 1_000)));
      const admitted = decisions.filter((d) => d.ok);
      expect(admitted).toHaveLength(50);
      expect(await credits.balance(orgId)).toBe(0);
      for (const d of decisions) if (!d.ok) expect(d.balanceMicros).toBe(0);
    });

    it('debits exactly the admitted requests at settlement and never goes below zero', async () => {
      const orgId = await orgWith(50 * 1_000);
      const decisions = await Promise.all(Array.from({ length: 200 }, () => credits.reserve(orgId, 1_000)));
      await Promise.all(decisions.map((d) => (d.ok ? credits.settle(d.reservation, 600) : undefined)));
      // 50 admitted, each cost 600 of its 1,000 reservation: 20,000 remain.
      expect(await credits.balance(orgId)).toBe(50 * 1_000 - 50 * 600);
      const more = await Promise.all(Array.from({ length: 100 }, () => credits.reserve(orgId, 1_000)));
      expect(more.filter((d) => d.ok)).toHaveLength(20);
      expect(await credits.balance(orgId)).toBe(0);
    });

    it('returns the unused part of a reservation', async () => {
      const orgId = await orgWith(10_000);
      const d = await credits.reserve(orgId, 4_000);
      expect(await credits.balance(orgId)).toBe(6_000);
      if (d.ok) await credits.settle(d.reservation, 1_500);
      expect(await credits.balance(orgId)).toBe(8_500);
    });

    it('refuses with the balance when the reservation does not fit', async () => {
      const orgId = await orgWith(999);
      expect(await credits.reserve(orgId, 1_000)).toEqual({ ok: false, balanceMicros: 999 });
    });

    it('sees a grant appended after the balance was loaded', async () => {
      const orgId = await orgWith(1_000);
      expect(await credits.balance(orgId)).toBe(1_000);
      await grant(orgId, 5_000, 'top-up');
      expect(await credits.balance(orgId)).toBe(6_000);
      expect(await ledgerBalance(store.query, orgId)).toBe(6_000);
    });

    it('includes a grant applied before the counter was first loaded, exactly once', async () => {
      const orgId = await orgWith(1_000);
      await grant(orgId, 2_000, 'race');
      expect(await credits.balance(orgId)).toBe(3_000);
    });
  });
}
