/** `portal admin keys|requests|audit …`: keys by owner or prefix, the request log, the audit log. */
import type { z } from 'zod';
import type {
  AdminKey,
  AdminKeyList,
  AuditEntry,
  AuditPage,
  RequestLog,
  RequestLogPage,
} from '#src/contracts/admin-responses.js';
import type { apiKey } from '#src/contracts/product.js';
import { CliError } from '../command.js';
import { fields, table } from '../output.js';
import { query, seg, stringOptions, type Action, type Resource } from './action.js';

type ApiKey = z.infer<typeof apiKey>;

const keyText = (k: AdminKey) =>
  fields([
    ['id', k.id],
    ['name', k.name],
    ['organization', k.org_id],
    ['key', k.redacted],
    ['status', k.status],
    ['models', k.models ?? 'plan default'],
    ['requests/min', k.limits.requests_per_minute ?? 'plan default'],
    ['tokens/min', k.limits.tokens_per_minute ?? 'plan default'],
    ['created', k.created_at],
    ['last used', k.last_used_at],
    ['expires', k.expires_at],
    ['revoked', k.revoked_at],
  ]);

const keyState = (action: 'disable' | 'enable' | 'revoke'): Action => ({
  usage: `keys ${action} KEY_ID [--reason TEXT]`,
  ids: ['KEY_ID'],
  async run({ ids, api, reason }) {
    const path = `/keys/${seg(ids[0])}`;
    const key =
      action === 'revoke'
        ? await api<ApiKey>('DELETE', path, reason)
        : await api<ApiKey>('POST', `${path}/${action}`, reason);
    return { json: key, text: `key ${key.id} is ${key.status}` };
  },
});

export const keys: Resource = {
  list: {
    usage: 'keys list --org-id ORG_ID | --email EMAIL | --prefix PREFIX',
    options: stringOptions('org-id', 'email', 'prefix'),
    async run({ api, values }) {
      const q = query(values, { 'org-id': 'org_id', email: 'email', prefix: 'prefix' });
      if (!q) throw new CliError('keys list needs --org-id, --email or --prefix');
      const list = await api<AdminKeyList>('GET', `/keys${q}`);
      return {
        json: list,
        text: table(list.data, [
          ['ID', (k) => k.id],
          // Each key names its organization (older servers named it once, beside the list).
          ['ORG', (k) => (k.org_id as string | undefined) ?? list.org_id],
          ['KEY', (k) => k.redacted],
          ['STATUS', (k) => k.status],
          ['CREATED', (k) => k.created_at.slice(0, 10)],
          ['LAST USED', (k) => k.last_used_at?.slice(0, 19)],
          ['NAME', (k) => k.name],
        ]),
      };
    },
  },
  show: {
    usage: 'keys show KEY_ID',
    ids: ['KEY_ID'],
    async run({ ids, api }) {
      const key = await api<AdminKey>('GET', `/keys/${seg(ids[0])}`);
      return { json: key, text: keyText(key) };
    },
  },
  disable: keyState('disable'),
  enable: keyState('enable'),
  revoke: keyState('revoke'),
};

const REQUEST_FILTERS = {
  'org-id': 'org_id',
  'key-id': 'key_id',
  model: 'model',
  status: 'status',
  'error-code': 'error_code',
  since: 'since',
  until: 'until',
  limit: 'limit',
  cursor: 'cursor',
};

const requestText = (r: RequestLog) =>
  fields([
    ['request', r.requestId],
    ['when', r.occurredAt],
    ['organization', r.orgId],
    ['key', r.keyId],
    ['endpoint', `${r.method} ${r.endpoint}${r.stream ? ' (stream)' : ''}`],
    ['model', r.modelId],
    ['pool / router', r.poolId ? `${r.poolId} / ${r.routerId ?? '-'}` : null],
    ['status', r.errorCode ? `${r.status} ${r.errorCode}` : r.status],
    ['latency ms', r.latencyMs],
    ['ttft ms', r.ttftMs],
    ['tokens in / out', `${r.inputTokens} / ${r.outputTokens}`],
    ['client request id', r.clientRequestId],
    ['bodies kept until', r.bodyExpiresAt],
  ]);

export const requests: Resource = {
  list: {
    usage:
      'requests list [--org-id ID] [--key-id ID] [--model ID] [--status N] [--error-code CODE] [--since ISO] [--until ISO] [--limit N] [--cursor C]',
    options: stringOptions(...Object.keys(REQUEST_FILTERS)),
    async run({ api, values, nextPage }) {
      const page = await api<RequestLogPage>('GET', `/requests${query(values, REQUEST_FILTERS)}`);
      const rows = table(page.data, [
        ['REQUEST', (r) => r.requestId],
        ['WHEN', (r) => r.occurredAt.slice(0, 19)],
        ['ORG', (r) => r.orgId],
        ['MODEL', (r) => r.modelId],
        ['STATUS', (r) => r.status],
        ['ERROR', (r) => r.errorCode],
        ['MS', (r) => r.latencyMs],
        ['TOKENS', (r) => `${r.inputTokens}/${r.outputTokens}`],
        ['ENDPOINT', (r) => r.endpoint],
      ]);
      return { json: page, text: rows + nextPage(page.next_cursor) };
    },
  },
  show: {
    usage: 'requests show REQUEST_ID',
    ids: ['REQUEST_ID'],
    async run({ ids, api }) {
      const row = await api<RequestLog>('GET', `/requests/${seg(ids[0])}`);
      return { json: row, text: requestText(row) };
    },
  },
};

const AUDIT_FILTERS = {
  'actor-id': 'actor_id',
  action: 'action',
  'target-type': 'target_type',
  'target-id': 'target_id',
  'org-id': 'org_id',
  since: 'since',
  until: 'until',
  limit: 'limit',
  cursor: 'cursor',
};

const actorText = (a: AuditEntry['actor']) => ((a.email ?? a.id) ? `${a.kind}:${a.email ?? a.id}` : a.kind);

export const audit: Resource = {
  list: {
    usage:
      'audit list [--actor-id ID] [--action NAME] [--target-type TYPE] [--target-id ID] [--org-id ID] [--since ISO] [--until ISO] [--limit N] [--cursor C]',
    options: stringOptions(...Object.keys(AUDIT_FILTERS)),
    async run({ api, values, nextPage }) {
      const page = await api<AuditPage>('GET', `/audit${query(values, AUDIT_FILTERS)}`);
      const rows = table(page.data, [
        ['WHEN', (e) => e.occurred_at.slice(0, 19)],
        ['ACTOR', (e) => actorText(e.actor)],
        ['ACTION', (e) => e.action],
        ['TARGET', (e) => `${e.target_type}:${e.target_id}`],
        ['ORG', (e) => e.org_id],
        ['REASON', (e) => e.reason],
      ]);
      return { json: page, text: rows + nextPage(page.next_cursor) };
    },
  },
};
