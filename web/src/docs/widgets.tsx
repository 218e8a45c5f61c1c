/**
 * Live content inside docs pages (`@widget NAME` lines): the model catalog and the plans' limits from this
 * Portal (GET /api/docs, the same catalog /v1/models serves), and the support contact.
 */
import type { ReactNode } from 'react';
import type { DocsPlan, DocsResponse } from '../lib/types';
import { useDocsFacts } from './facts';
import { SupportChannels } from './Support';
import { ScrollTable } from '../components/TableCard';

const n = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'));
const usd = (micros: number) => `$${(micros / 1e6).toFixed(2)}`;
const capabilities = (c: { tools: boolean; json: boolean; reasoning: boolean }) =>
  [c.tools && 'tools', c.json && 'JSON', c.reasoning && 'reasoning'].filter(Boolean).join(', ');

/** Renders `view` once GET /api/docs has answered, or says it is loading / could not load `what`. */
function WithFacts({ what, view }: { what: string; view: (facts: DocsResponse) => ReactNode }) {
  const facts = useDocsFacts();
  if (facts.isLoading) return <p className="muted">Loading {what}…</p>;
  if (!facts.data) return <p className="notice notice-error">The {what} could not be loaded.</p>;
  return view(facts.data);
}

function ModelsTable({ facts }: { facts: DocsResponse }) {
  const planName = (id: string) => facts.plans.find((p) => p.id === id)?.name ?? id;
  return (
    <ScrollTable
      className="table doc-table"
      label="Models"
      head={
        <>
          <th>Model</th>
          <th>Context window</th>
          <th>Max output</th>
          <th>Capabilities</th>
          <th>Price / 1M tokens (in · out)</th>
          <th>Plans</th>
          <th>Status</th>
        </>
      }
    >
      {facts.models.map((m) => (
        <tr key={m.id}>
          <td>
            <code>{m.id}</code>
            <div className="muted small">
              {m.name}
              {m.aliases.length ? ` · also ${m.aliases.join(', ')}` : ''}
            </div>
          </td>
          <td>{n(m.context_window)}</td>
          <td>{n(m.max_output_tokens)}</td>
          <td>{capabilities(m.capabilities) || '—'}</td>
          <td>
            {usd(m.input_price_per_mtok_micros)} · {usd(m.output_price_per_mtok_micros)}
          </td>
          <td>{m.plans.map(planName).join(', ') || '—'}</td>
          <td>{m.status === 'available' ? 'available' : 'unavailable now'}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}

const LIMITS: Array<[keyof DocsPlan['limits'], string]> = [
  ['requests_per_minute', 'Requests / min (per key)'],
  ['tokens_per_minute', 'Tokens / min (per key)'],
  ['requests_per_day', 'Requests / day (account)'],
  ['tokens_per_day', 'Tokens / day (account)'],
  ['tokens_per_month', 'Tokens / 30 days (account)'],
];

function PlansTable({ plans }: { plans: DocsPlan[] }) {
  return (
    <ScrollTable
      className="table doc-table"
      label="Plan limits"
      head={
        <>
          <th>Limit</th>
          {plans.map((p) => (
            <th key={p.id}>{p.name}</th>
          ))}
        </>
      }
    >
      {LIMITS.map(([name, label]) => (
        <tr key={name}>
          <td>
            {label}
            <div className="muted small">
              <code>{name}</code>
            </div>
          </td>
          {plans.map((p) => (
            <td key={p.id}>{n(p.limits[name])}</td>
          ))}
        </tr>
      ))}
      <tr>
        <td>Active keys</td>
        {plans.map((p) => (
          <td key={p.id}>{n(p.max_active_keys)}</td>
        ))}
      </tr>
      <tr>
        <td>Billing</td>
        {plans.map((p) => (
          <td key={p.id}>
            {p.kind === 'credits' ? 'prepaid credits' : p.kind === 'monthly_quota' ? 'monthly quota' : 'free'}
          </td>
        ))}
      </tr>
    </ScrollTable>
  );
}

export const WIDGETS: Record<string, () => ReactNode> = {
  models: () => <WithFacts what="model catalog" view={(facts) => <ModelsTable facts={facts} />} />,
  plans: () => <WithFacts what="plans" view={(facts) => <PlansTable plans={facts.plans} />} />,
  support: () => <SupportChannels />,
};
