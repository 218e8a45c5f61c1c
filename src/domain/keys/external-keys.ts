/**
 * Keys issued by an external service (keys.provider = unkey): the key service calls these at create,
 * update, disable / enable and revoke, before it writes its own api_keys row, so a failed call changes
 * nothing locally. Unkey is the only implementation; its failures become a 503 for the caller.
 * With limits.provider unkey too, the key's per-minute limits (the plan's, or the key's own lower ones) are
 * attached to the Unkey key as ratelimits `<prefix>.rpm` / `<prefix>.tpm` (autoApply off: the gateway names
 * them with their cost at keys.verifyKey; decision 021), and re-written on every update and plan change.
 *
 * @example
 *   const external = externalKeysFor(config);            // undefined with provider "portal"
 *   const { key, externalId } = await external.issue(row, 'ci');
 */
import type { PortalConfig } from '#src/platform/config/schema.js';
import { PortalError } from '#src/platform/http/errors.js';
import {
  unkeyClientFromConfig,
  UnkeyError,
  type KeyRatelimit,
  type UnkeyClient,
} from '#src/platform/unkey/client.js';
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

/** The organization's plan's per-key limits (null: none). */
export interface PlanKeyLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
}

export interface ExternalKeys {
  /** Issues a key for a row not yet written; returns the full key (shown once) and the issuer's key id. */
  issue(row: ExternalKeyRow, plan: PlanKeyLimits): Promise<{ key: string; externalId: string }>;
  /** Pushes name, expiry, scope and limits after an update (or a plan change). */
  sync(externalId: string, row: ExternalKeyRow, plan: PlanKeyLimits): Promise<void>;
  /** True when the key's limits live at the issuer too (a plan change must re-write them). */
  readonly attachesLimits: boolean;
  setEnabled(externalId: string, enabled: boolean): Promise<void>;
  remove(externalId: string): Promise<void>;
}

export function externalKeysFor(config: PortalConfig): ExternalKeys | undefined {
  const unkey = config.keys.provider === 'unkey' ? config.keys.unkey : undefined;
  if (!unkey) return undefined;
  const limits =
    config.limits.provider === 'unkey'
      ? { prefix: config.limits.unkey.namespacePrefix, durationMs: config.gateway.rateWindowMs }
      : undefined;
  return createUnkeyKeys(unkeyClientFromConfig(unkey), {
    apiId: unkey.apiId,
    prefix: unkey.prefix,
    ...(limits ? { ratelimits: limits } : {}),
  });
}

const lower = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** The key's per-minute limits as Unkey key ratelimits (the gateway's limitsFor computes the same values). */
export function keyRatelimits(
  row: Pick<ExternalKeyRow, 'requestsPerMinute' | 'tokensPerMinute'>,
  plan: PlanKeyLimits,
  options: { prefix: string; durationMs: number },
): KeyRatelimit[] {
  const windows = [
    ['rpm', lower(row.requestsPerMinute, plan.requestsPerMinute)],
    ['tpm', lower(row.tokensPerMinute, plan.tokensPerMinute)],
  ] as const;
  return windows.flatMap(([suffix, limit]) =>
    limit === null
      ? []
      : [{ name: `${options.prefix}.${suffix}`, limit, duration: options.durationMs, autoApply: false }],
  );
}

export function createUnkeyKeys(
  client: UnkeyClient,
  options: { apiId: string; prefix: string; ratelimits?: { prefix: string; durationMs: number } },
): ExternalKeys {
  const attach = (row: ExternalKeyRow, plan: PlanKeyLimits) =>
    options.ratelimits ? { ratelimits: keyRatelimits(row, plan, options.ratelimits) } : {};
  return {
    attachesLimits: options.ratelimits !== undefined,
    async issue(row, plan) {
      const { key, keyId } = await guard(() =>
        client.createKey({
          apiId: options.apiId,
          prefix: options.prefix,
          name: row.name,
          externalId: row.orgId,
          meta: toUnkeyMeta(row),
          ...(row.expiresAt ? { expires: row.expiresAt.getTime() } : {}),
          ...attach(row, plan),
        }),
      );
      return { key, externalId: keyId };
    },
    sync: (externalId, row, plan) =>
      guard(() =>
        client.updateKey({
          keyId: externalId,
          name: row.name,
          meta: toUnkeyMeta(row),
          expires: row.expiresAt ? row.expiresAt.getTime() : null,
          ...attach(row, plan),
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
