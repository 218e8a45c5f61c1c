/**
 * `portal admin models|pools|routers …`: the catalog's models (disable, enable), pools and their routers with
 * live health (drain, undrain, disable), and routers added, edited or removed through the admin API.
 */
import type { z } from 'zod';
import type {
  AdminModel,
  catalogModel,
  poolList,
  PoolView,
  RouterView,
} from '#src/contracts/admin-responses.js';
import { CliError } from '../command.js';
import { fields, table, type Column } from '../output.js';
import { seg, stringOptions, wholeNumber, type Action, type Resource, type Values } from './action.js';

type PoolList = z.infer<typeof poolList>;
type CatalogModel = z.infer<typeof catalogModel>;
type FleetState = PoolView['state'];

const ROUTER_COLUMNS: ReadonlyArray<Column<RouterView & { pool?: string }>> = [
  ['ID', (r) => r.id],
  ['STATE', (r) => r.state],
  ['BREAKER', (r) => r.breaker.state],
  ['IN FLIGHT', (r) => `${r.inFlight}/${r.maxConcurrency}`],
  // `typeof`: a server from before these fields answers without them.
  ['EWMA MS', (r) => (typeof r.ewmaMs === 'number' ? Math.round(r.ewmaMs) : null)],
  ['ERRORS', (r) => (typeof r.errorRate === 'number' ? `${(r.errorRate * 100).toFixed(1)}%` : null)],
  ['WEIGHT', (r) => r.weight],
  ['SOURCE', (r) => r.source],
  ['URL', (r) => r.baseUrl],
];

const POOL_COLUMNS: ReadonlyArray<Column<PoolView>> = [
  ['ID', (p) => p.id],
  ['NAME', (p) => p.name],
  ['KIND', (p) => p.kind],
  ['STATE', (p) => p.state],
  ['ROUTERS', (p) => p.routers.length],
  ['OPEN', (p) => p.routers.filter((r) => r.breaker.state === 'open').length],
  ['MODELS', (p) => p.models],
];

export function poolText(p: PoolView): string {
  const head = fields([
    ['id', p.id],
    ['name', p.name],
    ['kind', `${p.kind} (${p.apiVersion})`],
    ['state', p.state],
    ['demo', p.isDemo],
    ['models', p.models],
  ]);
  return `${head}\n\n${table(p.routers, ROUTER_COLUMNS, '(no routers)')}`;
}

/** The pool a router is in after a change, with the router's line first. */
const changed = (verb: string, id: string | undefined, pool: PoolView) => ({
  json: pool,
  text: `router ${id ?? ''} ${verb} (pool ${pool.id})\n\n${poolText(pool)}`,
});

const modelState = (action: 'disable' | 'enable'): Action => ({
  usage: `models ${action} MODEL_ID [--reason TEXT]`,
  ids: ['MODEL_ID'],
  async run({ ids, api, reason }) {
    const model = await api<CatalogModel>('POST', `/models/${seg(ids[0])}/${action}`, reason);
    return { json: model, text: `model ${model.id} is ${model.status}` };
  },
});

export const models: Resource = {
  list: {
    usage: 'models list',
    async run({ api }) {
      const list = await api<{ data: AdminModel[] }>('GET', '/models');
      return {
        json: list,
        text: table(list.data, [
          ['ID', (m) => m.id],
          ['STATUS', (m) => m.status],
          ['SERVABLE', (m) => m.servable],
          ['CONTEXT', (m) => m.contextWindow],
          ['POOLS', (m) => m.pools],
          ['ALIASES', (m) => m.aliases],
          ['NAME', (m) => m.displayName],
        ]),
      };
    },
  },
  disable: modelState('disable'),
  enable: modelState('enable'),
};

const poolState = (action: string, state: FleetState): Action => ({
  usage: `pools ${action} POOL_ID [--reason TEXT]`,
  ids: ['POOL_ID'],
  async run({ ids, api, reason }) {
    const pool = await api<PoolView>('POST', `/pools/${seg(ids[0])}/state`, { state, ...reason });
    return { json: pool, text: `pool ${pool.id} is ${pool.state}\n\n${poolText(pool)}` };
  },
});

