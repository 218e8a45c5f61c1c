/** Shared tool-calling fixtures for the SDK tests: the launch models, a weather tool and its implementation. */
import { afterAll, beforeAll } from 'vitest';
import { upsertPlan } from './fixtures.js';
import { startTestPortal, type TestPortal } from './harness.js';

export const LAUNCH_MODELS = ['oss-20b', 'oss-120b', 'gemma4', 'qwen'] as const;

export const weatherParameters = {
  type: 'object' as const,
  properties: {
    city: { type: 'string', description: 'City name, e.g. Paris' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
  },
  required: ['city'],
  additionalProperties: false,
};

export const timeParameters = {
  type: 'object' as const,
  properties: { timezone: { type: 'string' } },
  required: ['timezone'],
  additionalProperties: false,
};

/** What the tool "returns": distinctive text the model's next answer can be checked against. */
export const weatherResult = (args: { city?: unknown }) =>
  JSON.stringify({ city: args.city, temperature: 21, conditions: 'sunny' });

export interface ToolsPortal {
  t: TestPortal;
  key: string;
}

/** A Portal on the simulator fleet with an account whose plan allows every model. */
export function usePortal(): ToolsPortal {
  const ctx = {} as ToolsPortal;
  beforeAll(async () => {
    ctx.t = await startTestPortal({ sim: { outputTokens: 24 } });
    await upsertPlan(ctx.t.store, 'tools-all', {});
    ctx.key = (await ctx.t.account({ plan: 'tools-all' })).key;
  });
  afterAll(() => ctx.t?.close());
  return ctx;
}
