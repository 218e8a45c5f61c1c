/** The official SDKs pointed at a test Portal, as a developer would configure them (no retries in tests). */
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

export const openaiFor = (url: string, apiKey: string) =>
  new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 });

export const anthropicFor = (url: string, apiKey: string) =>
  new Anthropic({ apiKey, baseURL: url, maxRetries: 0 });
