/**
 * One operation of the OpenAPI document as data (`Operation`), and its rendering into an OpenAPI 3.1
 * operation object: parameters from the Hono path and the query schema, the JSON request body, the success
 * response with its headers, and one error response per status. Zod schemas become JSON Schema draft 2020-12
 * (OpenAPI 3.1's dialect) with `z.toJSONSchema`: requests as clients send them (`io: 'input'`), responses as
 * Portal writes them (`io: 'output'`). Refinements (e.g. "expires_at must be in the future") have no JSON
 * Schema form and are dropped: the document is a description, the zod schemas stay the validators.
 */
import { z } from 'zod';
import type { ErrorCode } from '#src/platform/http/errors.js';
import { errorResponses, RATE_LIMIT_HEADERS } from './errors.js';

type JsonSchema = Record<string, unknown>;

export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** As registered in Hono (`/api/keys/:id`, `/v1/models/:id{.+}`). */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Security requirements; `[]` for a public operation. */
  security: Array<Record<string, string[]>>;
  request?: {
    content: JsonSchema;
    /** False when the body may be left out. */
    optional?: boolean;
    examples?: Record<string, { summary?: string; value: unknown }>;
  };
  /** Query parameters, from a zod object schema. */
  query?: z.ZodType;
  success: {
    status: number;
    description: string;
    content: Record<string, unknown>;
    rateLimitHeaders?: boolean;
    /** Extra documented response headers. */
    headers?: Record<string, unknown>;
  };
  errors: ErrorCode[];
  flavor: 'openai' | 'anthropic' | 'either';
}

/** A zod schema as JSON Schema 2020-12, without `$schema` (the document's dialect applies). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

/** `/v1/models/:id{.+}` → `/v1/models/{id}` */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
}

function parametersOf(op: Operation) {
  const path = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (!op.query) return path;
  const query = jsonSchema(op.query, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return [
    ...path,
    ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query.required?.includes(name) ?? false,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      schema,
    })),
  ];
}

export function renderOperation(op: Operation) {
  const parameters = parametersOf(op);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: op.security,
    ...(parameters.length ? { parameters } : {}),
    ...(op.request
      ? {
          requestBody: {
            required: !op.request.optional,
            content: {
              'application/json': {
                schema: op.request.content,
                ...(op.request.examples ? { examples: op.request.examples } : {}),
              },
            },
          },
        }
      : {}),
    responses: {
      [String(op.success.status)]: {
        description: op.success.description,
        headers: {
          'x-request-id': { $ref: '#/components/headers/RequestId' },
          ...(op.success.rateLimitHeaders ? RATE_LIMIT_HEADERS : {}),
          ...op.success.headers,
        },
        content: op.success.content,
      },
      ...errorResponses(op.errors, op.flavor),
    },
  };
}
