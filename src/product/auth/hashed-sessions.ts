/**
 * Session tokens stored hashed. better-auth keeps the session token as it is sent in the cookie; this
 * wrapper around its database adapter stores SHA-256 of it instead and hashes every lookup by token, so a
 * copy of `auth_sessions` (a backup, a read-only leak) holds nothing that signs anyone in. Rows found by
 * token get the caller's raw token back (better-auth re-sets the cookie from it); rows found otherwise
 * (a user's session list) carry only the hash, which is never shown (the mount strips tokens from JSON).
 * Hashing is idempotent (`h1:` prefix), so a hash handed back in a later lookup is not hashed twice.
 * The same wrapper caps sliding refreshes at the absolute lifetime (`auth.sessionMaxAgeDays`).
 */
import { createHash } from 'node:crypto';
import type { DBAdapter, Where } from 'better-auth';

const PREFIX = 'h1:';

export function hashSessionToken(token: string): string {
  if (token.startsWith(PREFIX)) return token;
  return PREFIX + createHash('sha256').update(token).digest('base64url');
}

type Row = Record<string, unknown>;
type Raws = Map<string, string>;

/**
 * The where clause with token values hashed, and hash → raw for putting raw tokens back on results. A clause
 * given comes back as a clause (the overloads say so), so the methods that require one keep one.
 */
function hashWhere(model: string, where: Where[]): { where: Where[]; raws: Raws };
function hashWhere(model: string, where: Where[] | undefined): { where: Where[] | undefined; raws: Raws };
function hashWhere(model: string, where: Where[] | undefined): { where: Where[] | undefined; raws: Raws } {
  const raws: Raws = new Map();
  if (model !== 'session' || !where) return { where, raws };
  const hash = (v: unknown) => {
    if (typeof v !== 'string') return v;
    const h = hashSessionToken(v);
    if (h !== v) raws.set(h, v);
    return h;
  };
  const mapped = where.map((w) =>
    w.field !== 'token'
      ? w
      : { ...w, value: (Array.isArray(w.value) ? w.value.map(hash) : hash(w.value)) as Where['value'] },
  );
  return { where: mapped, raws };
}

function restore<T>(row: T, raws: Raws): T {
  const token = (row as Row | null)?.token;
  if (typeof token !== 'string' || !raws.has(token)) return row;
  return { ...(row as Row), token: raws.get(token) } as T;
}

function wrap<A extends Omit<DBAdapter, 'transaction'>>(adapter: A, maxAgeMs: number): A {
  /** A sliding refresh never moves a session's expiry past its creation plus the absolute lifetime. */
  const capped = async (model: string, where: Where[], update: Row): Promise<Row> => {
    if (model !== 'session' || !(update.expiresAt instanceof Date)) return update;
    const row = await adapter.findOne<Row>({ model, where });
    const created = row?.createdAt instanceof Date ? row.createdAt.getTime() : undefined;
    if (created === undefined || update.expiresAt.getTime() <= created + maxAgeMs) return update;
    return { ...update, expiresAt: new Date(created + maxAgeMs) };
  };
  return {
    ...adapter,
    async create(data) {
      const token = (data.data as Row).token;
      if (data.model !== 'session' || typeof token !== 'string') return adapter.create(data);
      const row = await adapter.create({ ...data, data: { ...data.data, token: hashSessionToken(token) } });
      return restore(row, new Map([[hashSessionToken(token), token]]));
    },
    async findOne(data) {
      const { where, raws } = hashWhere(data.model, data.where);
      return restore(await adapter.findOne({ ...data, where }), raws);
    },
    async findMany(data) {
      const { where, raws } = hashWhere(data.model, data.where);
      return (await adapter.findMany({ ...data, where })).map((row) => restore(row, raws));
    },
    async count(data) {
      return adapter.count({ ...data, where: hashWhere(data.model, data.where).where });
    },
    async update(data) {
      const { where, raws } = hashWhere(data.model, data.where);
      const update = await capped(data.model, where, data.update);
      return restore(await adapter.update({ ...data, where, update }), raws);
    },
    async updateMany(data) {
      return adapter.updateMany({ ...data, where: hashWhere(data.model, data.where).where });
    },
    async delete(data) {
      return adapter.delete({ ...data, where: hashWhere(data.model, data.where).where });
    },
    async deleteMany(data) {
      return adapter.deleteMany({ ...data, where: hashWhere(data.model, data.where).where });
    },
  } as A;
}

/**
 * Wraps a better-auth database adapter factory (e.g. drizzleAdapter(...)): session tokens stored hashed,
 * and no session refreshed past `maxAgeMs` after its creation.
 */
export function withHashedSessionTokens<O>(
  factory: (options: O) => DBAdapter,
  maxAgeMs: number,
): (options: O) => DBAdapter {
  return (options) => {
    const adapter = factory(options);
    const transaction = adapter.transaction;
    return {
      ...wrap(adapter, maxAgeMs),
      transaction: transaction
        ? (callback) => transaction((trx) => callback(wrap(trx, maxAgeMs)))
        : transaction,
    } as DBAdapter;
  };
}
