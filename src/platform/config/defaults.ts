/**
 * Built-in catalog and plans, used for whatever a config file leaves out. Prices are micro-units per million
 * tokens; limits are per key (per minute) and per organization (per day).
 */
import type { ModelConfig, PlanConfig } from './schema.js';

type ModelInput = Omit<ModelConfig, 'aliases' | 'enabled' | 'defaultMaxTokens'> &
  Partial<Pick<ModelConfig, 'aliases' | 'enabled' | 'defaultMaxTokens'>>;

export const defaultModels: ModelInput[] = [
  {
    id: 'oss-20b',
    displayName: 'OSS 20B',
    description: 'Open-weight 20B reasoning model (gpt-oss-20b). Fast, good default.',
    contextWindow: 131_072,
    maxOutputTokens: 32_768,
    template: 'harmony',
    inputPricePerMTok: 50_000,
    outputPricePerMTok: 200_000,
    aliases: ['gpt-oss-20b'],
  },
  {
    id: 'oss-120b',
    displayName: 'OSS 120B',
    description: 'Open-weight 120B reasoning model (gpt-oss-120b). Highest quality.',
    contextWindow: 131_072,
    maxOutputTokens: 32_768,
    template: 'harmony',
    inputPricePerMTok: 150_000,
    outputPricePerMTok: 600_000,
    aliases: ['gpt-oss-120b'],
  },
  {
    id: 'gemma4',
    displayName: 'Gemma',
    description: "Google's open Gemma family. Balanced quality and speed.",
    contextWindow: 131_072,
    maxOutputTokens: 8_192,
    template: 'gemma4',
    inputPricePerMTok: 100_000,
    outputPricePerMTok: 300_000,
    aliases: ['gemma'],
  },
  {
    id: 'qwen',
    displayName: 'Qwen',
    description: 'Qwen3 instruct model. Multilingual, strong at code.',
    contextWindow: 32_768,
    maxOutputTokens: 8_192,
    template: 'chatml',
    inputPricePerMTok: 60_000,
    outputPricePerMTok: 240_000,
    aliases: ['qwen3'],
  },
];

export const defaultPlans: Partial<PlanConfig>[] = [
  {
    id: 'free',
    name: 'Free',
    kind: 'free',
    limits: { requestsPerMinute: 20, tokensPerMinute: 40_000, requestsPerDay: 500, tokensPerDay: 500_000 },
    maxActiveKeys: 5,
    models: ['oss-20b', 'gemma4', 'qwen'],
  },
  {
    id: 'pro',
    name: 'Pro',
    kind: 'monthly_quota',
    limits: { requestsPerMinute: 300, tokensPerMinute: 1_000_000, requestsPerDay: null, tokensPerDay: null },
    maxActiveKeys: 50,
    models: ['*'],
    monthlyTokens: 50_000_000,
    priceMicrosPerMonth: 20_000_000,
  },
  {
    id: 'credits',
    name: 'Pay as you go',
    kind: 'credits',
    limits: { requestsPerMinute: 600, tokensPerMinute: 2_000_000, requestsPerDay: null, tokensPerDay: null },
    maxActiveKeys: 50,
    models: ['*'],
  },
];
