/** Shared tool-calling fixtures for the SDK tests: the launch models, a weather tool and its implementation. */
import { beforeAll } from 'vitest';
import { upsertPlan } from './fixtures.js';
import { usePortal, type TestPortal } from './harness.js';
import type { Caller } from './http.js';
import { anthropicFor, openaiFor } from './sdk.js';

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

/** The two tools the SDK suites offer, as name, description and JSON-schema parameters. */
export const TOOL_DEFINITIONS = [
  { name: 'get_weather', description: 'Current weather in a city', parameters: weatherParameters },
  { name: 'get_time', description: 'Current time in a timezone', parameters: timeParameters },
];

/** What the tool "returns": distinctive text the model's next answer can be checked against. */
export const weatherResult = (args: { city?: unknown }) =>
  JSON.stringify({ city: args.city, temperature: 21, conditions: 'sunny' });

export interface ToolsPortal {
  t: TestPortal;
  key: string;
  /** Requests as the account's key. */
  api: Caller;
  openai(): ReturnType<typeof openaiFor>;
  anthropic(): ReturnType<typeof anthropicFor>;
}

/** A Portal on the simulator fleet with an account whose plan allows every model. */
export function useToolsPortal(): ToolsPortal {
  const t = usePortal({ sim: { outputTokens: 24 } });
  let key = '';
  beforeAll(async () => {
    await upsertPlan(t.store, 'tools-all', {});
    key = (await t.account({ plan: 'tools-all' })).key;
  });
  return {
    t,
    get key() {
      return key;
    },
    get api() {
      return t.as(key);
    },
    openai: () => openaiFor(t.url, key),
    anthropic: () => anthropicFor(t.url, key),
  };
}
