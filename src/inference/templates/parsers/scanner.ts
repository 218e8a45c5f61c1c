/**
 * Splits streamed model text into plain text and markers (`<|call|>`, `<tool_call>`, …), holding back any
 * end of the text that could still become a marker, so a marker split across stream pieces is seen whole
 * and never leaks as text. Every marker of every family starts with `<`, which keeps the scan cheap.
 */
export type Token = { kind: 'text'; text: string } | { kind: 'marker'; marker: string };

export interface ScannerState {
  markers: readonly string[];
  pending: string;
}

export function createScanner(markers: readonly string[]): ScannerState {
  return { markers, pending: '' };
}

/** The marker starting at `at`, 0 when the text there is a proper prefix of one (undecided), -1 when neither. */
function markerAt(text: string, at: number, markers: readonly string[]): string | 0 | -1 {
  let prefix = false;
  for (const m of markers) {
    if (text.startsWith(m, at)) return m;
    if (!prefix && text.length - at < m.length && m.startsWith(text.slice(at))) prefix = true;
  }
  return prefix ? 0 : -1;
}

/** Tokens that are certain now; the undecided tail stays in the state. */
export function scan(state: ScannerState, text: string): Token[] {
  if (!state.pending && text.indexOf('<') === -1) return text ? [{ kind: 'text', text }] : [];
  const buf = state.pending + text;
  const out: Token[] = [];
  let from = 0;
  let at = buf.indexOf('<');
  while (at !== -1) {
    const found = markerAt(buf, at, state.markers);
    if (found === 0) {
      if (at > from) out.push({ kind: 'text', text: buf.slice(from, at) });
      state.pending = buf.slice(at);
      return out;
    }
    if (found !== -1) {
      if (at > from) out.push({ kind: 'text', text: buf.slice(from, at) });
      out.push({ kind: 'marker', marker: found });
      from = at + found.length;
      at = buf.indexOf('<', from);
    } else at = buf.indexOf('<', at + 1);
  }
  if (buf.length > from) out.push({ kind: 'text', text: buf.slice(from) });
  state.pending = '';
  return out;
}

/** What was held back, as text, at the end of the stream. */
export function flushScanner(state: ScannerState): Token[] {
  const rest = state.pending;
  state.pending = '';
  return rest ? [{ kind: 'text', text: rest }] : [];
}
