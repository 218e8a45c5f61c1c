/** Ready-to-run snippets for a new key, using this Portal's real base URL. */
export const DEFAULT_MODEL = 'oss-20b';

export function baseUrl(): string {
  return `${window.location.origin}/v1`;
}

export type SnippetName = 'curl' | 'python' | 'javascript' | 'anthropic';

/**
 * The snippets for `key` and `model`. The Anthropic SDK takes the origin without `/v1` (it adds `/v1/messages`
 * itself, sending the key as `x-api-key`), and Messages requires `max_tokens`.
 */
export function snippets(key: string, base = baseUrl(), model = DEFAULT_MODEL): Record<SnippetName, string> {
  return {
    curl: `curl ${base}/chat/completions \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Say hello"}]}'`,
    python: `from openai import OpenAI

client = OpenAI(base_url="${base}", api_key="${key}")
reply = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "Say hello"}],
)
print(reply.choices[0].message.content)`,
    javascript: `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${base}', apiKey: '${key}' });
const reply = await client.chat.completions.create({
  model: '${model}',
  messages: [{ role: 'user', content: 'Say hello' }],
});
console.log(reply.choices[0].message.content);`,
    anthropic: `import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic({ baseURL: '${base.replace(/\/v1$/, '')}', apiKey: '${key}' });
const message = await anthropic.messages.create({
  model: '${model}',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Say hello' }],
});
console.log(message.content[0].text);`,
  };
}

/**
 * The model a new key's snippets and test request use: DEFAULT_MODEL when the key may call it, else the first
 * model the key may call (its own scope, or the plan's models from /api/models). Falls back to DEFAULT_MODEL
 * while the models are loading, so the snippets never show an empty name.
 */
export function modelForKey(scope: string[] | null, available: string[]): string {
  const callable = scope?.length ? scope : available;
  if (!callable.length || callable.includes(DEFAULT_MODEL)) return DEFAULT_MODEL;
  return callable[0]!;
}
