/**
 * The full key the reader created in this tab, kept in memory only (never in storage) for a few minutes so
 * the docs pages can put it into their code, as the reveal panel shows it. Forgotten after FRESH_MS, on a
 * reload, and whenever the docs find the key no longer active.
 */
import type { CreatedKey } from './types';

const FRESH_MS = 5 * 60_000;

let latest: { key: CreatedKey; at: number } | null = null;

export function rememberCreatedKey(key: CreatedKey): void {
  latest = { key, at: Date.now() };
}

/** The key created in this tab within the last few minutes, if any. */
export function recentCreatedKey(): CreatedKey | null {
  if (latest && Date.now() - latest.at > FRESH_MS) latest = null;
  return latest?.key ?? null;
}
