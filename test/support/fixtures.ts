/**
 * Test accounts straight through the store and the key module: an organization on a plan, with one key.
 * (Sign-up and the key pages are exercised by the product suites; gateway suites only need the rows.)
 */
import { eq } from 'drizzle-orm';
import type { Store } from '#src/platform/store/db.js';
import { apiKeys, organizations, planSubscriptions, plans, users } from '#src/platform/store/schema.js';
import { newId } from '#src/platform/ids.js';
import { generateKey } from '#src/gateway/keys/format.js';

export interface TestAccount {
  orgId: string;
  userId: string;
  keyId: string;
  key: string;
}

export interface AccountOptions {
  plan?: string;
  key?: { requestsPerMinute?: number; tokensPerMinute?: number; scopes?: string[]; expiresAt?: Date };
}

export async function createAccount(store: Store, options: AccountOptions = {}): Promise<TestAccount> {
  const orgId = newId('org');
  const userId = newId('usr');
  await store.db.insert(users).values({ id: userId, email: `${userId}@example.test`, name: 'Test user' });
  await store.db.insert(organizations).values({ id: orgId, name: 'Test org' });
  await store.db
    .insert(planSubscriptions)
    .values({ id: newId('sub'), orgId, planId: options.plan ?? 'free' });
  const { keyId, key } = await createKey(store, orgId, options.key);
  return { orgId, userId, keyId, key };
}

export async function createKey(store: Store, orgId: string, options: AccountOptions['key'] = {}) {
  const generated = generateKey();
  const keyId = newId('key');
  await store.db.insert(apiKeys).values({
    id: keyId,
    orgId,
    name: `key ${keyId.slice(-4)}`,
    keyHash: generated.hash,
    displayPrefix: generated.displayPrefix,
    lastFour: generated.lastFour,
    scopes: options.scopes ?? null,
    requestsPerMinute: options.requestsPerMinute ?? null,
    tokensPerMinute: options.tokensPerMinute ?? null,
    expiresAt: options.expiresAt ?? null,
  });
  return { keyId, key: generated.key };
}

/** A plan for tests, with exactly the limits given (null = unlimited). */
export async function upsertPlan(
  store: Store,
  id: string,
  limits: { rpm?: number | null; tpm?: number | null; rpd?: number | null; tpd?: number | null },
  kind: 'free' | 'monthly_quota' | 'credits' = 'free',
) {
  const values = {
    name: id,
    kind,
    requestsPerMinute: limits.rpm ?? null,
    tokensPerMinute: limits.tpm ?? null,
    requestsPerDay: limits.rpd ?? null,
    tokensPerDay: limits.tpd ?? null,
    maxActiveKeys: 100,
  };
  await store.db
    .insert(plans)
    .values({ id, ...values })
    .onConflictDoUpdate({ target: plans.id, set: values });
  await store.query(`delete from model_access_policies where plan_id = $1`, [id]);
  await store.query(
    `insert into model_access_policies (id, plan_id, model_id, effect) values ($1, $2, '*', 'allow')`,
    [newId('map'), id],
  );
}

export async function setKeyStatus(store: Store, keyId: string, status: 'active' | 'revoked' | 'disabled') {
  await store.db.update(apiKeys).set({ status }).where(eq(apiKeys.id, keyId));
}
