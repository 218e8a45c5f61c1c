/**
 * One organization: who owns it, its plan, status and credit, usage over 30 days, its live limit windows,
 * its keys (with the key actions), its credit ledger and its audit entries; disable or enable it, change
 * its plan, grant credit — each confirmed with a reason.
 */
import { useQuery } from '@tanstack/react-query';
import { useConfirm } from '../components/ConfirmDialog';
import { Facts } from '../components/Facts';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { TableCard } from '../components/TableCard';
import { UsageChart } from '../components/UsageChart';
import { adminGet, adminKey, seg, useAdminAction } from '../lib/admin';
import { ApiError } from '../lib/api';
import { formatDate, formatDateTime, formatInt, microsToUsd } from '../lib/format';
import type { AdminKeyList, AdminLedger, AdminOrg, AdminOrgUsage, AuditPage, OrgLimits } from '../lib/types';
import { Allowance } from './Usage';
import { AdminKeysTable } from './AdminKeys';
import { AuditTable } from './AdminAudit';
import { orgActions } from './admin-org-actions';
import { usePlans } from './AdminOrgs';
import { AdminHead, Link, StatePill } from './AdminParts';

export function OrgDetailPage({ id }: { id: string }) {
  const org = useQuery({
    queryKey: adminKey('org', id),
    queryFn: () => adminGet<AdminOrg>(`/orgs/${seg(id)}`),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const plans = usePlans();
  const act = useAdminAction();
  const [ask, dialog] = useConfirm();
  const missing = org.error instanceof ApiError && org.error.status === 404;
  const o = org.data;
  const actions = o ? orgActions(o, plans.data?.plans ?? [], act, ask) : null;
  return (
    <>
      <Link className="back" to="/admin/orgs">
        ← All organizations
      </Link>
      <AdminHead
        title={o?.name ?? 'Organization'}
        actions={
          actions && (
            <>
              <button type="button" className="btn btn-small" onClick={actions.changePlan}>
                Change plan
              </button>
              <button type="button" className="btn btn-small" onClick={actions.grant}>
                Grant credits
              </button>
              <button
                type="button"
                className={o?.status === 'active' ? 'btn btn-small btn-danger-text' : 'btn btn-small'}
                onClick={actions.toggle}
              >
                {o?.status === 'active' ? 'Disable organization' : 'Enable organization'}
              </button>
            </>
          )
        }
      >
        <code>{id}</code>
      </AdminHead>
      {org.isLoading && <Loading label="Loading the organization…" />}
      {missing && <EmptyState title="No such organization" />}
      {org.isError && !missing && <ErrorState error={org.error} onRetry={() => org.refetch()} />}
      {o && <OrgBody org={o} />}
      {dialog}
    </>
  );
}

function OrgBody({ org: o }: { org: AdminOrg }) {
  return (
    <>
      <section className="card" aria-label="Organization">
        <Facts
          items={[
            ['Status', <StatePill key="s" state={o.status} />],
            ['Disabled because', o.disabled_reason],
            ['Owner', o.owner_email],
            [
              'Plan',
              o.plan ? (
                <span key="p" className="badge">
                  {o.plan.name}
                </span>
              ) : (
                'No plan'
              ),
            ],
            ['Active keys', formatInt(o.key_count)],
            ['Credit balance', o.credit_balance === null ? null : microsToUsd(o.credit_balance)],
            ['Created', formatDate(o.created_at)],
          ]}
        />
      </section>
      <OrgUsageCard id={o.id} />
      <OrgLimitsCard id={o.id} />
      <OrgKeysCard id={o.id} />
      <OrgLedgerCard id={o.id} />
      <OrgAuditCard id={o.id} />
    </>
  );
}

function OrgUsageCard({ id }: { id: string }) {
  const usage = useQuery({
    queryKey: adminKey('org-usage', id),
    queryFn: () => adminGet<AdminOrgUsage>(`/orgs/${seg(id)}/usage?days=30`),
  });
  const series = usage.data?.series ?? [];
  const times = series.map((p) => Math.floor(new Date(p.bucket).getTime() / 1000));
  const total = series.reduce((n, p) => n + p.requests, 0);
  return (
    <section className="card">
      <h2>Usage, last 30 days</h2>
      {usage.isLoading && <Loading label="Loading usage…" />}
      {usage.isError && <ErrorState error={usage.error} onRetry={() => usage.refetch()} />}
      {usage.isSuccess && total === 0 && <p className="muted">No requests in the last 30 days.</p>}
      {total > 0 && (
        <div className="charts">
          <UsageChart title="Requests" times={times} values={series.map((p) => p.requests)} color="#4f46e5" />
          <UsageChart
            title="Tokens"
            times={times}
            values={series.map((p) => p.input_tokens + p.output_tokens)}
            color="#0d9488"
          />
        </div>
      )}
    </section>
  );
}

function OrgLimitsCard({ id }: { id: string }) {
  const limits = useQuery({
    queryKey: adminKey('org-limits', id),
    queryFn: () => adminGet<OrgLimits>(`/orgs/${seg(id)}/limits`),
    refetchInterval: 10_000,
  });
  return (
    <section className="card" aria-labelledby="live-windows">
      <h2 id="live-windows">Live limit windows</h2>
      {limits.isLoading && <Loading label="Loading windows…" />}
      {limits.isError && <ErrorState error={limits.error} onRetry={() => limits.refetch()} />}
      {limits.data?.data.length === 0 && <p className="muted">No limits apply to this organization.</p>}
      {limits.data?.data.map((w) => (
        <Allowance key={`${w.name}-${w.key_id ?? 'org'}`} window={w} />
      ))}
    </section>
  );
}

function OrgKeysCard({ id }: { id: string }) {
  const keys = useQuery({
    queryKey: adminKey('org-keys', id),
    queryFn: () => adminGet<AdminKeyList>(`/keys?org_id=${seg(id)}`),
  });
  return (
    <section className="card">
      <h2>Keys</h2>
      {keys.isLoading && <Loading label="Loading keys…" />}
      {keys.isError && <ErrorState error={keys.error} onRetry={() => keys.refetch()} />}
      {keys.data?.data.length === 0 && <p className="muted">No keys yet.</p>}
      {keys.data && keys.data.data.length > 0 && <AdminKeysTable keys={keys.data.data} showOrg={false} />}
    </section>
  );
}

function OrgLedgerCard({ id }: { id: string }) {
  const ledger = useQuery({
    queryKey: adminKey('org-ledger', id),
    queryFn: () => adminGet<AdminLedger>(`/orgs/${seg(id)}/ledger`),
  });
  const entries = ledger.data?.entries ?? [];
  if (ledger.isError) return <ErrorState error={ledger.error} onRetry={() => ledger.refetch()} />;
  if (entries.length === 0) return null;
  return (
    <TableCard
      title="Credit ledger"
      columns={[
        { label: 'When' },
        { label: 'Kind' },
        { label: 'Description' },
        { label: 'Amount', num: true },
      ]}
    >
      {entries.map((e) => (
        <tr key={e.id}>
          <td className="nowrap">{formatDateTime(e.occurred_at)}</td>
          <td>{e.kind.replace('_', ' ')}</td>
          <td>{e.description}</td>
          <td className="num">{microsToUsd(e.amount_micros)}</td>
        </tr>
      ))}
    </TableCard>
  );
}

function OrgAuditCard({ id }: { id: string }) {
  const audit = useQuery({
    queryKey: adminKey('org-audit', id),
    queryFn: () => adminGet<AuditPage>(`/audit?org_id=${seg(id)}&limit=20`),
  });
  return (
    <section className="card">
      <div className="card-head">
        <h2>Audit log</h2>
        <Link to={`/admin/audit?org_id=${seg(id)}`}>All entries for this organization</Link>
      </div>
      {audit.isLoading && <Loading label="Loading audit entries…" />}
      {audit.isError && <ErrorState error={audit.error} onRetry={() => audit.refetch()} />}
      {audit.data?.data.length === 0 && <p className="muted">No changes recorded.</p>}
      {audit.data && audit.data.data.length > 0 && <AuditTable rows={audit.data.data} showOrg={false} />}
    </section>
  );
}
