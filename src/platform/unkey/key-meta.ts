/**
 * What Portal keeps on an Unkey key, written at issue and update (product) and read back on every
 * verification miss (gateway), so a verification needs no store read: the key is linked to the organization
 * through `externalId` (Unkey's identity), and its Portal id, model scope and per-key limits travel in `meta`.
 * A key whose meta lacks these fields was not issued by Portal and is refused.
 *
 * @example
 *   createKey({ apiId, externalId: orgId, meta: toUnkeyMeta(row) })
 *   parseUnkeyMeta(verified.meta)   // -> { portalKeyId, orgId, models, requestsPerMinute, tokensPerMinute }
 */
import { z } from 'zod';

const portalMeta = z.object({
  portalKeyId: z.string().min(1),
  orgId: z.string().min(1),
  models: z.array(z.string()).nullable(),
  requestsPerMinute: z.number().int().nullable(),
  tokensPerMinute: z.number().int().nullable(),
});
export type PortalKeyMeta = z.infer<typeof portalMeta>;

export function toUnkeyMeta(row: {
  id: string;
  orgId: string;
  scopes: string[] | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
}): PortalKeyMeta {
  return {
    portalKeyId: row.id,
    orgId: row.orgId,
    models: row.scopes,
    requestsPerMinute: row.requestsPerMinute,
    tokensPerMinute: row.tokensPerMinute,
  };
}

/** The Portal fields of a verified key's meta, or undefined when they are missing or malformed. */
export function parseUnkeyMeta(meta: unknown): PortalKeyMeta | undefined {
  const parsed = portalMeta.safeParse(meta);
  return parsed.success ? parsed.data : undefined;
}
