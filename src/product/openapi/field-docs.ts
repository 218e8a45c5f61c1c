/**
 * Words for the most-read fields of the /v1 request schemas, kept here rather than as `.describe()` calls on
 * the gateway's schemas (those stay lean validators). `describeFields` puts them into the generated JSON
 * Schemas and throws on a field the schema no longer has, so a rename in the gateway fails the document build.
 */

type JsonSchema = { properties?: Record<string, Record<string, unknown>> };

const OPENAI_SHARED = {
  model: 'A model id or alias from GET /v1/models.',
  max_tokens: 'The most tokens to generate; counted against the tokens-per-minute window before the call.',
  temperature: 'Sampling temperature, 0–2. Lower is more deterministic.',
  top_p: 'Nucleus sampling, 0–1.',
  stop: 'Up to 4 sequences where generation stops.',
  stream: 'Send the answer as server-sent events (`text/event-stream`) as it is generated.',
  stream_options: '`include_usage: true` adds a last chunk with token usage (and no choices).',
  n: 'Only 1 is supported.',
};

export const FIELD_DOCS: Record<string, Record<string, string>> = {
  ChatCompletionRequest: {
    ...OPENAI_SHARED,
    messages:
      'The conversation so far: system/developer, user, assistant (with tool_calls) and tool messages.',
    max_completion_tokens: 'Same as max_tokens (OpenAI’s newer name); wins when both are sent.',
    tools:
      'Functions the model may call (up to 128), each with a JSON Schema for its arguments. Needs a model ' +
      'whose capabilities.tools is true.',
    tool_choice: '`auto` (default with tools), `none`, `required`, or a named function.',
    parallel_tool_calls: 'Whether the model may call several tools in one answer.',
    response_format:
      '`json_object` for any JSON object, or `json_schema` for an answer validated against your schema ' +
      '(a failing answer is retried once, then refused with invalid_model_output).',
    reasoning_effort:
      'How much the model reasons first, on models that reason: `low`, `medium`, `high` (`none` and `minimal` act as low, `xhigh` as high).',
  },
  CompletionRequest: {
    ...OPENAI_SHARED,
    max_tokens: 'The most tokens to generate (default 16, as at OpenAI).',
    prompt: 'The text to continue, sent to the model as is (one prompt per request).',
  },
  MessagesRequest: {
    model: 'A model id or alias from GET /v1/models.',
    max_tokens: 'The most tokens to generate (required, as at Anthropic).',
    messages:
      'Alternating user and assistant turns; content as a string or blocks (text, tool_use, tool_result).',
    system: 'The system prompt, as a string or text blocks.',
    stream: 'Send the answer as Anthropic’s server-sent events as it is generated.',
    tools: 'Custom tools, each with an input_schema. Server tools are refused by name.',
    tool_choice: '`auto`, `any`, `none`, or `{type: "tool", name}`.',
    thinking:
      '`{type: "enabled", budget_tokens}` (at least 1024) returns the model’s reasoning as thinking blocks.',
  },
};

/** Adds the descriptions of `FIELD_DOCS[name]` to a generated schema (in place). */
export function describeFields(name: string, schema: JsonSchema): void {
  for (const [field, description] of Object.entries(FIELD_DOCS[name] ?? {})) {
    const property = schema.properties?.[field];
    if (!property) throw new Error(`OpenAPI: ${name} has no field "${field}" to describe (field-docs.ts)`);
    property.description = description;
  }
}
