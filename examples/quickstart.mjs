// Quick start: stream an answer from Portal with the official `openai` package (npm install openai).
// Needs PORTAL_API_KEY; PORTAL_BASE_URL defaults to a local Portal.
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: process.env.PORTAL_BASE_URL ?? 'http://localhost:8080/v1',
  apiKey: process.env.PORTAL_API_KEY,
});

const stream = await client.chat.completions.create({
  model: 'oss-20b',
  messages: [{ role: 'user', content: 'Say hello in five words.' }],
  stream: true,
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');
process.stdout.write('\n');
