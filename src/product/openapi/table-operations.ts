/**
 * The /api and /admin/api operations of the OpenAPI document, from the contract route tables
 * (`productRoutes`, `adminRoutes`): each route's schemas come from there, its words from `WORDS` below. A
 * route in a table without words fails the document build (and so the start-up test), so a new route gets
 * documented or the build says which one is missing.
 */
import { productRoutes, type RouteContract } from '#src/contracts/index.js';
import { adminRoutes } from '#src/contracts/admin-responses.js';
import { codesFor } from './errors.js';
import { jsonSchema, type Operation } from './operation.js';

/** operationId, tag, summary of each route. */
const WORDS: Record<string, [string, string, string]> = {
  'GET /api/auth/provider': ['getAuthProvider', 'Account', 'Which sign-in the dashboard offers (public)'],
  'GET /api/docs': [
    'getDocsCatalog',
    'Account',
    'Support contact, models with prices and plans with limits, for the docs pages (public)',
  ],
  'GET /api/account': ['getAccount', 'Account', 'The signed-in user, organization, role and plan'],
  'GET /api/models': ['listCatalogModels', 'Account', 'The model catalog as the dashboard shows it'],
  'POST /api/keys': ['createKey', 'Keys', 'Create an API key (the full key is in this response only)'],
  'GET /api/keys': ['listKeys', 'Keys', 'List the organization’s keys'],
  'GET /api/keys/:id': ['getKey', 'Keys', 'Get one key'],
  'PATCH /api/keys/:id': ['updateKey', 'Keys', 'Rename a key or change its expiry, models or limits'],
  'DELETE /api/keys/:id': ['revokeKey', 'Keys', 'Revoke a key (at every gateway instance within a second)'],
  'GET /api/usage': ['getUsage', 'Usage and plan', 'Usage totals, series, breakdowns and limit windows'],
  'GET /api/plan': ['getPlan', 'Usage and plan', 'The plan, credit balance, ledger and available plans'],
  'GET /api/requests': [
    'listRequests',
    'Requests',
    'The organization’s recent requests, newest first (filters: model, status, error code, key)',
  ],
  'GET /api/requests/:request_id': [
    'getRequest',
    'Requests',
    'One request of the organization by its `x-request-id`',
  ],
  'POST /admin/api/users': ['adminCreateUser', 'Admin: users', 'Create an email + password user'],
  'GET /admin/api/users': ['adminListUsers', 'Admin: users', 'List users (or find one by `email`)'],
  'GET /admin/api/users/:id': ['adminGetUser', 'Admin: users', 'Get one user'],
  'POST /admin/api/keys': ['adminCreateKey', 'Admin: keys', 'Create a key for a user or an organization'],
  'GET /admin/api/keys': [
    'adminListKeys',
    'Admin: keys',
    'List an account’s keys (`email` or `org_id`), or find keys by their visible `prefix`',
  ],
  'GET /admin/api/keys/:id': ['adminGetKey', 'Admin: keys', 'Get one key and its organization'],
  'DELETE /admin/api/keys/:id': ['adminRevokeKey', 'Admin: keys', 'Revoke a key'],
  'POST /admin/api/keys/:id/disable': ['adminDisableKey', 'Admin: keys', 'Disable a key'],
  'POST /admin/api/keys/:id/enable': ['adminEnableKey', 'Admin: keys', 'Enable a disabled key'],
  'GET /admin/api/orgs': [
    'adminListOrgs',
    'Admin: organizations',
    'Search organizations by name, id or owner email; filter by status and plan',
  ],
  'GET /admin/api/orgs/:id': ['adminGetOrg', 'Admin: organizations', 'Get one organization'],
  'GET /admin/api/orgs/:id/usage': [
    'adminOrgUsage',
    'Admin: organizations',
    'Daily usage of an organization',
  ],
  'POST /admin/api/orgs/:id/disable': ['adminDisableOrg', 'Admin: organizations', 'Disable an organization'],
  'POST /admin/api/orgs/:id/enable': ['adminEnableOrg', 'Admin: organizations', 'Enable an organization'],
  'GET /admin/api/orgs/:id/limits': ['adminOrgLimits', 'Admin: organizations', 'Current limit windows'],
  'GET /admin/api/plans': ['adminListPlans', 'Admin: plans and billing', 'Every plan with limits and models'],
  'POST /admin/api/orgs/:id/plan': ['adminChangePlan', 'Admin: plans and billing', 'Move to another plan'],
  'GET /admin/api/orgs/:id/ledger': ['adminGetLedger', 'Admin: plans and billing', 'Balance and ledger'],
  'POST /admin/api/orgs/:id/ledger': [
    'adminAppendLedger',
    'Admin: plans and billing',
    'Grant, adjust, refund',
  ],
  'GET /admin/api/metering': ['adminMetering', 'Admin: operations', 'The usage writer’s numbers'],
  'GET /admin/api/pools': ['adminListPools', 'Admin: operations', 'Router pools with live health'],
  'GET /admin/api/pools/:id': ['adminGetPool', 'Admin: operations', 'One pool with live health'],
  'POST /admin/api/pools/:id/state': ['adminSetPoolState', 'Admin: operations', 'Activate, drain or disable'],
  'POST /admin/api/routers/:id/state': [
    'adminSetRouterState',
    'Admin: operations',
    'Activate, drain, disable',
  ],
  'POST /admin/api/pools/:id/routers': [
    'adminAddRouter',
    'Admin: operations',
    'Add a router to a pool (serving on every instance within a second)',
  ],
  'PATCH /admin/api/routers/:id': ['adminUpdateRouter', 'Admin: operations', 'Change a router added here'],
  'DELETE /admin/api/routers/:id': [
    'adminRemoveRouter',
    'Admin: operations',
    'Remove a router added here (in-flight requests finish)',
  ],
  'GET /admin/api/audit': [
    'adminListAudit',
    'Admin: audit',
    'The audit log, newest first: who did what, when, why, before and after',
  ],
  'GET /admin/api/models': ['adminListModels', 'Admin: models', 'The catalog with status and servability'],
  'POST /admin/api/models/:id/disable': ['adminDisableModel', 'Admin: models', 'Disable a model everywhere'],
  'POST /admin/api/models/:id/enable': ['adminEnableModel', 'Admin: models', 'Enable a model'],
  'GET /admin/api/requests': ['adminListRequests', 'Admin: request logs', 'Request logs, newest first'],
  'GET /admin/api/requests/:id': ['adminGetRequest', 'Admin: request logs', 'One request log'],
};

