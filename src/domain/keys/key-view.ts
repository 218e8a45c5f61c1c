/**
 * How a key is shown to its owner: display parts, status, scopes and limits — never the key or its hash.
 */
import type { ApiKey } from '#src/contracts/index.js';
import type { apiKeys } from '#src/platform/store/schema.js';

type KeyRow = typeof apiKeys.$inferSelect;

/** The contract's `apiKey`. */
export type KeyView = ApiKey;
export type KeyStatus = ApiKey['status'];

export function keyStatus(row: Pick<KeyRow, 'status' | 'expiresAt'>, now = Date.now()): KeyStatus {
  if (row.status === 'active' && row.expiresAt && row.expiresAt.getTime() <= now) return 'expired';
  return row.status;
}

export function toKeyView(row: KeyRow): KeyView {
  return {
    id: row.id,
    object: 'api_key',
    name: row.name,
    display_prefix: row.displayPrefix,
    last_four: row.lastFour,
    redacted: `${row.displayPrefix}…${row.lastFour}`,
    status: keyStatus(row),
    models: row.scopes ?? null,
    limits: { requests_per_minute: row.requestsPerMinute, tokens_per_minute: row.tokensPerMinute },
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}
