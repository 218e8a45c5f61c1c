import { describe, expect, it } from 'vitest';
import type { CatalogModel, Completion, Inference, InferenceRequest } from '#src/inference/types.js';
import { PortalError } from '#src/platform/http/errors.js';
import { completeChecked, InvalidOutputError, mustBuffer, problemOf, replay, unfence } from './check.js';

const weather = {
  name: 'get_weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

function request(fields: Partial<InferenceRequest>): InferenceRequest {
  return {
    requestId: 'req_1',
    model: { id: 'qwen' } as CatalogModel,
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    maxTokens: 100,
    deadline: Date.now() + 60_000,
    signal: new AbortController().signal,
    ...fields,
  };
}

const answer = (fields: Partial<Completion>): Completion => ({
  text: '',
  finishReason: 'stop',
  route: { poolId: 'p', routerId: 'r' },
  ...fields,
});

/** An inference layer that answers with the given completions in turn, recording the requests. */
function scripted(...answers: Completion[]) {
  const seen: InferenceRequest[] = [];
  const inference = {
    complete: async (r: InferenceRequest) => (seen.push(r), answers.shift()!),
  } as unknown as Inference;
  return { inference, seen };
}

describe('problemOf', () => {
  it('accepts calls to known functions with object arguments', () => {
    const r = request({ tools: [weather] });
    expect(
      problemOf(r, answer({ toolCalls: [{ id: 'c', name: 'get_weather', arguments: '{"city":"x"}' }] })),
    ).toBeUndefined();
  });

  it.each([
    [{ toolChoice: { type: 'required' as const } }, [], /must call one of/],
    [{ toolChoice: { type: 'function' as const, name: 'get_weather' } }, [], /must call the function/],
    [{}, [{ id: 'c', name: 'nope', arguments: '{}' }], /not one of the functions/],
    [{}, [{ id: 'c', name: 'get_weather', arguments: '{"city":' }], /not valid JSON/],
    [{}, [{ id: 'c', name: 'get_weather', arguments: '[1]' }], /must be a JSON object/],
  ])('names the problem: %#', (fields, toolCalls, message) => {
    expect(problemOf(request({ tools: [weather], ...fields }), answer({ toolCalls }))).toMatch(message);
  });

  it('validates strict arguments against the schema, non-strict ones only as objects', () => {
    const call = answer({ toolCalls: [{ id: 'c', name: 'get_weather', arguments: '{"town":"x"}' }] });
    expect(problemOf(request({ tools: [weather] }), call)).toBeUndefined();
    expect(problemOf(request({ tools: [{ ...weather, strict: true }] }), call)).toMatch(
      /do not match its schema: .*required property 'city'/,
    );
  });

  it('holds a json_schema answer to the schema and json_object to an object', () => {
    const format = { type: 'json_schema' as const, name: 'w', schema: weather.parameters };
    expect(
      problemOf(request({ responseFormat: format }), answer({ text: '{"city":"Paris"}' })),
    ).toBeUndefined();
    expect(problemOf(request({ responseFormat: format }), answer({ text: '{"city":1}' }))).toMatch(
      /\/city must be string/,
    );
    expect(problemOf(request({ responseFormat: { type: 'json_object' } }), answer({ text: '[1]' }))).toMatch(
      /JSON object/,
    );
    expect(
      problemOf(request({ responseFormat: { type: 'json_object' } }), answer({ text: 'Sure!' })),
    ).toMatch(/not valid JSON/);
  });
});

describe('completeChecked', () => {
  it('passes a plain request straight through (one call, no check)', async () => {
    const plain = answer({ text: 'not json at all' });
    const { inference, seen } = scripted(plain);
    expect(await completeChecked(inference, request({}))).toBe(plain);
    expect(seen).toHaveLength(1);
  });

  it('unfences a fenced JSON answer', async () => {
    const { inference } = scripted(answer({ text: '```json\n{"city":"Paris"}\n```' }));
    const got = await completeChecked(inference, request({ responseFormat: { type: 'json_object' } }));
    expect(got.text).toBe('{"city":"Paris"}');
  });

  it('repairs once: re-asks with the answer and the problem, and sums both attempts’ usage', async () => {
    const { inference, seen } = scripted(
      answer({ text: 'Paris is sunny', usage: { promptTokens: 10, completionTokens: 4 } }),
      answer({ text: '{"city":"Paris"}', usage: { promptTokens: 20, completionTokens: 6 } }),
    );
    const got = await completeChecked(inference, request({ responseFormat: { type: 'json_object' } }));
    expect(got.text).toBe('{"city":"Paris"}');
    expect(got.usage).toEqual({ promptTokens: 30, completionTokens: 10 });
    expect(seen[1]!.messages!.slice(-2)).toEqual([
      { role: 'assistant', content: 'Paris is sunny' },
      {
        role: 'user',
        content: expect.stringMatching(/^Your previous answer was invalid: the answer is not valid JSON/),
      },
    ]);
  });

  it('fails with invalid_model_output (502) when the repair fails too', async () => {
    const { inference } = scripted(
      answer({ text: 'no', usage: { promptTokens: 10, completionTokens: 1 } }),
      answer({ text: 'still no', usage: { promptTokens: 14, completionTokens: 2 } }),
    );
    const err = await completeChecked(inference, request({ responseFormat: { type: 'json_object' } })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortalError);
    expect((err as PortalError).code).toBe('invalid_model_output');
    expect((err as PortalError).status).toBe(502);
    expect((err as InvalidOutputError).usage).toEqual({ promptTokens: 24, completionTokens: 3 });
  });

  it('does not repair when the deadline is too close', async () => {
    const { inference, seen } = scripted(answer({ text: 'no' }));
    const r = request({ responseFormat: { type: 'json_object' }, deadline: Date.now() + 500 });
    await expect(completeChecked(inference, r)).rejects.toMatchObject({ code: 'invalid_model_output' });
    expect(seen).toHaveLength(1);
  });

  it('keeps one call when parallel calls are off', async () => {
    const calls = ['Paris', 'Oslo'].map((city, i) => ({
      id: `c${i}`,
      name: 'get_weather',
      arguments: JSON.stringify({ city }),
    }));
    const { inference } = scripted(answer({ toolCalls: calls }));
    const got = await completeChecked(inference, request({ tools: [weather], parallelToolCalls: false }));
    expect(got.toolCalls).toEqual([calls[0]]);
  });
});

describe('streams', () => {
  it('buffers only strict schemas', () => {
    expect(mustBuffer(request({ tools: [weather] }))).toBe(false);
    expect(mustBuffer(request({ responseFormat: { type: 'json_object' } }))).toBe(false);
    expect(mustBuffer(request({ tools: [{ ...weather, strict: true }] }))).toBe(true);
    expect(
      mustBuffer(request({ responseFormat: { type: 'json_schema', name: 'x', schema: {}, strict: true } })),
    ).toBe(true);
  });

  it('replays a completion as pieces in one batch', async () => {
    const stream = replay(
      answer({
        text: 'ok',
        reasoning: 'r',
        toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }],
        usage: { promptTokens: 1, completionTokens: 2 },
      }),
    );
    const batches = [];
    for await (const b of stream.batches) batches.push(b);
    expect(batches).toEqual([
      [
        { type: 'reasoning', text: 'r' },
        { type: 'text', text: 'ok' },
        { type: 'tool_call', index: 0, id: 'c', name: 'f' },
        { type: 'tool_call_args', index: 0, text: '{}' },
        { type: 'end', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 2 } },
      ],
    ]);
  });

  it('unfence leaves unfenced text alone', () => {
    expect(unfence(' {"a":1} ')).toBe(' {"a":1} ');
    expect(unfence('```\n[1]\n```')).toBe('[1]');
  });
});
