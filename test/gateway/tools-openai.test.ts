/**
 * The official openai SDK, unchanged, calling tools through Portal on the simulator fleet, for every launch
 * model, whole and streamed: tool_choice required and named, the SDK's runTools helper completing a
 * two-step loop, and response_format json_schema parsed by the SDK (zodResponseFormat with zod 4).
 */
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  LAUNCH_MODELS,
  TOOL_DEFINITIONS,
  useToolsPortal,
  weatherParameters,
  weatherResult,
} from '../support/tools.js';

const ctx = useToolsPortal();
const client = ctx.openai;
const tools: OpenAI.ChatCompletionTool[] = TOOL_DEFINITIONS.map((f) => ({ type: 'function', function: f }));
const ask: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];

function expectCall(call: OpenAI.ChatCompletionMessageToolCall | undefined, name: string) {
  expect(call?.type).toBe('function');
  if (call?.type !== 'function') return;
  expect(call.id).toMatch(/^call_/);
  expect(call.function.name).toBe(name);
  const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
  expect(typeof args[name === 'get_weather' ? 'city' : 'timezone']).toBe('string');
}

describe.each(LAUNCH_MODELS)('openai SDK tools on %s', (model) => {
  it('tool_choice required: a call with JSON arguments, finish_reason tool_calls', async () => {
    const res = await client().chat.completions.create({
      model,
      messages: ask,
      tools,
      tool_choice: 'required',
    });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls!.length).toBeGreaterThan(0);
    expectCall(choice.message.tool_calls![0], 'get_weather');
    expect(choice.message.content ?? '').not.toMatch(/<tool_call>|<\|call\|>|tool_call>/);
    expect(res.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('tool_choice named, streamed: the SDK assembles a call to that function', async () => {
    const stream = client().chat.completions.stream({
      model,
      messages: [{ role: 'user', content: 'What time is it in Tokyo?' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
      stream_options: { include_usage: true },
    });
    let content = '';
    stream.on('content', (delta) => (content += delta));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expectCall(final.choices[0]!.message.tool_calls![0], 'get_time');
    expect(content).not.toMatch(/tool_call|<\|/);
    expect(final.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it.each([false, true])('runTools completes a two-step loop (stream: %s)', async (stream) => {
    const calls: unknown[] = [];
    const functions = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          description: 'Current weather in a city',
          parameters: weatherParameters,
          function: (args: { city: string }) => (calls.push(args), weatherResult(args)),
          parse: JSON.parse,
        },
      },
    ];
    const runner = client().chat.completions.runTools({
      model,
      messages: ask,
      tools: functions,
      stream,
    } as never);
    const content = await (runner as { finalContent(): Promise<string | null> }).finalContent();
    expect(calls.length).toBeGreaterThan(0);
    expect(content).toBeTruthy();
    expect(content).toMatch(/21|sunny/);
  });

  it.each([false, true])(
    'response_format json_schema is parsed by the SDK (stream: %s)',
    async (streamed) => {
      const Weather = z.object({ city: z.string(), temperature: z.number(), sunny: z.boolean() });
      const params = {
        model,
        messages: [{ role: 'user' as const, content: 'Give the weather in Paris as JSON.' }],
        response_format: zodResponseFormat(Weather, 'weather'),
      };
      const completion = streamed
        ? await client().chat.completions.stream(params).finalChatCompletion()
        : await client().chat.completions.parse(params);
      const parsed = completion.choices[0]!.message.parsed;
      expect(Weather.parse(parsed)).toEqual(parsed);
    },
  );

  it.each([false, true])(
    'reasoning arrives as reasoning_content, never in content (stream: %s)',
    async (streamed) => {
      ctx.t.sim.configure({ reasoning: 'always' });
      try {
        const params = { model, messages: ask, tools };
        let reasoning = '';
        let content = '';
        if (streamed) {
          const stream = await client().chat.completions.create({ ...params, stream: true });
          for await (const chunk of stream) {
            const delta = chunk.choices[0]?.delta as
              { content?: string; reasoning_content?: string } | undefined;
            reasoning += delta?.reasoning_content ?? '';
            content += delta?.content ?? '';
          }
        } else {
          const message = (await client().chat.completions.create(params)).choices[0]!.message;
          reasoning = (message as { reasoning_content?: string }).reasoning_content ?? '';
          content = message.content ?? '';
        }
        expect(reasoning).toContain('The user asked a question');
        expect(content).not.toContain('The user asked a question');
        expect(content).not.toMatch(/think>|<\|channel|<\|channel>/);
      } finally {
        ctx.t.sim.configure({ reasoning: 'auto' });
      }
    },
  );
});
