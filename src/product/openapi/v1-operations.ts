/**
 * The /v1 operations of the OpenAPI document: OpenAI chat and text completions, Anthropic messages and the
 * model lists, each with its request schema (the gateway's own, from src/contracts/v1.ts), whole and
 * streamed (`text/event-stream`) answers, rate-limit headers and every error it can answer.
 */
import {
  anthropicModel,
  anthropicModelList,
  chatCompletion,
  chatCompletionChunk,
  chatCompletionRequest,
  completionRequest,
  message,
  messageStreamEvent,
  messagesRequest,
  textCompletion,
  textCompletionChunk,
  v1Model,
  v1ModelList,
} from '#src/contracts/v1.js';
import { codesFor } from './errors.js';
import type { Operation } from './operation.js';

/** Named schemas of /v1 (components.schemas), with the side of the wire they describe. */
export const V1_SCHEMAS = {
  ChatCompletionRequest: { schema: chatCompletionRequest, io: 'input' },
  ChatCompletion: { schema: chatCompletion, io: 'output' },
  ChatCompletionChunk: { schema: chatCompletionChunk, io: 'output' },
  CompletionRequest: { schema: completionRequest, io: 'input' },
  TextCompletion: { schema: textCompletion, io: 'output' },
  TextCompletionChunk: { schema: textCompletionChunk, io: 'output' },
  MessagesRequest: { schema: messagesRequest, io: 'input' },
  Message: { schema: message, io: 'output' },
  MessageStreamEvent: { schema: messageStreamEvent, io: 'output' },
  Model: { schema: v1Model, io: 'output' },
  ModelList: { schema: v1ModelList, io: 'output' },
  AnthropicModel: { schema: anthropicModel, io: 'output' },
  AnthropicModelList: { schema: anthropicModelList, io: 'output' },
} as const;

type SchemaName = keyof typeof V1_SCHEMAS;
const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });

const KEY_SECURITY: Operation['security'] = [{ apiKey: [] }, { anthropicApiKey: [] }];

/**
 * The 200 of an inference operation: the whole answer as JSON, or its events as `text/event-stream` whose
 * data schema is named in `x-event-schema` (OpenAPI 3.1 has no schema for a stream's items).
 */
const answered = (what: string, whole: SchemaName, event: SchemaName, stream: string) => ({
  status: 200,
  description: `The ${what} (JSON), or its events (\`text/event-stream\`) when \`stream\` is true.`,
  rateLimitHeaders: true,
  content: {
    'application/json': { schema: ref(whole) },
    'text/event-stream': { schema: { type: 'string', description: stream }, 'x-event-schema': ref(event) },
  },
});

const openaiStream = (name: SchemaName) =>
  `Server-sent events. Each \`data:\` line is one ${name} as JSON; the stream ends with \`data: [DONE]\`. A ` +
  'failure after the stream started arrives as one `data:` line holding an OpenAI error object, then ' +
  '`data: [DONE]`. Comment lines (`: keep-alive`) may appear while the model thinks.';

const chatExamples = {
  basic: {
    summary: 'A question',
    value: { model: 'oss-20b', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 64 },
  },
  streamed: {
    summary: 'Streamed, with usage in the last chunk',
    value: {
      model: 'oss-20b',
      messages: [{ role: 'user', content: 'Count to five.' }],
      stream: true,
      stream_options: { include_usage: true },
    },
  },
  tools: {
    summary: 'Tool calling',
    value: {
      model: 'oss-20b',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
      tool_choice: 'auto',
    },
  },
  structured: {
    summary: 'Structured output (JSON Schema)',
    value: {
      model: 'oss-20b',
      messages: [{ role: 'user', content: 'Name a colour and its hex code.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'colour',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, hex: { type: 'string' } },
            required: ['name', 'hex'],
            additionalProperties: false,
          },
        },
      },
    },
  },
};

