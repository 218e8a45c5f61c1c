/**
 * Gemma 4's value notation (§3.2): JSON-like, with bare keys and every string delimited by `<|"|>`, e.g.
 * `{city:<|"|>Paris<|"|>,days:3}`. Written for declarations and past calls, read back from calls, with
 * Ollama's repairs: an unclosed string or brace is closed, single-quoted and bare words become strings.
 */
export const Q = '<|"|>';

/** @example toGemmaValue({ city: 'Paris', days: 3 }) // '{city:<|"|>Paris<|"|>,days:3}' */
export function toGemmaValue(value: unknown, sortKeys = false): string {
  if (typeof value === 'string') return `${Q}${value}${Q}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => toGemmaValue(v, sortKeys)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${k}:${toGemmaValue(v, sortKeys)}`).join(',')}}`;
}

function readQuoted(text: string, at: number, close: string): { value: string; next: number } {
  const end = text.indexOf(close, at);
  return end === -1
    ? { value: text.slice(at), next: text.length }
    : { value: text.slice(at, end), next: end + close.length };
}

function readJsonString(text: string, at: number): { json: string; next: number } {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return { json: text.slice(at, Math.min(i + 1, text.length)), next: i + 1 };
}

function bareWord(word: string, isKey: boolean): string {
  if (!isKey && /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/.test(word)) return word;
  return JSON.stringify(word);
}

/** One token of the notation as JSON text, and where the next one starts. */
function token(text: string, i: number): { json: string; next: number } {
  const ch = text.charAt(i);
  if (text.startsWith(Q, i)) {
    const q = readQuoted(text, i + Q.length, Q);
    return { json: JSON.stringify(q.value), next: q.next };
  }
  if ('{}[],:'.includes(ch)) return { json: ch, next: i + 1 };
  if (ch === '"') {
    const s = readJsonString(text, i);
    return { json: s.json.endsWith('"') && s.json.length > 1 ? s.json : `${s.json}"`, next: s.next };
  }
  if (ch === "'") {
    const q = readQuoted(text, i + 1, "'");
    return { json: JSON.stringify(q.value), next: q.next };
  }
  let end = i;
  while (end < text.length && !/[\s,:{}[\]]/.test(text.charAt(end)) && !text.startsWith(Q, end)) end++;
  const word = text.slice(i, end);
  const isKey = /^\s*:/.test(text.slice(end, end + 8));
  return { json: bareWord(word, isKey), next: end };
}

/**
 * Gemma 4 notation → JSON text, or undefined when it cannot be repaired.
 * @example gemmaToJson('{city:<|"|>Paris<|"|>,days:3}') // '{"city":"Paris","days":3}'
 */
export function gemmaToJson(text: string): string | undefined {
  let out = '';
  const open: string[] = [];
  for (let i = 0; i < text.length;) {
    if (/\s/.test(text.charAt(i))) {
      i++;
      continue;
    }
    const t = token(text, i);
    if (t.json === '{' || t.json === '[') open.push(t.json === '{' ? '}' : ']');
    else if (t.json === '}' || t.json === ']') open.pop();
    out += t.json;
    i = t.next;
  }
  out += open.reverse().join('');
  try {
    JSON.parse(out);
    return out;
  } catch {
    return undefined;
  }
}
