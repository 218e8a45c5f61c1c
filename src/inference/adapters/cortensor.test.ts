import { describe, expect, it } from 'vitest';
import { chatRequest } from '#test/inference/support.js';
import { cortensorAdapter } from './cortensor.js';
import type { UpstreamAnswer } from './types.js';

const target = { baseUrl: 'http://router:5010', apiKey: 'K', sessionId: 7, apiVersion: 'v3' as const };
const request = chatRequest({
  requestId: 'req_abc',
  temperature: 0.2,
  topP: 0.9,
  topK: 40,
  stop: ['END'],
  presencePenalty: 0.1,
  frequencyPenalty: 0.3,
});
const parse = (status: number, body: unknown, headers: Record<string, string> = {}) => {
  const answer: UpstreamAnswer = {
    status,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
  return cortensorAdapter.parseResponse(answer, { request, target });
};

describe('cortensor request', () => {
  it('sends a raw templated prompt to the versioned path with the session, sampling and stops', () => {
    const spec = cortensorAdapter.buildRequest(request, target, true);
    expect(spec.url).toBe('http://router:5010/api/v3/completions/7');
    expect(spec.headers.authorization).toBe('Bearer K');
    const body = JSON.parse(spec.body ?? '{}');
    expect(body).toMatchObject({
      session_id: 7,
      prompt: '<|im_start|>user\nSay something<|im_end|>\n<|im_start|>assistant\n',
      prompt_type: 1,
      stream: true,
      client_reference: 'req_abc',
      max_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      stop: ['<|im_end|>', '<|endoftext|>', 'END'],
    });
    expect(body.timeout).toBeGreaterThan(0);
  });

  it('sends a legacy prompt as is, without template stops', () => {
    const spec = cortensorAdapter.buildRequest(
      chatRequest({ messages: undefined, prompt: 'Once upon' }),
      { ...target, apiVersion: 'v1' },
      false,
    );
    expect(spec.url).toBe('http://router:5010/api/v1/completions/7');
    expect(JSON.parse(spec.body ?? '{}')).toMatchObject({ prompt: 'Once upon', stream: false });
    expect(JSON.parse(spec.body ?? '{}').stop).toBeUndefined();
  });

  it('probes ping and status with the bearer key', () => {
    expect(cortensorAdapter.probes(target).map((p) => p.url)).toEqual([
      'http://router:5010/api/v1/ping',
      'http://router:5010/api/v1/status',
    ]);
  });
});

describe('cortensor answers', () => {
  const choice = (text: string, finish: string | null) => ({
    text,
    index: 0,
    logprobs: null,
    finish_reason: finish,
  });

  it('takes the first complete choice when several miners answered', () => {
    const r = parse(200, {
      id: 'x',
      object: 'text_completion',
      choices: [choice('cut sh', null), choice('A whole answer.', 'stop'), choice('Another.', 'stop')],
      usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
      task_id: 3,
    });
    expect(r).toEqual({
      kind: 'completion',
      completion: {
        text: 'A whole answer.',
        finishReason: 'stop',
        usage: { promptTokens: 5, completionTokens: 4 },
      },
    });
  });

  it('leaves usage out when the router sent none, and maps length', () => {
    const r = parse(200, { choices: [choice('Some text', 'length')], task_id: 1 });
    expect(r).toEqual({
      kind: 'completion',
      completion: { text: 'Some text', finishReason: 'length', usage: undefined },
    });
  });

  it('cuts a stop sequence that slipped into the text', () => {
    const r = parse(200, { choices: [choice('Done.<|im_end|>\n<|im_start|>user', 'stop')] });
    expect(r.kind === 'completion' && r.completion.text).toBe('Done.');
  });

  it('turns a pending off-chain result with a task id into a poll of the task', () => {
    const r = parse(200, {
      status: 'ended',
      message: 'No content',
      result_data: 'urn:blob:abc',
      task_id: 42,
    });
    expect(r).toEqual({
      kind: 'pending',
      next: {
        method: 'GET',
        url: 'http://router:5010/api/v1/tasks/7/42',
        headers: { authorization: 'Bearer K' },
      },
    });
  });

  it('asks again when a pending result names no task', () => {
    expect(parse(200, { status: 'ended', message: 'No content', result_data: 'urn:blob:abc' })).toEqual({
      kind: 'pending',
      next: undefined,
    });
  });

  it('reads a finished task as the answer and an unfinished one as still pending', () => {
    const task = {
      assigned_miners: ['0x1'],
      created_at: 1,
      finished_at: 0,
      results: { data: [], miners: [] },
      status: 2,
    };
    expect(parse(200, task)).toEqual({ kind: 'pending' });
    const done = {
      ...task,
      finished_at: 5,
      status: 4,
      results: { data: ['', 'The result.'], miners: ['0x1', '0x2'] },
    };
    expect(parse(200, done)).toEqual({
      kind: 'completion',
      completion: { text: 'The result.', finishReason: 'stop' },
    });
  });

  it.each([
    ['nested', { error: { message: 'session 7 expired' } }],
    ['string', { error: 'session 7 expired' }],
    ['message', { message: 'session 7 expired' }],
  ])('reads the %s error shape for logs and classes 503 as retryable', (_shape, body) => {
    const r = parse(503, body, { 'retry-after': '2' });
    expect(r).toEqual({
      kind: 'failure',
      failure: {
        kind: 'unavailable',
        retryable: true,
        status: 503,
        retryAfterMs: 2000,
        detail: 'HTTP 503: session 7 expired',
      },
    });
  });

  it('classes 400 as not retryable and 524 as a timeout', () => {
    const bad = parse(400, { error: 'bad prompt' });
    expect(bad.kind === 'failure' && bad.failure.retryable).toBe(false);
    const slow = parse(524, 'origin timeout');
    expect(slow.kind === 'failure' && slow.failure).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('treats a 200 with an error body or with bytes that are not JSON as a retryable failure', () => {
    expect(parse(200, { error: 'no miners' })).toMatchObject({
      kind: 'failure',
      failure: { detail: 'no miners', retryable: true },
    });
    expect(parse(200, '<html>bad gateway</html>')).toMatchObject({
      kind: 'failure',
      failure: { retryable: true },
    });
  });
});