export const V1_OPERATIONS: Operation[] = [
  {
    method: 'POST',
    path: '/v1/chat/completions',
    operationId: 'createChatCompletion',
    tag: 'Chat completions',
    summary: 'Create a chat completion',
    description:
      'OpenAI’s chat completions: messages in, an answer out — whole, or streamed with `stream: true`. ' +
      'Tools (`tools`, `tool_choice`, `parallel_tool_calls`), structured output (`response_format` ' +
      '`json_object` / `json_schema`) and `reasoning_effort` work on models whose `capabilities` say so ' +
      '(GET /v1/models). Unknown arguments are refused with a 400 naming them.',
    security: KEY_SECURITY,
    request: { content: ref('ChatCompletionRequest'), examples: chatExamples },
    success: answered('answer', 'ChatCompletion', 'ChatCompletionChunk', openaiStream('ChatCompletionChunk')),
    errors: codesFor('v1', true),
    flavor: 'openai',
  },
  {
    method: 'POST',
    path: '/v1/completions',
    operationId: 'createCompletion',
    tag: 'Completions',
    summary: 'Create a text completion (legacy)',
    description:
      'OpenAI’s legacy completions: the prompt goes to the model as is, with no chat template. One prompt ' +
      'per request; `max_tokens` defaults to 16 as at OpenAI.',
    security: KEY_SECURITY,
    request: {
      content: ref('CompletionRequest'),
      examples: { basic: { value: { model: 'oss-20b', prompt: 'Once upon a time', max_tokens: 32 } } },
    },
    success: answered(
      'completion',
      'TextCompletion',
      'TextCompletionChunk',
      openaiStream('TextCompletionChunk'),
    ),
    errors: codesFor('v1', true),
    flavor: 'openai',
  },
  {
    method: 'POST',
    path: '/v1/messages',
    operationId: 'createMessage',
    tag: 'Messages (Anthropic)',
    summary: 'Create a message (Anthropic Messages API)',
    description:
      'Anthropic’s Messages API, so `@anthropic-ai/sdk` works unchanged (send the key as `x-api-key` or ' +
      'a bearer token). Text, tool use and tool results, extended `thinking`; errors in Anthropic’s shape.',
    security: KEY_SECURITY,
    request: {
      content: ref('MessagesRequest'),
      examples: {
        basic: {
          value: { model: 'oss-20b', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello.' }] },
        },
      },
    },
    success: answered(
      'message',
      'Message',
      'MessageStreamEvent',
      'Server-sent events in Anthropic’s order: `message_start`, then per content block ' +
        '`content_block_start`, `content_block_delta`…, `content_block_stop`, then `message_delta` and ' +
        '`message_stop`. Each has an `event:` line naming its type and a `data:` line holding a ' +
        'MessageStreamEvent; `ping` events keep the connection alive; a failure arrives as an `error` event.',
    ),
    errors: codesFor('v1', true),
    flavor: 'anthropic',
  },
  {
    method: 'GET',
    path: '/v1/models',
    operationId: 'listModels',
    tag: 'Models',
    summary: 'List the models this key may call',
    description:
      'OpenAI’s list format with each model’s context window, output limit and capabilities; Anthropic’s ' +
      'format when the request sends an `anthropic-version` header (the Anthropic SDK’s `models.list()`).',
    security: KEY_SECURITY,
    success: {
      status: 200,
      description: 'The models.',
      content: { 'application/json': { schema: { anyOf: [ref('ModelList'), ref('AnthropicModelList')] } } },
    },
    errors: codesFor('v1-models', false),
    flavor: 'either',
  },
  {
    method: 'GET',
    path: '/v1/models/:id{.+}',
    operationId: 'retrieveModel',
    tag: 'Models',
    summary: 'Retrieve one model',
    description: 'One model by id or alias (Anthropic’s format with `anthropic-version`).',
    security: KEY_SECURITY,
    success: {
      status: 200,
      description: 'The model.',
      content: { 'application/json': { schema: { anyOf: [ref('Model'), ref('AnthropicModel')] } } },
    },
    errors: codesFor('v1-models', false),
    flavor: 'either',
  },
];
