/** Field types and the list envelope every response contract uses. Imports only zod (browser-safe). */
import { z } from 'zod';

export const isoTime = z.iso.datetime();
export const count = z.number().int().nonnegative();

/** `{ object: 'list', …extra, data: [item] }`, the envelope of every list response. */
export function listOf<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  item: T,
  extra?: E,
) {
  return z.object({ object: z.literal('list'), ...(extra as E), data: z.array(item) }).strict();
}
