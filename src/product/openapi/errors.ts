/**
 * The error half of the OpenAPI document: every code of the closed union in `platform/http/errors.ts` with its
 * status, type and what to do, and the error responses of each API family built from it (OpenAI's shape on
 * /v1, /api and /admin/api; Anthropic's on /v1/messages). `describeCode` stays the one source of statuses.
 */
import { describeCode, ERROR_CODES, type ErrorCode } from '#src/platform/http/errors.js';

/** Every code, with what it means for a caller. `satisfies Record<ErrorCode, …>` fails the build when the union
 * gains or loses a code, so the document cannot silently miss one. */
const MEANINGS = {
  invalid_request_error:
    'A parameter is missing, unknown or out of range; `param` names it. Fix the request.',
  invalid_json: 'The body is not valid JSON (or is empty). Send one JSON object.',
  payload_too_large: 'The body is larger than the limit. Shorten the prompt or the request.',
  unsupported_media_type: 'The body is not JSON. Send `content-type: application/json`.',
  not_found: 'No such resource (or it belongs to another organization).',
  method_not_allowed: 'The path exists, but not with this method.',
  unauthorized: 'Sign in (dashboard API) or send the admin token (admin API).',
  forbidden: 'Not allowed from here: the admin API answers only from its allowed addresses.',
  csrf_rejected: 'A cross-site request was refused. Call the dashboard API from its own origin.',
  conflict: 'The resource exists already (e.g. a user with that email).',
  key_limit_reached: 'The plan allows no more active keys. Revoke one or change the plan.',
  invalid_api_key: 'The API key is missing, malformed or unknown. Send `Authorization: Bearer <key>`.',
  key_revoked: 'The key was revoked. Create a new one in the dashboard.',
  key_expired: 'The key passed its expiry date. Create a new one.',
  key_disabled: 'An operator disabled the key. Contact support.',
  account_disabled: 'The organization is disabled. Contact support.',
  model_not_found: 'No such model for this key. List models with GET /v1/models.',
  model_not_allowed: 'The key or the plan may not call this model.',
  model_disabled: 'The model is switched off for now. Try another model or retry later.',
  rate_limit_exceeded:
    'Slow down: a per-key window is full. Retrying after `retry-after` seconds succeeds (`x-should-retry: true`).',
  insufficient_quota:
    'The plan’s allowance or the credit balance is used up; retrying soon does not help (`x-should-retry: false`).',
  context_length_exceeded: 'Prompt plus max_tokens exceed the model’s context window. Shorten one.',
  upstream_unavailable: 'No healthy model server right now. Retry after `retry-after` seconds.',
  upstream_timeout: 'The model server did not answer in time. Retry, perhaps with a smaller max_tokens.',
  upstream_error: 'The model server failed. Retry.',
  invalid_model_output:
    'The model’s answer failed the requested JSON Schema or tool choice twice. Retry or relax the schema.',
  service_unavailable: 'Portal is starting, stopping or cannot reach its store. Retry shortly.',
  internal_error: 'An unexpected error; it was logged with the request id. Retry.',
} as const satisfies Record<ErrorCode, string>;

export { ERROR_CODES };

const BODY = ['invalid_json', 'payload_too_large', 'unsupported_media_type'] as const;
const KEY_AUTH = [
  'invalid_api_key',
  'key_revoked',
  'key_expired',
  'key_disabled',
  'account_disabled',
] as const;
const ALWAYS = ['invalid_request_error', 'internal_error', 'service_unavailable'] as const;

/** Which codes an operation can answer, by API family; `body` adds the JSON-body codes. */
export function codesFor(family: 'v1' | 'v1-models' | 'api' | 'admin', body: boolean): ErrorCode[] {
  const codes: ErrorCode[] = [...ALWAYS, ...(body ? BODY : [])];
  switch (family) {
    case 'v1':
      return [
        ...codes,
        ...KEY_AUTH,
        'rate_limit_exceeded',
        'insufficient_quota',
        'model_not_found',
        'model_not_allowed',
        'model_disabled',
        'context_length_exceeded',
        'upstream_unavailable',
        'upstream_timeout',
        'upstream_error',
        'invalid_model_output',
      ];
    case 'v1-models':
      return [...codes, ...KEY_AUTH, 'rate_limit_exceeded', 'model_not_found'];
    case 'api':
      return [...codes, 'unauthorized', 'account_disabled', 'not_found', 'conflict', 'key_limit_reached'];
    case 'admin':
      return [...codes, 'unauthorized', 'forbidden', 'rate_limit_exceeded', 'not_found', 'conflict'];
  }
}

/** Response headers every answer or some answers carry, as OpenAPI header objects. */
export const HEADERS = {
  RequestId: {
    description: 'Portal’s id of this request (quote it to support). Also on every error.',
    required: true,
    schema: { type: 'string', pattern: '^req_' },
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying (429 and some 503).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  RetryAfterMs: {
    description: 'The same wait in milliseconds (limit refusals).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  ShouldRetry: {
    description:
      '`true` for rate_limit_exceeded (waiting helps), `false` for insufficient_quota (it does not).',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
} as const;

const ratelimitHeader = (what: string) => ({
  description: what,
  schema: { type: 'string' },
});

/** x-ratelimit-* on /v1 answers: the tightest window per measure (requests, tokens), OpenAI's names. */
export const RATE_LIMIT_HEADERS = Object.fromEntries(
  (['requests', 'tokens'] as const).flatMap((m) => [
    [`x-ratelimit-limit-${m}`, ratelimitHeader(`The ${m} the tightest window allows.`)],
    [`x-ratelimit-remaining-${m}`, ratelimitHeader(`The ${m} left in that window.`)],
    [`x-ratelimit-reset-${m}`, ratelimitHeader(`When that window frees up, e.g. "6m0s".`)],
  ]),
);

const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

/** The error responses of one operation, one per status, each naming the codes it can carry. */
export function errorResponses(codes: readonly ErrorCode[], flavor: 'openai' | 'anthropic' | 'either') {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = describeCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const openai = {
      allOf: [{ $ref: '#/components/schemas/Error' }],
      properties: { error: { properties: { code: { enum: list } } } },
    };
    const anthropic = { $ref: '#/components/schemas/AnthropicError' };
    // `either`: OpenAI's shape, or Anthropic's when the request sent `anthropic-version`.
    const schema =
      flavor === 'openai' ? openai : flavor === 'anthropic' ? anthropic : { anyOf: [openai, anthropic] };
    responses[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${MEANINGS[c]}`).join('\n\n'),
      headers: {
        'x-request-id': ref('RequestId'),
        ...(status === 429 || status === 503
          ? { 'retry-after': ref('RetryAfter'), 'retry-after-ms': ref('RetryAfterMs') }
          : {}),
        ...(status === 429 ? { 'x-should-retry': ref('ShouldRetry') } : {}),
      },
      content: { 'application/json': { schema } },
    };
  }
  return responses;
}

/** The table of every code for the document's description (Markdown). */
export function errorTable(): string {
  const rows = ERROR_CODES.map((code) => {
    const { status, type } = describeCode(code);
    // Plain text, not code spans: the renderer breaks code spans mid-word in narrow table columns.
    return `| **${code}** | ${status} | ${type} | ${MEANINGS[code]} |`;
  });
  return ['| code | status | type | what to do |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
