/**
 * A hand-written check of the hot chat-completions body: a model, plain-text messages and a few sampling
 * fields — what nearly every request sends. It answers only "this body is certainly valid" (and returns it as
 * the zod schema would) or `undefined`: any other shape, or anything it is unsure of, goes to
 * `chatCompletionSchema` (src/contracts/openai-requests.ts), which stays the one source of truth and of every
 * error message. zod builds a new object per field and message with its issue bookkeeping; this walks the
 * JSON once and allocates nothing. `fast-chat.test.ts` holds it to the schema on generated bodies: whenever it
 * accepts, zod accepts with a deep-equal result.
 *
 * @example
 *   const body = fastChatBody(json) ?? parseWith(chatCompletionSchema, json);
 */
import type { ChatCompletionBody } from '#src/contracts/openai-requests.js';

/** The schema's bounds for the fields checked here (`chatCompletionSchema`). */
const MAX_MODEL = 256;
const MAX_TEXT = 4_000_000;
const MAX_NAME = 128;
/** Longer conversations are rare; zod checks them. */
const MAX_FAST_MESSAGES = 256;
const ROLES = new Set(['system', 'developer', 'user', 'assistant']);

type Check = (value: unknown) => boolean;

const nullish = (value: unknown) => value === null || value === undefined;
const boolish: Check = (v) => nullish(v) || typeof v === 'boolean';
const between =
  (min: number, max: number): Check =>
  (v) =>
    nullish(v) || (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max);
const positiveInt: Check = (v) => nullish(v) || (Number.isSafeInteger(v) && (v as number) >= 1);

/** The top-level fields handled here; `model` and `messages` are checked on their own. */
const FIELDS: Record<string, Check> = {
  max_tokens: positiveInt,
  max_completion_tokens: positiveInt,
  temperature: between(0, 2),
  top_p: between(0, 1),
  presence_penalty: between(-2, 2),
  frequency_penalty: between(-2, 2),
  stream: boolish,
  stream_options: (v) =>
    nullish(v) ||
    (isPlainObject(v) &&
      onlyKey(v, 'include_usage') &&
      (v.include_usage === undefined || typeof v.include_usage === 'boolean')),
  user: (v) => v === undefined || (typeof v === 'string' && v.length <= 512),
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKey(value: Record<string, unknown>, key: string): boolean {
  for (const k in value) if (k !== key) return false;
  return true;
}

function isPlainMessage(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const k in value) if (k !== 'role' && k !== 'content' && k !== 'name') return false;
  const { role, content, name } = value;
  return (
    typeof role === 'string' &&
    ROLES.has(role) &&
    typeof content === 'string' &&
    content.length <= MAX_TEXT &&
    (name === undefined || (typeof name === 'string' && name.length <= MAX_NAME))
  );
}

/** The body, typed, when it is certainly valid; `undefined` sends it to the zod schema. */
export function fastChatBody(body: Record<string, unknown>): ChatCompletionBody | undefined {
  const { model, messages } = body;
  if (typeof model !== 'string' || model.length < 1 || model.length > MAX_MODEL) return undefined;
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > MAX_FAST_MESSAGES)
    return undefined;
  for (const k in body) {
    if (k === 'model' || k === 'messages') continue;
    const check = FIELDS[k];
    if (!check || !Object.hasOwn(FIELDS, k) || !check(body[k])) return undefined;
  }
  for (const m of messages) if (!isPlainMessage(m)) return undefined;
  return body as ChatCompletionBody;
}
