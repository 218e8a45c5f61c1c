import { useQuery } from '@tanstack/react-query';
import { ErrorState, Loading, Notice } from '../components/States';
import { api, ApiError } from '../lib/api';
import { formatDate, formatInt, microsToUsd } from '../lib/format';
import type { Account, LedgerEntry, ModelList, PlanInfo, PlanResponse } from '../lib/types';
import { TableCard } from '../components/TableCard';

export function PlanPage({ account }: { account: Account }) {
  const plan = useQuery({
    queryKey: ['plan'],
    queryFn: () => api<PlanResponse>('/api/plan'),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const notYet = plan.error instanceof ApiError && plan.error.status === 404;
  const others = (plan.data?.plans ?? []).filter((p) => p.id !== plan.data?.plan.id).map((p) => p.name);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Plan</h1>
          <p className="muted">What your organization can use, and its limits.</p>
        </div>
      </div>
      {plan.isLoading && <Loading label="Loading your plan…" />}
      {plan.isError && !notYet && <ErrorState error={plan.error} onRetry={() => plan.refetch()} />}
      {(plan.data || notYet) && <CurrentPlan account={account} data={plan.data} />}
      <ModelsCard data={plan.data} />
      {plan.data && plan.data.ledger.length > 0 && <BillingHistory ledger={plan.data.ledger} />}
      <section className="card upgrade">
        <h2>Need more?</h2>
        <p className="muted">
          Higher limits and more keys come with paid plans
          {others.length ? ` (${others.join(', ')})` : ''}. Self-serve upgrades are coming soon; until then,
          contact us to change your plan.
        </p>
        <button type="button" className="btn" disabled>
          Upgrade (coming soon)
        </button>
      </section>
      {notYet && <Notice>Detailed plan information will appear here soon.</Notice>}
    </>
  );
}

function CurrentPlan({ account, data }: { account: Account; data: PlanResponse | undefined }) {
  return (
    <section className="card">
      <div className="card-head">
        <h2>
          {data?.plan.name ?? account.plan.name} <span className="badge">Current plan</span>
        </h2>
        {data && (
          <span className="price">
            {data.plan.price_micros_per_month
              ? `${microsToUsd(data.plan.price_micros_per_month)} / month`
              : 'Free'}
          </span>
        )}
      </div>
      {data ? (
        <Limits plan={data.plan} />
      ) : (
        <p className="muted">Up to {account.plan.max_active_keys} active API keys.</p>
      )}
      {data?.balance_micros !== null && data?.balance_micros !== undefined && (
        <p>
          Credit balance: <strong>{microsToUsd(data.balance_micros)}</strong>
        </p>
      )}
    </section>
  );
}

/** The catalog's models this plan may use (all of them until the plan is known). */
function ModelsCard({ data }: { data: PlanResponse | undefined }) {
  const models = useQuery({ queryKey: ['models'], queryFn: () => api<ModelList>('/api/models') });
  const allowed = (id: string) => !data || data.plan.models.includes('*') || data.plan.models.includes(id);
  return (
    <section className="card">
      <h2>Models</h2>
      {models.isLoading && <Loading />}
      {models.isError && <ErrorState error={models.error} onRetry={() => models.refetch()} />}
      <ul className="model-list">
        {models.data?.data
          .filter((m) => allowed(m.id))
          .map((m) => (
            <li key={m.id}>
              <code>{m.id}</code> <span>{m.name}</span>
              <span className="muted small block">
                {m.description} · {formatInt(m.context_window)} token context
              </span>
            </li>
          ))}
      </ul>
    </section>
  );
}

function BillingHistory({ ledger }: { ledger: LedgerEntry[] }) {
  return (
    <TableCard
      title="Billing history"
      columns={[{ label: 'Date' }, { label: 'Description' }, { label: 'Amount', num: true }]}
    >
      {ledger.map((e) => (
        <tr key={e.id}>
          <td>{formatDate(e.occurred_at)}</td>
          <td>{e.description || e.kind}</td>
          <td className="num">{microsToUsd(e.amount_micros)}</td>
        </tr>
      ))}
    </TableCard>
  );
}

function Limits({ plan }: { plan: PlanInfo }) {
  const rows: Array<[string, number | null]> = [
    ['Requests per minute (per key)', plan.limits.requests_per_minute],
    ['Tokens per minute (per key)', plan.limits.tokens_per_minute],
    ['Requests per day', plan.limits.requests_per_day],
    ['Tokens per day', plan.limits.tokens_per_day],
    ['Tokens per month', plan.monthly_tokens],
    ['Active API keys', plan.max_active_keys],
  ];
  return (
    <dl className="limits">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null ? 'Unlimited' : formatInt(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
