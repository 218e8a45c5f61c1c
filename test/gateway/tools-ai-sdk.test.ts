/**
 * The Vercel AI SDK (`ai` 6 with `@ai-sdk/openai-compatible` 2), unchanged, pointed at Portal: generateText
 * and streamText with a tool and several steps complete the loop on every launch model.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { LAUNCH_MODELS, useToolsPortal, weatherParameters, weatherResult } from '../support/tools.js';

const ctx = useToolsPortal();
const provider = () =>
  createOpenAICompatible({ name: 'portal', apiKey: ctx.key, baseURL: `${ctx.t.url}/v1` });

const weatherTool = (calls: unknown[]) =>
  tool({
    description: 'Current weather in a city',
    inputSchema: jsonSchema<{ city: string; unit?: string }>(weatherParameters as never),
    execute: async (input) => (calls.push(input), weatherResult(input)),
  });

describe.each(LAUNCH_MODELS)('AI SDK tools on %s', (model) => {
  it('generateText runs the tool and answers with its result in the next step', async () => {
    const calls: unknown[] = [];
    const result = await generateText({
      model: provider()(model),
      tools: { get_weather: weatherTool(calls) },
      stopWhen: stepCountIs(3),
      prompt: 'What is the weather in Paris?',
      maxRetries: 0,
    });
    expect(calls.length).toBeGreaterThan(0);
    expect(result.steps.length).toBeGreaterThanOrEqual(2);
    expect(result.steps[0]!.finishReason).toBe('tool-calls');
    expect(result.text).toMatch(/21|sunny/);
    expect(result.totalUsage.outputTokens).toBeGreaterThan(0);
  });

  it('streamText does the same over streams', async () => {
    const calls: unknown[] = [];
    const result = streamText({
      model: provider()(model),
      tools: { get_weather: weatherTool(calls) },
      stopWhen: stepCountIs(3),
      prompt: 'What is the weather in Paris?',
      maxRetries: 0,
    });
    const text = await result.text;
    expect(calls.length).toBeGreaterThan(0);
    expect((await result.steps).length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/21|sunny/);
  });
});
