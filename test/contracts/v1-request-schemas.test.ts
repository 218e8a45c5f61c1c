/**
 * The /v1 request schemas of the OpenAPI document agree with the gateway's validators: the contract module
 * re-exports the gateway's own zod objects (so the hot path validates with exactly what the document is
 * generated from), and on a corpus of valid and invalid bodies the document's JSON Schema (ajv) and the
 * gateway's zod schema give the same verdict — except where zod checks what JSON Schema cannot say
 * (`ZOD_ONLY`: refinements over a client's JSON Schema), which the document can only describe in words.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { chatCompletionRequest, completionRequest, messagesRequest } from '#src/contracts/v1.js';
import { messagesSchema } from '#src/contracts/anthropic-requests.js';
import { chatCompletionSchema, completionSchema } from '#src/contracts/openai-requests.js';
import { buildOpenApiDocument } from '#src/product/openapi/document.js';

const doc = buildOpenApiDocument({ version: 'test' });
const ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false });
ajv.addSchema(doc, 'openapi');
const documented = (name: string) => ajv.compile({ $ref: `openapi#/components/schemas/${name}` });

const user = [{ role: 'user', content: 'hi' }];
const tool = (parameters: unknown) => ({ type: 'function', function: { name: 'f', parameters } });

/** Bodies zod refuses that JSON Schema cannot: checks over the JSON Schemas clients send. */
const ZOD_ONLY = new Set(['tool parameters of type string', 'a catastrophic pattern']);

const CORPUS: Array<{ name: string; schema: z.ZodType; doc: string; cases: Record<string, unknown> }> = [
  {
    name: 'chat completions',
    schema: chatCompletionSchema,
    doc: 'ChatCompletionRequest',
    cases: {
      'a question': { model: 'm', messages: user },
      'streamed with usage': {
        model: 'm',
        messages: user,
        stream: true,
        stream_options: { include_usage: true },
      },
      'tools and tool choice': {
        model: 'm',
        messages: user,
        tools: [tool({ type: 'object', properties: { city: { type: 'string' } } })],
        tool_choice: { type: 'function', function: { name: 'f' } },
      },
      'a json_schema response format': {
        model: 'm',
        messages: user,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
      },
      'an unknown argument': { model: 'm', messages: user, colour: 'red' },
      'no messages': { model: 'm', messages: [] },
      'no model': { messages: user },
      'n = 2': { model: 'm', messages: user, n: 2 },
      'temperature 3': { model: 'm', messages: user, temperature: 3 },
      'an unknown role': { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
      'a tool of type retrieval': { model: 'm', messages: user, tools: [{ type: 'retrieval' }] },
      'a tool name with spaces': {
        model: 'm',
        messages: user,
        tools: [{ type: 'function', function: { name: 'a b' } }],
      },
      'tool parameters of type string': { model: 'm', messages: user, tools: [tool({ type: 'string' })] },
      'a catastrophic pattern': {
        model: 'm',
        messages: user,
        tools: [tool({ type: 'object', properties: { a: { type: 'string', pattern: '(a+)+$' } } })],
      },
    },
  },
  {
    name: 'completions',
    schema: completionSchema,
    doc: 'CompletionRequest',
    cases: {
      'a prompt': { model: 'm', prompt: 'Once', max_tokens: 8 },
      'one prompt in a list': { model: 'm', prompt: ['Once'] },
      'two prompts': { model: 'm', prompt: ['a', 'b'] },
      echo: { model: 'm', prompt: 'a', echo: true },
      'max_tokens 0': { model: 'm', prompt: 'a', max_tokens: 0 },
      'no prompt': { model: 'm' },
    },
  },
  {
    name: 'messages',
    schema: messagesSchema,
    doc: 'MessagesRequest',
    cases: {
      'a question': { model: 'm', max_tokens: 8, messages: user },
      'a system prompt and thinking': {
        model: 'm',
        max_tokens: 2048,
        system: 'Be brief.',
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: user,
      },
      'tool use and result': {
        model: 'm',
        max_tokens: 8,
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
        ],
      },
      'no max_tokens': { model: 'm', messages: user },
      'a system role message': { model: 'm', max_tokens: 8, messages: [{ role: 'system', content: 'x' }] },
      'temperature 1.5': { model: 'm', max_tokens: 8, messages: user, temperature: 1.5 },
      'a thinking budget under 1024': {
        model: 'm',
        max_tokens: 8,
        messages: user,
        thinking: { type: 'enabled', budget_tokens: 10 },
      },
      'an unknown argument': { model: 'm', max_tokens: 8, messages: user, colour: 'red' },
    },
  },
];

describe('/v1 request schemas in the OpenAPI document', () => {
  it('are the gateway’s own validators, not copies', () => {
    expect(chatCompletionRequest).toBe(chatCompletionSchema);
    expect(completionRequest).toBe(completionSchema);
    expect(messagesRequest).toBe(messagesSchema);
  });

  for (const { name, schema, doc: docName, cases } of CORPUS)
    it(`agree with the gateway on ${Object.keys(cases).length} ${name} bodies`, () => {
      const validate = documented(docName);
      const verdicts = Object.entries(cases).map(([label, body]) => {
        const gateway = schema.safeParse(body).success;
        const document = validate(body);
        const expected = ZOD_ONLY.has(label) ? !gateway && document : gateway === document;
        return { label, gateway, document, agree: expected };
      });
      expect(verdicts.filter((v) => !v.agree)).toEqual([]);
      // The corpus holds both kinds, so agreement is not vacuous.
      expect(verdicts.some((v) => v.gateway)).toBe(true);
      expect(verdicts.some((v) => !v.gateway)).toBe(true);
    });
});
