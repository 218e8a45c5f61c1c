/**
 * Cuts an answer at the first stop sequence, for upstreams that let one slip through. For streams it holds
 * back only as many characters as could be the start of a stop sequence, so text still flows piece by piece.
 */
export interface StopFilter {
  /** Text safe to emit now, and whether a stop sequence was reached (the rest is to be dropped). */
  push(text: string): { text: string; stopped: boolean };
  /** What was held back, at the end of the stream. */
  flush(): string;
}

export function cutAtStop(text: string, stops: readonly string[]): { text: string; stopped: boolean } {
  let cut = -1;
  for (const s of stops) {
    if (!s) continue;
    const at = text.indexOf(s);
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  return cut === -1 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true };
}

export function createStopFilter(stops: readonly string[]): StopFilter {
  const active = stops.filter((s) => s.length > 0);
  const hold = Math.max(0, ...active.map((s) => s.length - 1));
  let pending = '';
  let stopped = false;
  return {
    push(text) {
      if (stopped) return { text: '', stopped: true };
      pending += text;
      const cut = cutAtStop(pending, active);
      if (cut.stopped) {
        stopped = true;
        pending = '';
        return cut;
      }
      const keep = longestStopPrefixSuffix(pending, active, hold);
      const out = pending.slice(0, pending.length - keep);
      pending = pending.slice(pending.length - keep);
      return { text: out, stopped: false };
    },
    flush() {
      const out = stopped ? '' : pending;
      pending = '';
      return out;
    },
  };
}

/** Length of the longest end of `text` that is a proper prefix of some stop sequence. */
function longestStopPrefixSuffix(text: string, stops: readonly string[], max: number): number {
  for (let n = Math.min(max, text.length); n > 0; n--) {
    const tail = text.slice(text.length - n);
    if (stops.some((s) => s.startsWith(tail))) return n;
  }
  return 0;
}