export const pools: Resource = {
  list: {
    usage: 'pools list',
    async run({ api }) {
      const list = await api<PoolList>('GET', '/pools');
      const demo = list.demo ? '\n\n(demo pools: answers come from the built-in router simulator)' : '';
      return { json: list, text: table(list.data, POOL_COLUMNS) + demo };
    },
  },
  show: {
    usage: 'pools show POOL_ID',
    ids: ['POOL_ID'],
    async run({ ids, api }) {
      const pool = await api<PoolView>('GET', `/pools/${seg(ids[0])}`);
      return { json: pool, text: poolText(pool) };
    },
  },
  drain: poolState('drain', 'draining'),
  undrain: poolState('undrain', 'active'),
  disable: poolState('disable', 'disabled'),
};

const ROUTER_OPTIONS = stringOptions('url', 'secret-ref', 'sessions', 'weight', 'max-concurrency');

/** The router fields given as options, in the API's names. */
function routerFields(values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof values.url === 'string') out.url = values.url;
  if (typeof values['secret-ref'] === 'string') out.secret_ref = values['secret-ref'] || null;
  if (typeof values.sessions === 'string')
    out.sessions = values.sessions
      .split(',')
      .filter(Boolean)
      .map((s) => wholeNumber('sessions', s.trim()));
  const weight = wholeNumber('weight', values.weight, 1);
  if (weight !== undefined) out.weight = weight;
  const maxConcurrency = wholeNumber('max-concurrency', values['max-concurrency'], 1);
  if (maxConcurrency !== undefined) out.max_concurrency = maxConcurrency;
  return out;
}

const routerState = (action: string, state: FleetState): Action => ({
  usage: `routers ${action} ROUTER_ID [--reason TEXT]`,
  ids: ['ROUTER_ID'],
  async run({ ids, api, reason }) {
    const pool = await api<PoolView>('POST', `/routers/${seg(ids[0])}/state`, { state, ...reason });
    return changed(`is ${state}`, ids[0], pool);
  },
});

export const routers: Resource = {
  list: {
    usage: 'routers list',
    async run({ api }) {
      const list = await api<PoolList>('GET', '/pools');
      const rows = list.data.flatMap((p) => p.routers.map((r) => ({ ...r, pool: p.id })));
      return {
        json: list,
        text: table(rows, [['POOL', (r) => r.pool], ...ROUTER_COLUMNS]),
      };
    },
  },
  add: {
    usage:
      'routers add POOL_ID --url URL [--id ID] [--secret-ref ENV_NAME] [--sessions 1,2] [--weight N] [--max-concurrency N] [--reason TEXT]',
    ids: ['POOL_ID'],
    options: { ...ROUTER_OPTIONS, id: { type: 'string' } },
    async run({ ids, api, values, reason }) {
      if (typeof values.url !== 'string') throw new CliError('routers add needs --url');
      const body = {
        ...(typeof values.id === 'string' ? { id: values.id } : {}),
        ...routerFields(values),
        ...reason,
      };
      const pool = await api<PoolView>('POST', `/pools/${seg(ids[0])}/routers`, body);
      const added = values.id ?? pool.routers.find((r) => r.baseUrl === values.url)?.id;
      return changed('added', typeof added === 'string' ? added : undefined, pool);
    },
  },
  edit: {
    usage:
      'routers edit ROUTER_ID [--url URL] [--secret-ref ENV_NAME] [--sessions 1,2] [--weight N] [--max-concurrency N] [--reason TEXT]',
    ids: ['ROUTER_ID'],
    options: ROUTER_OPTIONS,
    async run({ ids, api, values, reason }) {
      const change = routerFields(values);
      if (!Object.keys(change).length) throw new CliError('routers edit needs at least one field to change');
      const pool = await api<PoolView>('PATCH', `/routers/${seg(ids[0])}`, { ...change, ...reason });
      return changed('changed', ids[0], pool);
    },
  },
  remove: {
    usage: 'routers remove ROUTER_ID [--reason TEXT]',
    ids: ['ROUTER_ID'],
    async run({ ids, api, reason }) {
      const pool = await api<PoolView>('DELETE', `/routers/${seg(ids[0])}`, reason);
      return changed('removed', ids[0], pool);
    },
  },
  drain: routerState('drain', 'draining'),
  undrain: routerState('undrain', 'active'),
  disable: routerState('disable', 'disabled'),
};
