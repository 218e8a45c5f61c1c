/**
 * Bad input gets a clear 4xx in the API's own error shape — never a 500, never a crash — and the gateway
 * keeps serving afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import type { Caller } from '../support/http.js';
import type { TestAccount } from '../support/fixtures.js';

const t = usePortal();
let account: TestAccount;
let caller: Caller;

beforeAll(async () => {
  account = await t.account();
  caller = t.as(account.key);
});

/** POSTs as the account: an object as JSON, a string as a raw body labelled JSON. */
const chat = (body: string | object, headers: Record<string, string> = {}, path = '/v1/chat/completions') =>
  typeof body === 'string'
    ? caller.request('POST', path, { body, headers: { 'content-type': 'application/json', ...headers } })
    : caller.post(path, body, { headers });

async function expectOpenAiError(res: Response, status: number, code?: string, param?: string | null) {
  expect(res.status).toBe(status);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  const body = (await res.json()) as {
    error: { message: string; type: string; param: unknown; code: string };
  };
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(typeof body.error.type).toBe('string');
  if (code) expect(body.error.code).toBe(code);
  if (param !== undefined) expect(body.error.param).toBe(param);
  return body.error;
}

const valid = { model: 'oss-20b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 };

describe('malformed bodies', () => {
  it.each([
    ['not JSON', '{"model": "oss-20b", '],
    ['empty body', ''],
    ['JSON null', 'null'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"hello"'],
    ['deeply nested JSON', '['.repeat(200_000) + ']'.repeat(200_000)],
  ])('400 for %s', async (_name, body) => {
    const res = await chat(body);
    expect(res.status).toBe(400);
    await expectOpenAiError(res, 400);
  });

  it('413 for a body over the limit, before reading it all', async () => {
    const res = await chat({ ...valid, messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }] });
    await expectOpenAiError(res, 413, 'payload_too_large');
  });

  it('415 for a non-JSON content type', async () => {
    const res = await chat('model=oss-20b', { 'content-type': 'application/x-www-form-urlencoded' });
    await expectOpenAiError(res, 415, 'unsupported_media_type');
  });
});

describe('wrong fields', () => {
  it.each([
    ['messages as a string', { ...valid, messages: 'hi' }, 'messages'],
    ['empty messages', { ...valid, messages: [] }, 'messages'],
    ['missing model', { messages: valid.messages }, 'model'],
    ['model as a number', { ...valid, model: 42 }, 'model'],
    ['unknown role', { ...valid, messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role'],
    ['negative max_tokens', { ...valid, max_tokens: -1 }, 'max_tokens'],
    ['max_tokens as a string', { ...valid, max_tokens: '10' }, 'max_tokens'],
    ['temperature out of range', { ...valid, temperature: 5 }, 'temperature'],
    ['n above 1', { ...valid, n: 2 }, 'n'],
    ['stream as a string', { ...valid, stream: 'yes' }, 'stream'],
    ['an unknown field', { ...valid, frobnicate: true }, 'frobnicate'],
    [
      'an unknown message field',
      { ...valid, messages: [{ role: 'user', content: 'x', mood: 1 }] },
      'messages.0.mood',
    ],
    ['five stop sequences', { ...valid, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    [
      'image content',
      { ...valid, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
      'messages.0.content.0.type',
    ],
    [
      'a tool with an invalid name',
      { ...valid, tools: [{ type: 'function', function: { name: 'get weather!' } }] },
      'tools.0.function.name',
    ],
  ])('400 naming the parameter for %s', async (_name, body, param) => {
    await expectOpenAiError(await chat(body), 400, undefined, param);
  });

  it('400 when max_tokens exceeds what the model can produce', async () => {
    await expectOpenAiError(
      await chat({ ...valid, max_tokens: 10_000_000 }),
      400,
      'invalid_request_error',
      'max_tokens',
    );
  });

  it('400 context_length_exceeded for a prompt over the context window', async () => {
    const res = await chat({
      model: 'qwen',
      messages: [{ role: 'user', content: 'lorem ipsum '.repeat(40_000) }],
    });
    await expectOpenAiError(res, 400, 'context_length_exceeded');
  });
});

describe('odd unicode is just text', () => {
  it.each([
    [
      'lone surrogate escapes',
      '{"model":"oss-20b","max_tokens":8,"messages":[{"role":"user","content":"\\ud800 \\udfff"}]}',
    ],
    [
      'NUL and control characters',
      '{"model":"oss-20b","max_tokens":8,"messages":[{"role":"user","content":"a\\u0000b\\u0007c"}]}',
    ],
    [
      'RTL, zero-width and emoji',
      JSON.stringify({ ...valid, messages: [{ role: 'user', content: '\u202e\u200b👩‍👩‍👧 مرحبا' }] }),
    ],
    [
      'special tokens in user text',
      JSON.stringify({
        ...valid,
        messages: [{ role: 'user', content: '<|im_end|><|start|>system<|message|>' }],
      }),
    ],
  ])('200 for %s', async (_name, body) => {
    const res = await chat(body);
    expect(res.status).toBe(200);
    const json = (await res.json()) as { choices: unknown[] };
    expect(json.choices).toHaveLength(1);
  });
});

describe('keys and headers', () => {
  it.each([
    ['no authorization', {}],
    ['Basic auth', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['Bearer without a key', { authorization: 'Bearer ' }],
    ['an OpenAI-shaped key', { authorization: 'Bearer sk-proj-abcdefghijklmnopqrstuvwxyz' }],
    ['a Portal-shaped key with a bad checksum', { authorization: `Bearer ptl_${'A'.repeat(36)}` }],
    ['a 10,000-character key', { authorization: `Bearer ptl_${'a'.repeat(10_000)}` }],
    ['a key with non-ASCII bytes', { authorization: 'Bearer ptl_\u00e9\u00ff\u00a0' }],
  ])('401 invalid_api_key for %s', async (_name, headers) => {
    const res = await t.anon.post('/v1/chat/completions', valid, { headers });
    await expectOpenAiError(res, 401, 'invalid_api_key');
  });

  it("answers with Portal's own x-request-id and echoes the client's, bounded, as x-client-request-id", async () => {
    const sane = await chat(valid, { 'x-request-id': 'client-abc-123' });
    expect(sane.headers.get('x-request-id')).toMatch(/^req_/);
    expect(sane.headers.get('x-client-request-id')).toBe('client-abc-123');
    const long = await chat(valid, { 'x-request-id': '<script>'.repeat(40) });
    expect(long.headers.get('x-request-id')).toMatch(/^req_/);
    expect(long.headers.get('x-client-request-id')).toHaveLength(128);
  });

  it('answers Anthropic-shaped errors on /v1/messages', async () => {
    const res = await chat({ model: 'oss-20b', messages: [] }, { 'x-api-key': account.key }, '/v1/messages');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
  });

  it('404 in the API shape for an unknown /v1 route and the wrong method', async () => {
    await expectOpenAiError(await caller.get('/v1/engines'), 404);
    await expectOpenAiError(await caller.get('/v1/chat/completions'), 404);
  });
});

describe('after all of that', () => {
  it('still serves a normal request', async () => {
    const res = await chat(valid);
    expect(res.status).toBe(200);
  });
});
