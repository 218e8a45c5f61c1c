/**
 * Keys issued by an external service (keys.provider = unkey): the key service calls these at create,
 * update, disable / enable and revoke, before it writes its own api_keys row, so a failed call changes
 * nothing locally. Unkey is the only implementation; its failures become a 503 for the caller.
 *
 * @example
 *   const external = externalKeysFor(config);            // undefined with provider "portal"
 *   const { key, externalId } = await external.issue(row, 'ci');
 */
import type { PortalConfig } from '#src/platform/config/schema.js';
import { PortalError } from '#src/platform/http/errors.js';
import { unkeyClientFromConfig, UnkeyError, type UnkeyClient } from '#src/platform/unkey/client.js';
import { toUnkeyMeta } from '#src/platform/unkey/key-meta.js';

export interface ExternalKeyRow {
  id: string;
  orgId: string;
  name: string;
  scopes: string[] | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  expiresAt: Date | null;
}

export interface ExternalKeys {
  /** Issues a key for a row not yet written; returns the full key (shown once) and the issuer's key id. */
  issue(row: ExternalKeyRow): Promise<{ key: string; externalId: string }>;
  /** Pushes name, expiry, scope and limits after an update. */
  sync(externalId: string, row: ExternalKeyRow): Promise<void>;
  setEnabled(externalId: string, enabled: boolean): Promise<void>;
  remove(externalId: string): Promise<void>;
}

export function externalKeysFor(config: PortalConfig): ExternalKeys | undefined {
  const unkey = config.keys.provider === 'unkey' ? config.keys.unkey : undefined;
  if (!unkey) return undefined;
  return createUnkeyKeys(unkeyClientFromConfig(unkey), { apiId: unkey.apiId, prefix: unkey.prefix });
}

export function createUnkeyKeys(
  client: UnkeyClient,
  options: { apiId: string; prefix: string },
): ExternalKeys {
  return {
    async issue(row) {
      const { key, keyId } = await guard(() =>
        client.createKey({
          apiId: options.apiId,
          prefix: options.prefix,
          name: row.name,
          externalId: row.orgId,
          meta: toUnkeyMeta(row),
          ...(row.expiresAt ? { expires: row.expiresAt.getTime() } : {}),
        }),
      );
      return { key, externalId: keyId };
    },
    sync: (externalId, row) =>
      guard(() =>
        client.updateKey({
          keyId: externalId,
          name: row.name,
          meta: toUnkeyMeta(row),
          expires: row.expiresAt ? row.expiresAt.getTime() : null,
        }),
      ),
    setEnabled: (externalId, enabled) => guard(() => client.updateKey({ keyId: externalId, enabled })),
    remove: (externalId) =>
      guard(async () => {
        try {
          await client.deleteKey(externalId);
        } catch (err) {
          if (!(err instanceof UnkeyError && err.status === 404)) throw err; // already gone: revoked
        }
      }),
  };
}

async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof UnkeyError)) throw err;
    throw new PortalError({
      code: 'service_unavailable',
      message: 'The key service is unavailable; nothing was changed. Try again in a few seconds.',
      headers: { 'retry-after': '5' },
    });
  }
}
