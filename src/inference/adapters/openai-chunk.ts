/**
 * The streamed event nearly every token arrives in, read without building it. An OpenAI-compatible server sends
 * one `chat.completion.chunk` per token, and almost all of them carry nothing but text:
 *
 *   {"id":"…","object":"chat.completion.chunk","created":1,"model":"…","choices":[{"index":0,
 *    "delta":{"content":" word"},"logprobs":null,"finish_reason":null}]}
 *
 * `JSON.parse` of every such event (and the garbage it leaves) was the gateway's largest own cost on a streamed
 * answer (docs/benchmarks.md, issue 16). `plainContentDelta` recognises exactly this kind of event with one
 * regular expression and returns its text; anything else — a finish reason, usage, tool calls, reasoning, a
 * refusal, a message or text field, nested values, a second choice, escaped key names, non-JSON — answers
 * undefined, and the caller parses the event as before. Where it answers, the event is valid JSON and the text
 * is what `JSON.parse(data).choices[0].delta.content` would give, with nothing else in the event that the
 * adapter reads (openai-chunk.test.ts checks both against the parsed path on generated events).
 */

const W = '[ \\t\\n\\r]*';
/** A JSON string, strictly: no raw control characters, only JSON's escapes (so a match is valid JSON). */
const STR = '"(?:[^"\\\\\\u0000-\\u001f]|\\\\["\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4})*"';
const NUM = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
const PRIM = `(?:${STR}|${NUM}|null|true|false)`;
/** A plain key (letters, digits, `_`: no escapes, so it is the name JSON.parse gives) other than `excluded`. */
const key = (excluded: string[]) => `"(?!(?:${excluded.join('|')})")[A-Za-z0-9_]+"`;
const member = (excluded: string[]) => `${key(excluded)}${W}:${W}${PRIM}`;
/** `one` exactly once among members matching `other` (which cannot match `one`'s key), in any order. */
const around = (one: string, other: string) => `(?:${other}${W},${W})*${one}(?:${W},${W}${other})*`;

// The keys whose values the adapter reads: each either has the one value this path handles or is refused.
const TOP = member(['choices', 'usage']);
const CHOICE = `(?:"finish_reason"${W}:${W}null|${member(['delta', 'message', 'text', 'finish_reason'])})`;
const DELTA = member(['content', 'tool_calls', 'function_call', 'reasoning', 'reasoning_content']);

const PLAIN_CHUNK = new RegExp(
  `^${W}\\{${W}` +
    around(
      `"choices"${W}:${W}\\[${W}\\{${W}` +
        around(`"delta"${W}:${W}\\{${W}${around(`"content"${W}:${W}(${STR})`, DELTA)}${W}\\}`, CHOICE) +
        `${W}\\}${W}\\]`,
      TOP,
    ) +
    `${W}\\}${W}$`,
);

/** The delta's text when `data` is a text-only chunk (see above); undefined for every other event. */
export function plainContentDelta(data: string): string | undefined {
  const quoted = PLAIN_CHUNK.exec(data)?.[1];
  if (quoted === undefined) return undefined;
  const raw = quoted.slice(1, -1);
  // Without a backslash the JSON string's characters are the text's; with one, JSON decodes the escapes.
  return raw.includes('\\') ? (JSON.parse(quoted) as string) : raw;
}
