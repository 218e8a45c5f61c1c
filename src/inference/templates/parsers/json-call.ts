/**
 * A JSON call body, read as it streams: `{"name": "NAME", "arguments": {…}}` (Hermes) or
 * `{"type": "function", "name": "NAME", "parameters": {…}}` (Llama 3, Gemma 3), optionally in a ```json
 * fence. The name is announced once its closing quote and the arguments key are seen (never partially);
 * the arguments object then streams through as it arrives, its end found by counting brackets outside
 * strings. A body in another order (arguments first) is read whole when it closes. A body that is not a
 * call at all comes back as `invalid` text, for the caller to show as text (vLLM hermes' choice, §6.6).
 */
export type BodyEvent = { kind: 'open'; name: string } | { kind: 'args'; text: string };

interface ValueScan {
  depth: number;
  inString: boolean;
  escape: boolean;
  started: boolean;
  /** A bare scalar (number, true, …): ends at a delimiter. */
  scalar: boolean;
}

export interface CallBody {
  phase: 'head' | 'args' | 'string-args' | 'tail' | 'done' | 'whole';
  /** head / whole: the body so far; string-args: the quoted arguments so far. */
  buffer: string;
  value: ValueScan;
}

const HEAD =
  /^\s*(?:```(?:json)?\s*)?\{\s*(?:"type"\s*:\s*"function"\s*,\s*)?"name"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"(?:arguments|parameters)"\s*:\s*/;
/** Past this, a head that did not match is read whole at the close. */
const MAX_HEAD = 512;

export function createCallBody(): CallBody {
  return {
    phase: 'head',
    buffer: '',
    value: { depth: 0, inString: false, escape: false, started: false, scalar: false },
  };
}

/** How many characters of `text` belong to the value (all of them while it is still open). */
function scanValue(v: ValueScan, text: string): { used: number; done: boolean } {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (!v.started) {
      v.started = true;
      if (ch === '{' || ch === '[') v.depth = 1;
      else if (ch === '"') v.inString = true;
      else v.scalar = true;
      continue;
    }
    if (v.scalar) {
      if (/[\s,}\]]/.test(ch)) return { used: i, done: true };
    } else if (v.inString) {
      if (v.escape) v.escape = false;
      else if (ch === '\\') v.escape = true;
      else if (ch === '"') {
        v.inString = false;
        if (v.depth === 0) return { used: i + 1, done: true };
      }
    } else if (ch === '"') v.inString = true;
    else if (ch === '{' || ch === '[') v.depth++;
    else if ((ch === '}' || ch === ']') && --v.depth === 0) return { used: i + 1, done: true };
  }
  return { used: text.length, done: false };
}

function decodeName(raw: string): string {
  try {
    const name: unknown = JSON.parse(`"${raw}"`);
    return typeof name === 'string' ? name : raw;
  } catch {
    return raw;
  }
}

/** Text after the closing brace of the call object, once the body is complete. */
export interface PushResult {
  events: BodyEvent[];
  rest?: string;
}

function pushArgs(b: CallBody, text: string): PushResult {
  let t = text;
  if (!b.value.started) {
    t = t.trimStart();
    if (!t) return { events: [] };
    if (t[0] === '"') b.phase = 'string-args';
  }
  const { used, done } = scanValue(b.value, t);
  const part = t.slice(0, used);
  const events: BodyEvent[] = [];
  if (b.phase === 'string-args') {
    b.buffer += part;
    if (done) events.push({ kind: 'args', text: unquote(b.buffer) });
  } else if (part) events.push({ kind: 'args', text: part });
  if (!done) return { events };
  b.phase = 'tail';
  const tail = pushTail(b, t.slice(used));
  return { events, rest: tail.rest };
}

/** Arguments sent as a JSON string (double-encoded): its content is the arguments' JSON text. */
function unquote(quoted: string): string {
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' ? value : quoted;
  } catch {
    return quoted;
  }
}

function pushTail(b: CallBody, text: string): PushResult {
  const close = text.indexOf('}');
  if (close === -1) return { events: [] };
  b.phase = 'done';
  return { events: [], rest: text.slice(close + 1) };
}

export function pushBody(b: CallBody, text: string): PushResult {
  switch (b.phase) {
    case 'head': {
      b.buffer += text;
      const m = HEAD.exec(b.buffer);
      if (!m) {
        if (b.buffer.length > MAX_HEAD) b.phase = 'whole';
        return { events: [] };
      }
      const rest = b.buffer.slice(m[0].length);
      b.buffer = '';
      b.phase = 'args';
      const more = pushArgs(b, rest);
      return { events: [{ kind: 'open', name: decodeName(m[1] ?? '') }, ...more.events], rest: more.rest };
    }
    case 'args':
    case 'string-args':
      return pushArgs(b, text);
    case 'tail':
      return pushTail(b, text);
    case 'whole':
      b.buffer += text;
      return { events: [] };
    case 'done':
      return { events: [], rest: text };
  }
}

function stripFence(text: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*(?:```\s*)?$/.exec(text);
  return m?.[1] ?? text;
}

function wholeCall(text: string): BodyEvent[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(stripFence(text));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { name, arguments: args, parameters } = value as Record<string, unknown>;
  if (typeof name !== 'string' || !name) return undefined;
  const given = args ?? parameters ?? {};
  const json = typeof given === 'string' ? given : JSON.stringify(given);
  return [
    { kind: 'open', name },
    { kind: 'args', text: json },
  ];
}

/**
 * The body ended (closing tag, or end of stream). A streamed call keeps what it sent, even if the
 * arguments were cut short (a call with raw arguments, as vLLM's harmony parser does); an unread head is
 * parsed whole; what is not a call comes back as `invalid`.
 */
export function endBody(b: CallBody): { events: BodyEvent[]; invalid?: string } {
  if (b.phase === 'string-args' && b.buffer) return { events: [{ kind: 'args', text: b.buffer }] };
  if (b.phase !== 'head' && b.phase !== 'whole') return { events: [] };
  const whole = wholeCall(b.buffer);
  return whole ? { events: whole } : { events: [], invalid: b.buffer };
}
