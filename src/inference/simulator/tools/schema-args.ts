/**
 * Arguments (and JSON answers) that conform to a JSON Schema, deterministic from the prompt: every
 * required property (and the optional ones with a default), enums pick by hash, numbers within bounds,
 * strings from the user's words, nested objects and arrays of one item.
 */
import { hashString } from '../text.js';

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(s: Schema): string {
  if (Array.isArray(s.type)) return String(s.type.find((t) => t !== 'null') ?? 'string');
  if (typeof s.type === 'string') return s.type;
  if (isSchema(s.properties)) return 'object';
  return 'string';
}

/** A short string for a property, from the user's text: the last proper noun (a city, a name), else a word. */
function stringFor(name: string, s: Schema, words: string[]): string {
  if (s.format === 'date') return '2026-01-01';
  if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
  const proper = words.slice(1).filter((w) => /^[A-Z][a-z]+$/.test(w));
  const long = words.filter((w) => w.length > 3);
  const word = proper.at(-1) ?? long[hashString(name) % long.length] ?? name;
  return typeof s.maxLength === 'number' ? word.slice(0, s.maxLength) : word;
}

function numberFor(name: string, s: Schema, integer: boolean): number {
  const min = typeof s.minimum === 'number' ? s.minimum : 1;
  const max = typeof s.maximum === 'number' ? s.maximum : min + 9;
  const n = min + (hashString(name) % Math.max(1, Math.floor(max - min) + 1));
  return integer ? Math.round(n) : n;
}

export function valueFor(name: string, s: Schema, words: string[], depth = 0): unknown {
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[hashString(name) % s.enum.length];
  const variants = s.oneOf ?? s.anyOf;
  if (Array.isArray(variants) && isSchema(variants[0])) return valueFor(name, variants[0], words, depth);
  switch (typeOf(s)) {
    case 'integer':
      return numberFor(name, s, true);
    case 'number':
      return numberFor(name, s, false);
    case 'boolean':
      return hashString(name) % 2 === 0;
    case 'null':
      return null;
    case 'array':
      return depth > 4 ? [] : [valueFor(name, isSchema(s.items) ? s.items : {}, words, depth + 1)];
    case 'object':
      return depth > 4 ? {} : objectFor(s, words, depth + 1);
    default:
      return stringFor(name, s, words);
  }
}

/** The object: required properties, plus optional ones that carry a default. */
export function objectFor(s: Schema, words: string[], depth = 0): Record<string, unknown> {
  const props = isSchema(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(props)) {
    if (!isSchema(p)) continue;
    if (required.has(name)) out[name] = valueFor(name, p, words, depth);
    else if ('default' in p) out[name] = p.default;
  }
  return out;
}

export function wordsOf(text: string): string[] {
  return text.match(/[A-Za-z][A-Za-z'-]*/g) ?? [];
}
