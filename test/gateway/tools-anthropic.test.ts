/**
 * The official @anthropic-ai/sdk, unchanged, running a tool_use → tool_result loop through Portal on the
 * simulator fleet for every launch model, streamed (messages.stream + finalMessage) and whole; thinking blocks
 * when the request enables thinking; tool_choice any and tool.
 */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { LAUNCH_MODELS, TOOL_DEFINITIONS, useToolsPortal, weatherResult } from '../support/tools.js';

const ctx = useToolsPortal();
const client = () => ctx.anthropic();
const tools: Anthropic.Tool[] = TOOL_DEFINITIONS.map(({ parameters, ...tool }) => ({
  ...tool,
  input_schema: parameters,
}));

type Run = (params: Anthropic.MessageCreateParamsNonStreaming) => Promise<Anthropic.Message>;
const streamed: Run = (params) => client().messages.stream(params).finalMessage();
const whole: Run = (params) => client().messages.create(params);

describe.each(LAUNCH_MODELS)('anthropic SDK tools on %s', (model) => {
  it.each([
    ['streamed', streamed],
    ['whole', whole],
  ])('tool_use → tool_result loop (%s)', async (_how, run) => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await run({ model, max_tokens: 512, tools, tool_choice: { type: 'any' }, messages });
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(use?.id).toMatch(/^toolu_/);
    expect(['get_weather', 'get_time']).toContain(use!.name);
    expect(typeof use!.input).toBe('object');
    for (const b of first.content) if (b.type === 'text') expect(b.text).not.toMatch(/tool_call|<\|/);

    messages.push({ role: 'assistant', content: first.content });
    messages.push({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: use!.id,
          content: weatherResult(use!.input as { city?: unknown }),
        },
      ],
    });
    const second = await run({ model, max_tokens: 512, tools, messages });
    expect(second.stop_reason).toMatch(/end_turn|max_tokens/);
    const text = second.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    expect(text).toMatch(/21|sunny/);
  });

  it('tool_choice tool: the named call', async () => {
    const msg = await streamed({
      model,
      max_tokens: 512,
      tools,
      tool_choice: { type: 'tool', name: 'get_time' },
      messages: [{ role: 'user', content: 'What time is it in Tokyo?' }],
    });
    expect(msg.stop_reason).toBe('tool_use');
    const use = msg.content.find((b) => b.type === 'tool_use');
    expect(use?.type === 'tool_use' && use.name).toBe('get_time');
  });

  it.each([
    ['streamed', streamed],
    ['whole', whole],
  ])('thinking enabled: a signed-as-unsigned thinking block first, then the call (%s)', async (_how, run) => {
    ctx.t.sim.configure({ reasoning: 'always' });
    try {
      const msg = await run({
        model,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        tools,
        messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      });
      const [first] = msg.content;
      expect(first?.type).toBe('thinking');
      expect(first?.type === 'thinking' && first.thinking.length > 0).toBe(true);
      expect(first?.type === 'thinking' && first.signature).toBe('portal-unsigned');
      expect(msg.content.some((b) => b.type === 'tool_use')).toBe(true);
      for (const b of msg.content) if (b.type === 'text') expect(b.text).not.toMatch(/think>|<\|channel/);
    } finally {
      ctx.t.sim.configure({ reasoning: 'auto' });
    }
  });

  it('thinking not enabled: reasoning never reaches the client', async () => {
    ctx.t.sim.configure({ reasoning: 'always' });
    try {
      const msg = await streamed({
        model,
        max_tokens: 512,
        tools,
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      expect(msg.content.some((b) => b.type === 'thinking')).toBe(false);
      expect(JSON.stringify(msg.content)).not.toContain('The user asked a question');
    } finally {
      ctx.t.sim.configure({ reasoning: 'auto' });
    }
  });
});
