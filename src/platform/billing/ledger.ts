/**
 * The billing ledger: append-only money movements per organization (grant, usage_debit, adjustment, refund;
 * positive = credit). A balance is always the sum of the entries, never a stored number. Usage debits are
 * written by the metering writer (one per usage event); everything else comes through `Ledger.append`,
 * which writes the entry and its audit row in one transaction and then moves the credits counter.
 */
import { eq, sql } from 'drizzle-orm';
import { newId } from '../ids.js';
import { inTransaction, type Db, type Query, type Store } from '../store/db.js';
import { billingLedger } from '../store/schema.js';
import { recordAudit, type Actor } from '../audit.js';
import type { CreditsGuard } from './credits.js';

export type LedgerKind = 'grant' | 'usage_debit' | 'adjustment' | 'refund';

export interface LedgerEntry {
  id: string;
  occurred_at: string;
  kind: LedgerKind;
  amount_micros: number;
  description: string;
}

/** The balance in micro-units: the sum of every entry of the organization. */
export async function ledgerBalance(query: Query, orgId: string): Promise<number> {
  const rows = await query<{ balance: string | number }>(
    'select coalesce(sum(amount_micros), 0)::bigint as balance from billing_ledger where org_id = $1',
    [orgId],
  );
  return Number(rows[0]?.balance ?? 0);
}

/** The newest entries first. */
export async function listLedger(query: Query, orgId: string, limit = 50): Promise<LedgerEntry[]> {
  const rows = await query<{
    id: string;
    occurred_at: Date | string;
    kind: LedgerKind;
    amount_micros: string | number;
    description: string;
  }>(
    `select id, occurred_at, kind, amount_micros, description from billing_ledger where org_id = $1
     order by occurred_at desc, id desc limit $2`,
    [orgId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    occurred_at: new Date(r.occurred_at).toISOString(),
    kind: r.kind,
    amount_micros: Number(r.amount_micros),
    description: r.description,
  }));
}

export interface NewLedgerEntry {
  orgId: string;
  kind: Exclude<LedgerKind, 'usage_debit'>;
  amountMicros: number;
  description: string;
  createdBy: string | null;
}

/**
 * Appends a grant, adjustment or refund. Grants and refunds add credit; an adjustment may be either sign.
 * Example: appendLedgerEntry(db, { orgId, kind: 'grant', amountMicros: 5_000_000, description: 'Welcome', createdBy: null })
 */
export async function appendLedgerEntry(db: Db, entry: NewLedgerEntry): Promise<LedgerEntry> {
  const [row] = await db
    .insert(billingLedger)
    .values({
      id: newId('led'),
      orgId: entry.orgId,
      kind: entry.kind,
      amountMicros: entry.amountMicros,
      description: entry.description,
      createdBy: entry.createdBy,
    })
    .returning({ id: billingLedger.id, occurredAt: billingLedger.occurredAt });
  if (!row) throw new Error('insert returned no ledger row');
  return {
    id: row.id,
    occurred_at: row.occurredAt.toISOString(),
    kind: entry.kind,
    amount_micros: entry.amountMicros,
    description: entry.description,
  };
}

/** The ledger of the running process, built once in the composition root. */
export interface Ledger {
  balance(orgId: string): Promise<number>;
  list(orgId: string, limit?: number): Promise<LedgerEntry[]>;
  /**
   * Appends an operator's entry and its audit row in one transaction, then moves the organization's credit
   * counter by the amount. The counter is Redis or memory, outside the transaction: if that last step
   * fails, the entry stands and the error reaches the caller; a counter not yet loaded reads the entry from
   * the ledger on first use.
   */
  append(entry: Omit<NewLedgerEntry, 'createdBy'>, actor: Actor, reason?: string): Promise<LedgerEntry>;
}

export function createLedger(deps: { store: Store; credits: CreditsGuard }): Ledger {
  const { store, credits } = deps;
  return {
    balance: (orgId) => ledgerBalance(store.query, orgId),
    list: (orgId, limit) => listLedger(store.query, orgId, limit),
    async append(entry, actor, reason) {
      const written = await inTransaction(store.db, async (tx) => {
        const [sum] = await tx
          .select({ balance: sql<string>`coalesce(sum(${billingLedger.amountMicros}), 0)::bigint` })
          .from(billingLedger)
          .where(eq(billingLedger.orgId, entry.orgId));
        const before = Number(sum?.balance ?? 0);
        const row = await appendLedgerEntry(tx, { ...entry, createdBy: actor.kind });
        await recordAudit(tx, {
          actor,
          orgId: entry.orgId,
          action: `ledger.${entry.kind}`,
          targetType: 'organization',
          targetId: entry.orgId,
          details: { entry: row.id, amount_micros: entry.amountMicros },
          reason,
          before: { balance_micros: before },
          after: { balance_micros: before + entry.amountMicros },
        });
        return row;
      });
      await credits.applyLedgerEntry(entry.orgId, entry.amountMicros);
      return written;
    },
  };
}
