/** `portal admin orgs …`: find organizations, read one (usage, limits, ledger), disable, enable, plan, credit. */
import type { z } from 'zod';
import type {
  adminLedger,
  AdminOrg,
  AdminOrgPage,
  AdminOrgSummary,
  AdminOrgUsage,
  ledgerAppended,
  OrgLimits,
  planChange,
} from '#src/contracts/admin-responses.js';
import { CliError } from '../command.js';
import { fields, table, type Column } from '../output.js';
import { query, seg, stringOptions, type Action, type Resource } from './action.js';

type AdminLedger = z.infer<typeof adminLedger>;
type PlanChange = z.infer<typeof planChange>;
type LedgerAppended = z.infer<typeof ledgerAppended>;

const ORG_COLUMNS: ReadonlyArray<Column<AdminOrgSummary>> = [
  ['ID', (o) => o.id],
  ['NAME', (o) => o.name],
  ['STATUS', (o) => o.status],
  ['PLAN', (o) => o.plan?.id],
  ['OWNER', (o) => o.owner_email],
  ['KEYS', (o) => o.key_count],
  ['CREATED', (o) => o.created_at.slice(0, 10)],
];

export const orgText = (o: AdminOrg) =>
  fields([
    ['id', o.id],
    ['name', o.name],
    ['status', o.status],
    ['disabled reason', o.disabled_reason],
    ['plan', o.plan ? `${o.plan.id} (${o.plan.name}, ${o.plan.kind})` : null],
    ['owner', o.owner_email],
    ['active keys', o.key_count],
    ['credit balance', typeof o.credit_balance === 'number' ? dollars(o.credit_balance) : null],
    ['created', o.created_at],
  ]);

/** Micro-dollars as dollars with six decimals, the ledger's own precision. */
export const dollars = (micros: number) => `${micros < 0 ? '-' : ''}$${(Math.abs(micros) / 1e6).toFixed(6)}`;

const orgState = (action: 'disable' | 'enable'): Action => ({
  usage: `orgs ${action} ORG_ID [--reason TEXT]`,
  ids: ['ORG_ID'],
  async run({ ids, api, reason }) {
    const org = await api<AdminOrg>('POST', `/orgs/${seg(ids[0])}/${action}`, reason);
    return { json: org, text: `organization ${org.id} is ${org.status}` };
  },
});

export const orgs: Resource = {
  list: {
    usage: 'orgs list [--q TEXT] [--status active|disabled] [--plan PLAN_ID] [--limit N] [--cursor C]',
    options: stringOptions('q', 'status', 'plan', 'limit', 'cursor'),
    async run({ api, values, nextPage }) {
      const q = query(values, { q: 'q', status: 'status', plan: 'plan', limit: 'limit', cursor: 'cursor' });
      const page = await api<AdminOrgPage>('GET', `/orgs${q}`);
      return { json: page, text: table(page.data, ORG_COLUMNS) + nextPage(page.next_cursor) };
    },
  },
  show: {
    usage: 'orgs show ORG_ID',
    ids: ['ORG_ID'],
    async run({ ids, api }) {
      const org = await api<AdminOrg>('GET', `/orgs/${seg(ids[0])}`);
      return { json: org, text: orgText(org) };
    },
  },
  usage: {
    usage: 'orgs usage ORG_ID [--days N]',
    ids: ['ORG_ID'],
    options: stringOptions('days'),
    async run({ ids, api, values }) {
      const usage = await api<AdminOrgUsage>(
        'GET',
        `/orgs/${seg(ids[0])}/usage${query(values, { days: 'days' })}`,
      );
      const rows = [...usage.series, { ...usage.totals, bucket: 'total' }];
      return {
        json: usage,
        text: table(rows, [
          ['DAY', (r) => r.bucket.slice(0, 10)],
          ['REQUESTS', (r) => r.requests],
          ['INPUT TOKENS', (r) => r.input_tokens],
          ['OUTPUT TOKENS', (r) => r.output_tokens],
          ['COST', (r) => dollars(r.cost_micros)],
        ]),
      };
    },
  },
  limits: {
    usage: 'orgs limits ORG_ID',
    ids: ['ORG_ID'],
    async run({ ids, api }) {
      const limits = await api<OrgLimits>('GET', `/orgs/${seg(ids[0])}/limits`);
      return {
        json: limits,
        text: table(limits.data, [
          ['WINDOW', (w) => w.name],
          ['SUBJECT', (w) => (w.subject === 'key' ? `key ${w.key_id ?? ''}` : 'org')],
          ['LIMIT', (w) => w.limit],
          ['USED', (w) => w.used],
          ['REMAINING', (w) => w.remaining],
          ['RESETS', (w) => w.resets_at],
        ]),
      };
    },
  },
  ledger: {
    usage: 'orgs ledger ORG_ID',
    ids: ['ORG_ID'],
    async run({ ids, api }) {
      const ledger = await api<AdminLedger>('GET', `/orgs/${seg(ids[0])}/ledger`);
      const entries = table(ledger.entries, [
        ['ID', (e) => e.id],
        ['WHEN', (e) => e.occurred_at],
        ['KIND', (e) => e.kind],
        ['AMOUNT', (e) => dollars(e.amount_micros)],
        ['DESCRIPTION', (e) => e.description],
      ]);
      return { json: ledger, text: `balance ${dollars(ledger.balance_micros)}\n\n${entries}` };
    },
  },
  disable: orgState('disable'),
  enable: orgState('enable'),
  plan: {
    usage: 'orgs plan ORG_ID --plan PLAN_ID [--reason TEXT]',
    ids: ['ORG_ID'],
    options: stringOptions('plan'),
    async run({ ids, api, values, reason }) {
      if (typeof values.plan !== 'string') throw new CliError('orgs plan needs --plan PLAN_ID');
      const change = await api<PlanChange>('POST', `/orgs/${seg(ids[0])}/plan`, {
        plan_id: values.plan,
        ...reason,
      });
      return {
        json: change,
        text: `organization ${change.org_id}: plan ${change.previous_plan_id ?? '(none)'} → ${change.plan_id}`,
      };
    },
  },
  credit: {
    usage:
      'orgs credit ORG_ID --amount-micros N [--kind grant|adjustment|refund] [--description TEXT] [--reason TEXT]',
    ids: ['ORG_ID'],
    options: stringOptions('amount-micros', 'kind', 'description'),
    async run({ ids, api, values, reason }) {
      const amount = values['amount-micros'];
      if (typeof amount !== 'string' || !/^-?\d+$/.test(amount))
        throw new CliError(
          'orgs credit needs --amount-micros N (a whole number of micro-dollars; $1 = 1000000)',
        );
      const appended = await api<LedgerAppended>('POST', `/orgs/${seg(ids[0])}/ledger`, {
        kind: typeof values.kind === 'string' ? values.kind : 'grant',
        amount_micros: Number(amount),
        ...(typeof values.description === 'string' ? { description: values.description } : {}),
        ...reason,
      });
      const { entry } = appended;
      return {
        json: appended,
        text: `${entry.kind} ${dollars(entry.amount_micros)} recorded (${entry.id}); balance ${dollars(appended.balance_micros)}`,
      };
    },
  },
};
