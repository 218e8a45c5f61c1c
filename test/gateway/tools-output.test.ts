/**
 * What the model's output does to the answer, on the simulator's knobs: parallel calls stream with their own
 * indices, markers cut across pieces never leak, a strict stream is validated before its first byte, and an
 * answer that stays invalid after the repair attempt is `invalid_model_output` (502) in both API shapes.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { LAUNCH_MODELS, timeParameters, useToolsPortal, weatherParameters } from '../support/tools.js';

const ctx = useToolsPortal();
const client = () => ctx.openai();
afterEach(() =>
  ctx.t.sim.configure({
    toolCallsPerAnswer: 1,
    malformedToolCalls: false,
    splitMarkers: false,
    reasoning: 'auto',
  }),
);

const weather: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', parameters: weatherParameters },
};
const time: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_time', parameters: timeParameters },
};
const ask: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris and Oslo?' }];

const post = (path: string, body: Record<string, unknown>) => ctx.api.post(`/v1/${path}`, body);

/** Posts with the simulator's tool calls malformed beyond repair; the answer must be a 502. */
async function stuckMalformed(path: string, body: Record<string, unknown>) {
  ctx.t.sim.configure({ malformedToolCalls: true });
  const res = await post(path, body);
  expect(res.status).toBe(502);
  return res;
}

describe.each(LAUNCH_MODELS)('model output on %s', (model) => {
  // The simulator's malformed-call knob breaks JSON; Gemma 4's call syntax is not JSON, so it has no effect there.
  const malformable = model !== 'gemma4';

  it('streams parallel calls and cut markers as clean, separately indexed calls', async () => {
    ctx.t.sim.configure({ toolCallsPerAnswer: 2, splitMarkers: true, reasoning: 'always' });
    const stream = client().chat.completions.stream({ model, messages: ask, tools: [weather, time] });
    let content = '';
    stream.on('content', (d) => (content += d));
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls ?? [];
    // harmony makes one call per turn; the other families two
    expect(calls.length).toBe(model.startsWith('oss') ? 1 : 2);
    for (const call of calls) {
      expect(call.id).toMatch(/^call_/);
      expect(call.type === 'function' && typeof JSON.parse(call.function.arguments)).toBe('object');
    }
    expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
    expect(content).not.toMatch(/tool_call|<\|/);
  });

  it.runIf(malformable)(
    '502 invalid_model_output when the calls stay malformed after the repair attempt (OpenAI shape)',
    async () => {
      const res = await stuckMalformed('chat/completions', {
        model,
        messages: ask,
        tools: [weather],
        tool_choice: 'required',
      });
      const body = (await res.json()) as { error: { code: string; type: string } };
      expect(body.error).toMatchObject({ code: 'invalid_model_output', type: 'server_error' });
    },
  );

  it.runIf(malformable)(
    '502 before any byte for a strict stream that stays invalid (Anthropic shape for /v1/messages)',
    async () => {
      const res = await stuckMalformed('messages', {
        model,
        max_tokens: 256,
        stream: true,
        tools: [{ name: 'get_weather', input_schema: weatherParameters, strict: true }],
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = (await res.json()) as { type: string; error: { type: string; message: string } };
      expect(body).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(body.error.message).toMatch(/repair attempt/);
    },
  );

  it('a strict stream that validates is replayed in the normal stream shape', async () => {
    const stream = client().chat.completions.stream({
      model,
      messages: ask,
      tools: [{ ...weather, function: { ...weather.function, strict: true } } as OpenAI.ChatCompletionTool],
      tool_choice: 'required',
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.usage!.completion_tokens).toBeGreaterThan(0);
  });
});
