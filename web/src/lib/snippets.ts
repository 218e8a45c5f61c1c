/** Ready-to-run snippets for a new key, using this Portal's real base URL. */
export const DEFAULT_MODEL = 'oss-20b';

export function baseUrl(): string {
  return `${window.location.origin}/v1`;
}

export function snippets(key: string, base = baseUrl()): Record<'curl' | 'python' | 'javascript', string> {
  return {
    curl: `curl ${base}/chat/completions \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${DEFAULT_MODEL}", "messages": [{"role": "user", "content": "Say hello"}]}'`,
    python: `from openai import OpenAI

client = OpenAI(base_url="${base}", api_key="${key}")
reply = client.chat.completions.create(
    model="${DEFAULT_MODEL}",
    messages=[{"role": "user", "content": "Say hello"}],
)
print(reply.choices[0].message.content)`,
    javascript: `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${base}', apiKey: '${key}' });
const reply = await client.chat.completions.create({
  model: '${DEFAULT_MODEL}',
  messages: [{ role: 'user', content: 'Say hello' }],
});
console.log(reply.choices[0].message.content);`,
  };
}
