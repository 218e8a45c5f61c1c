/**
 * The official SDKs against a running gateway: a developer points `openai` or `@anthropic-ai/sdk` at Portal
 * with a Portal key and a product model name, and it just works.
 */
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { anthropicFor, openaiFor } from '../support/sdk.js';
import { setKeyStatus, upsertPlan, createKey, type TestAccount } from '../support/fixtures.js';

const t = usePortal({ sim: { outputTokens: 24 } });
let account: TestAccount;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  account = await t.account();
  openai = openaiFor(t.url, account.key);
  anthropic = anthropicFor(t.url, account.key);
});

describe('openai SDK', () => {
  it('chat completion returns text and usage', async () => {
    const res = await openai.chat.completions.create({
      model: 'oss-20b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello.' },
      ],
      max_tokens: 40,
    });
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe('oss-20b');
    expect(res.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(res.choices[0]!.finish_reason).toMatch(/stop|length/);
    expect(res.usage!.completion_tokens).toBeGreaterThan(0);
    expect(res.usage!.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens);
  });

  it('chat streaming delivers chunks and a final usage chunk', async () => {
    const stream = await openai.chat.completions.create({
      model: 'qwen',
      messages: [{ role: 'user', content: 'Count to five.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('legacy completions', async () => {
    const res = await openai.completions.create({
      model: 'gemma4',
      prompt: 'Once upon a time',
      max_tokens: 20,
    });
    expect(res.object).toBe('text_completion');
    expect(res.choices[0]!.text.length).toBeGreaterThan(0);
  });

  it('lists only the models the plan allows', async () => {
    const models = await openai.models.list();
    const ids = models.data.map((m) => m.id).sort();
    expect(ids).toEqual(['gemma4', 'oss-20b', 'qwen']); // the free plan has no oss-120b
    const one = await openai.models.retrieve('qwen');
    expect(one.id).toBe('qwen');
  });

  it('maps errors to the SDK classes: 401, 403, 404, 429', async () => {
    const bad = openaiFor(t.url, 'ptl_nope');
    await expect(bad.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(
      openai.chat.completions.create({ model: 'oss-120b', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(
      openai.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    await upsertPlan(t.store, 'tiny', { rpm: 1 });
    const tiny = await t.account({ plan: 'tiny' });
    const client = openaiFor(t.url, tiny.key);
    await client.chat.completions.create({ model: 'oss-20b', messages: [{ role: 'user', content: 'one' }] });
    const err = await client.chat.completions
      .create({ model: 'oss-20b', messages: [{ role: 'user', content: 'two' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
  });

  it('401 key_revoked once a key is revoked', async () => {
    const { key, keyId } = await createKey(t.store, account.orgId);
    const client = openaiFor(t.url, key);
    await client.models.list();
    await setKeyStatus(t.store, keyId, 'revoked');
    await t.services.bus.publish({ type: 'key.changed', keyId });
    const err = await client.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('key_revoked');
  });
});

describe('anthropic SDK', () => {
  it('messages with a system prompt', async () => {
    const msg = await anthropic.messages.create({
      model: 'oss-20b',
      max_tokens: 50,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.content[0]!.type).toBe('text');
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect(msg.stop_reason).toMatch(/end_turn|max_tokens/);
  });

  it('streaming events arrive in order and assemble the message', async () => {
    const stream = anthropic.messages.stream({
      model: 'qwen',
      max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Tell me a story.' }] }],
    });
    const types: string[] = [];
    stream.on('streamEvent', (e) => types.push(e.type));
    const final = await stream.finalMessage();
    expect(types[0]).toBe('message_start');
    expect(types).toContain('content_block_delta');
    expect(types.at(-1)).toBe('message_stop');
    expect(final.content[0]!.type === 'text' && final.content[0]!.text.length).toBeGreaterThan(0);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('lists models in Anthropic format', async () => {
    const page = await anthropic.models.list();
    expect(page.data.map((m) => m.id).sort()).toEqual(['gemma4', 'oss-20b', 'qwen']);
    expect(page.data[0]!.type).toBe('model');
  });

  it('answers errors in Anthropic shape', async () => {
    const bad = anthropicFor(t.url, 'wrong');
    await expect(
      bad.messages.create({ model: 'oss-20b', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
