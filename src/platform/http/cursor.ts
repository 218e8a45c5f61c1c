/**
 * Keyset cursors of the admin and product lists: the last row's time and id, opaque to clients (base64url of
 * `iso|id`). A cursor that does not decode is a 400 naming `cursor`, never a 500.
 */
import { PortalError } from './errors.js';
import { clampDate } from '#src/contracts/values.js';

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  // eslint-disable-next-line no-control-regex
  if (!id || Number.isNaN(date.getTime()) || /[\u0000-\u001f\u007f\ufffd]/.test(id))
    throw new PortalError({ code: 'invalid_request_error', param: 'cursor', message: 'Invalid cursor.' });
  return { at: clampDate(date), id };
}

/** A page of `limit` rows from `limit + 1` read, and the cursor of the next page (null on the last). */
export function pageOf<T>(rows: T[], limit: number, key: (row: T) => { at: Date; id: string }) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? key(last) : undefined;
  return { page, next_cursor: next ? encodeCursor(next.at, next.id) : null };
}
