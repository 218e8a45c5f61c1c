/**
 * How a key is shown to its owner: display parts, status, scopes and limits — never the key or its hash.
 */
import type { apiKeys } from '../../platform/store/schema.js';

type KeyRow = typeof apiKeys.$inferSelect;

export type KeyStatus = 'active' | 'revoked' | 'disabled' | 'expired';

export interface KeyView {
  id: string;
  object: 'api_key';
  name: string;
  display_prefix: string;
  last_four: string;
  /** e.g. "ptl_Ab12Cd…wXyZ" */
  redacted: string;
  status: KeyStatus;
  models: string[] | null;
  limits: { requests_per_minute: number | null; tokens_per_minute: number | null };
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

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
