/**
 * Tool requests at the edge, through HTTP: hostile or unsupported input is a 400 in the API's own shape
 * naming the parameter (never a 500), /v1/models says which models take tools, and tool definitions count
 * in the prompt tokens.
 */
import { describe, expect, it } from 'vitest';
import { countTokens } from '#src/inference/tokens.js';
import { useToolsPortal, weatherParameters } from '../support/tools.js';

const ctx = useToolsPortal();

const post = (path: string, body: Record<string, unknown>) => ctx.api.post(`/v1/${path}`, body);

const weather = { type: 'function', function: { name: 'get_weather', parameters: weatherParameters } };
const chat = (fields: Record<string, unknown>) =>
  post('chat/completions', { model: 'qwen', messages: [{ role: 'user', content: 'Paris?' }], ...fields });
const messages = (fields: Record<string, unknown>) =>
  post('messages', {
    model: 'qwen',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'Paris?' }],
    ...fields,
  });

/** A tool result whose call the conversation never made. */
const answeringNoCall = [
  { role: 'user', content: 'x' },
  { role: 'tool', tool_call_id: 'call_x', content: '1' },
];

const deep = (n: number): Record<string, unknown> =>
  n === 0 ? { type: 'string' } : { type: 'object', properties: { a: deep(n - 1) } };

describe('OpenAI tool requests refused with 400 naming the parameter', () => {
  it.each([
    [
      '129 tools',
      { tools: Array.from({ length: 129 }, (_, i) => ({ ...weather, function: { name: `f${i}` } })) },
      'tools',
    ],
    [
      'a catastrophic-backtracking pattern',
      {
        tools: [
          {
            type: 'function',
            function: {
              name: 'f',
              parameters: { type: 'object', properties: { a: { type: 'string', pattern: '^(a|aa)+$' } } },
            },
          },
        ],
      },
      null,
    ],
    [
      'a schema nested 40 deep',
      { tools: [{ type: 'function', function: { name: 'f', parameters: deep(40) } }] },
      'tools.0.function.parameters',
    ],
    [
      'a named tool not in tools',
      { tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } },
      'tool_choice',
    ],
    ['a tool message answering no call', { messages: answeringNoCall }, 'messages.1.tool_call_id'],
    [
      'an image part',
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
      'messages.0.content.0.type',
    ],
    [
      'response_format json_schema with a remote $ref',
      {
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { $ref: 'https://evil.test/s' } },
        },
      },
      'response_format.json_schema.schema',
    ],
  ])('%s', async (_name, fields, param) => {
    const res = await chat(fields);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { type: string; param: string | null; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    if (param) expect(body.error.param).toBe(param);
    expect(body.error.message.length).toBeGreaterThan(10);
  });
});

describe('Anthropic tool requests refused with 400 in Anthropic shape', () => {
  it.each([
    [
      'a server tool',
      { tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
      /web_search_20250305/,
    ],
    [
      'an invalid tool name',
      { tools: [{ name: 'bad name', input_schema: { type: 'object' } }] },
      /tools\.0\.name/,
    ],
    [
      'a document block',
      { messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
      /"document"/,
    ],
    ['thinking over max_tokens', { thinking: { type: 'enabled', budget_tokens: 2048 } }, /budget_tokens/],
  ])('%s', async (_name, fields, message) => {
    const res = await messages(fields);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(message);
  });
});

describe('models and metering', () => {
  it('/v1/models says which models take tools, JSON and reasoning', async () => {
    const res = await ctx.api.get('/v1/models');
    const { data } = (await res.json()) as {
      data: Array<{ id: string; capabilities: Record<string, boolean> }>;
    };
    for (const id of ['oss-20b', 'oss-120b', 'gemma4', 'qwen'])
      expect(data.find((m) => m.id === id)?.capabilities).toEqual({
        tools: true,
        json: true,
        reasoning: true,
      });
  });

  it('call arguments count as output tokens when the upstream reports no usage', async () => {
    ctx.t.sim.configure({ usage: false });
    try {
      const res = await chat({ tools: [weather], tool_choice: 'required' });
      const body = (await res.json()) as {
        usage: { completion_tokens: number };
        choices: Array<{ message: { tool_calls: Array<{ function: { name: string; arguments: string } }> } }>;
      };
      const call = body.choices[0]!.message.tool_calls[0]!.function;
      expect(body.usage.completion_tokens).toBeGreaterThanOrEqual(countTokens(call.name + call.arguments));
    } finally {
      ctx.t.sim.configure({ usage: true });
    }
  });

  it('tool definitions count in the prompt tokens', async () => {
    ctx.t.sim.configure({ usage: false });
    try {
      const plain = (await (await chat({})).json()) as { usage: { prompt_tokens: number } };
      const res = await chat({ tools: [weather], tool_choice: 'none' });
      expect(res.status).toBe(200);
      const withTools = (await res.json()) as { usage: { prompt_tokens: number } };
      expect(withTools.usage.prompt_tokens).toBeGreaterThan(plain.usage.prompt_tokens + 20);
    } finally {
      ctx.t.sim.configure({ usage: true });
    }
  });
});
