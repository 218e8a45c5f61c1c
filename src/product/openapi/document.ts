/**
 * The OpenAPI 3.1 document of Portal's three APIs — `/v1` (OpenAI and Anthropic compatible), `/api` (the
 * dashboard's, behind the session cookie) and `/admin/api` (behind the admin token) — generated from the
 * contract schemas and the error code union. Built once per public URL (start-up), served by ./route.ts.
 * better-auth's own `/api/auth/*` endpoints are not described: they are the dashboard's sign-in plumbing.
 */
import { errorBody } from '#src/contracts/index.js';
import { anthropicError } from '#src/contracts/v1.js';
import { errorTable, HEADERS } from './errors.js';
import { describeFields } from './field-docs.js';
import { jsonSchema, openApiPath, renderOperation, type Operation } from './operation.js';
import { tableOperations } from './table-operations.js';
import { V1_OPERATIONS, V1_SCHEMAS } from './v1-operations.js';

export interface DocumentOptions {
  /** `server.publicUrl`; the document's server is relative (`/`) without one. */
  publicUrl?: string;
  version: string;
}

const TAG_GROUPS = [
  {
    name: 'Inference API (/v1)',
    tags: ['Chat completions', 'Completions', 'Messages (Anthropic)', 'Models'],
  },
  { name: 'Dashboard API (/api)', tags: ['Account', 'Keys', 'Usage and plan'] },
  {
    name: 'Admin API (/admin/api)',
    tags: [
      'Admin: users',
      'Admin: keys',
      'Admin: organizations',
      'Admin: plans and billing',
      'Admin: models',
      'Admin: operations',
      'Admin: request logs',
    ],
  },
];

const DESCRIPTION = `Portal is an OpenAI-compatible (and Anthropic-compatible) inference API. Create a key in the dashboard,
then call \`/v1\` with the official SDKs pointed at this server. Guides: [/docs](/docs).

Every answer carries \`x-request-id\`; quote it to support. Errors have one shape per API: OpenAI's
\`{"error":{"message","type","param","code"}}\` on \`/v1\`, \`/api\` and \`/admin/api\`, Anthropic's
\`{"type":"error","error":{"type","message"}}\` on \`/v1/messages\` (and on any \`/v1\` call sending
\`anthropic-version\`). The codes:

${errorTable()}`;

/** Every operation of the document (exported for the tests that walk the app's routes against it). */
export function operations(): Operation[] {
  return [...V1_OPERATIONS, ...tableOperations()];
}

export function buildOpenApiDocument(options: DocumentOptions) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations()) {
    const path = (paths[openApiPath(op.path)] ??= {});
    path[op.method.toLowerCase()] = renderOperation(op);
  }
  const schemas: Record<string, unknown> = {
    Error: jsonSchema(errorBody, 'output'),
    AnthropicError: jsonSchema(anthropicError, 'output'),
  };
  for (const [name, { schema, io }] of Object.entries(V1_SCHEMAS)) {
    const generated = jsonSchema(schema, io);
    describeFields(name, generated);
    schemas[name] = generated;
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Portal API',
      version: options.version,
      description: DESCRIPTION,
    },
    servers: [{ url: options.publicUrl ?? '/', description: 'This Portal' }],
    tags: TAG_GROUPS.flatMap((g) => g.tags.map((name) => ({ name }))),
    'x-tagGroups': TAG_GROUPS,
    paths,
    components: {
      schemas,
      headers: HEADERS,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key from the dashboard: `Authorization: Bearer ptl_…`.',
        },
        anthropicApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'The same API key, sent the way the Anthropic SDK sends it.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'portal.session_token',
          description:
            'The dashboard’s session cookie, set by signing in (`__Secure-` prefixed on https). Mutating ' +
            'calls must come from the dashboard’s own origin (CSRF check).',
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The operator token (`PORTAL_ADMIN_TOKEN`): `Authorization: Bearer <token>`. An admin’s dashboard ' +
            'session (`session`) works on /admin/api too; anyone else gets 404 there.',
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