/** Routes answered without a session (everything else on /api needs one). */
const PUBLIC = new Set(['GET /api/auth/provider', 'GET /api/docs']);

/** Routes whose JSON body may be left out. */
const OPTIONAL_BODY = new Set([
  'POST /admin/api/orgs/:id/disable',
  'POST /admin/api/orgs/:id/enable',
  'POST /admin/api/keys/:id/disable',
  'POST /admin/api/keys/:id/enable',
  'POST /admin/api/models/:id/disable',
  'POST /admin/api/models/:id/enable',
]);

const SESSION = [{ session: [] }];
/** The admin token, or the dashboard session of an admin (docs/decisions/020-admins-as-people.md). */
const ADMIN: Array<Record<string, string[]>> = [{ adminToken: [] }, { session: [] }];

function fromTable(route: RouteContract, family: 'api' | 'admin'): Operation {
  const name = `${route.method} ${route.path}`;
  const words = WORDS[name];
  if (!words) throw new Error(`OpenAPI: no summary for ${name} (add it to WORDS in table-operations.ts)`);
  const [operationId, tag, summary] = words;
  const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
  const isPublic = PUBLIC.has(name);
  return {
    method: route.method,
    path: route.path,
    operationId,
    tag,
    summary,
    security: isPublic ? [] : family === 'api' ? SESSION : ADMIN,
    ...(route.request && hasBody
      ? { request: { content: jsonSchema(route.request, 'input'), optional: OPTIONAL_BODY.has(name) } }
      : {}),
    ...(route.request && !hasBody ? { query: route.request } : {}),
    success: {
      status: route.status,
      description: summary,
      content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
    },
    // Every mutating dashboard call passes the CSRF check, DELETE included.
    errors: isPublic
      ? ['internal_error']
      : [
          ...codesFor(family, hasBody),
          ...(family === 'api' && route.method !== 'GET' ? (['csrf_rejected'] as const) : []),
        ],
    flavor: 'openai',
  };
}

export function tableOperations(): Operation[] {
  return [...productRoutes.map((r) => fromTable(r, 'api')), ...adminRoutes.map((r) => fromTable(r, 'admin'))];
}
