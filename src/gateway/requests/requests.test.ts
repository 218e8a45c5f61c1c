import { describe, expect, it } from 'vitest';
import { PortalError } from '#src/platform/http/errors.js';
import { chatCompletionSchema } from '#src/contracts/openai-requests.js';
import { messagesSchema } from '#src/contracts/anthropic-requests.js';
import { parseWith } from '../schemas/parse.js';
import { chatCallOf } from './openai.js';
import { messagesCallOf } from './anthropic.js';

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather now',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

const openai = (body: Record<string, unknown>) =>
  chatCallOf(parseWith(chatCompletionSchema, { model: 'qwen', ...body }));
const anthropic = (body: Record<string, unknown>) =>
  messagesCallOf(parseWith(messagesSchema, { model: 'qwen', max_tokens: 2000, ...body }));

function paramOf(run: () => unknown): string | null {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(PortalError);
    expect((err as PortalError).status).toBe(400);
    return (err as PortalError).param;
  }
  throw new Error('expected a 400');
}

describe('OpenAI chat request → neutral call', () => {
  it('maps a tool loop: tools, choice, the call and its result', () => {
    const call = openai({
      tools: [weather],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      reasoning_effort: 'minimal',
      messages: [
        { role: 'user', content: 'Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '21 C' }] },
      ],
    });
    expect(call.messages).toEqual([
      { role: 'user', content: 'Paris?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      },
      { role: 'tool', content: '21 C', toolCallId: 'call_1', name: 'get_weather' },
    ]);
    expect(call.tooling).toEqual({
      tools: [{ name: 'get_weather', description: 'Weather now', parameters: weather.function.parameters }],
      toolChoice: { type: 'function', name: 'get_weather' },
      parallelToolCalls: false,
      reasoningEffort: 'low',
    });
  });

  it('maps response_format json_schema (strict) and leaves a plain request without tooling', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    expect(
      openai({
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'a', schema, strict: true } },
      }).tooling,
    ).toEqual({ responseFormat: { type: 'json_schema', name: 'a', schema, strict: true } });
    expect(openai({ messages: [{ role: 'user', content: 'x' }] }).tooling).toBeUndefined();
  });

  it.each([
    [
      'a named tool not in tools',
      { tool_choice: { type: 'function', function: { name: 'nope' } } },
      'tool_choice',
    ],
    ['required without tools', { tools: undefined, tool_choice: 'required' }, 'tool_choice'],
    ['a duplicate tool', { tools: [weather, weather] }, 'tools.1.function.name'],
    [
      'parameters that are not an object schema',
      { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }] },
      'tools.0.function.parameters',
    ],
    ['a custom tool type', { tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools.0.type'],
    [
      'a strict tool whose schema cannot compile',
      {
        tools: [
          { type: 'function', function: { name: 'f', strict: true, parameters: { $ref: 'http://x/y' } } },
        ],
      },
      'tools.0.function.parameters',
    ],
    [
      'a tool result answering no call',
      {
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', tool_call_id: 'call_9', content: 'r' },
        ],
      },
      'messages.1.tool_call_id',
    ],
    ['an unknown reasoning effort', { reasoning_effort: 'max' }, 'reasoning_effort'],
    [
      'response_format json_schema without a name',
      { response_format: { type: 'json_schema', json_schema: {} } },
      'response_format.json_schema.name',
    ],
  ])('400 naming the parameter for %s', (_name, fields, param) => {
    expect(
      paramOf(() => openai({ messages: [{ role: 'user', content: 'x' }], tools: [weather], ...fields })),
    ).toBe(param);
  });
});

describe('Anthropic messages request → neutral call', () => {
  it('maps tool_use / tool_result blocks, tools, choice and thinking', () => {
    const call = anthropic({
      tools: [{ name: 'get_weather', input_schema: weather.function.parameters }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        { role: 'user', content: 'Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Need weather.', signature: 'sig' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'boom', is_error: true },
            { type: 'text', text: 'And Oslo?' },
          ],
        },
      ],
    });
    expect(call.messages).toEqual([
      { role: 'user', content: 'Paris?' },
      {
        role: 'assistant',
        content: '',
        reasoning: 'Need weather.',
        toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      },
      { role: 'tool', toolCallId: 'toolu_1', name: 'get_weather', content: 'Error: boom' },
      { role: 'user', content: 'And Oslo?' },
    ]);
    expect(call.tooling).toEqual({
      tools: [{ name: 'get_weather', parameters: weather.function.parameters }],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      reasoningEffort: 'low',
      includeReasoning: true,
    });
  });

  it.each([
    ['a server tool', { tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools.0.type'],
    ['a tool without input_schema', { tools: [{ name: 'f' }] }, 'tools.0.input_schema'],
    ['a bad tool name', { tools: [{ name: 'a b', input_schema: { type: 'object' } }] }, 'tools.0.name'],
    ['a named tool not in tools', { tool_choice: { type: 'tool', name: 'x' } }, 'tool_choice'],
    [
      'a budget at max_tokens',
      { thinking: { type: 'enabled', budget_tokens: 2000 } },
      'thinking.budget_tokens',
    ],
    [
      'an image block',
      { messages: [{ role: 'user', content: [{ type: 'image', source: {} }] }] },
      'messages.0.content.0.type',
    ],
    [
      'an image inside a tool result',
      {
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'image' }] }],
          },
        ],
      },
      'messages.1.content.0.content.0.type',
    ],
    [
      'a tool_result answering no tool_use',
      { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x' }] }] },
      'messages.0.content.0.tool_use_id',
    ],
  ])('400 naming the parameter for %s', (_name, fields, param) => {
    expect(paramOf(() => anthropic({ messages: [{ role: 'user', content: 'x' }], ...fields }))).toBe(param);
  });
});
