/** The audit log: who changed what and when, why, and the value before and after; filterable, paged. */
import { Filters, type FilterSpec } from '../components/Filters';
import { LoadMore } from '../components/Paging';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { ScrollTable } from '../components/TableCard';
import { adminKey, seg } from '../lib/admin';
import { useCursorList } from '../lib/cursor-list';
import { formatDateTime } from '../lib/format';
import { useQueryParams } from '../lib/query-params';
import type { AuditEntry } from '../lib/types';
import { toIso } from './AdminRequests';
import { AdminHead, Json, Link } from './AdminParts';

const FILTERS = ['actor_id', 'action', 'target_type', 'target_id', 'org_id', 'since', 'until'] as const;
const SPECS: FilterSpec[] = [
  { name: 'actor_id', label: 'Actor ID', placeholder: 'usr_…' },
  { name: 'action', label: 'Action', placeholder: 'e.g. key.disabled' },
  { name: 'target_type', label: 'Target type', placeholder: 'e.g. api_key' },
  { name: 'target_id', label: 'Target ID' },
  { name: 'org_id', label: 'Organization ID', placeholder: 'org_…' },
  { name: 'since', label: 'From', type: 'datetime-local' },
  { name: 'until', label: 'To', type: 'datetime-local' },
];

export function AuditPage() {
  const [params, setParams] = useQueryParams(FILTERS);
  const list = useCursorList<AuditEntry>(adminKey('audit'), '/admin/api/audit', {
    ...params,
    since: toIso(params.since),
    until: toIso(params.until),
  });
  return (
    <>
      <AdminHead title="Audit log">
        Every change a person or operator made, newest first, with the reason they gave.
      </AdminHead>
      <Filters label="Filter the audit log" specs={SPECS} values={params} onApply={setParams} />
      {list.isLoading && <Loading label="Loading the audit log…" />}
      {list.isError && !list.isFetchNextPageError && (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      )}
      {list.isSuccess && list.items.length === 0 && <EmptyState title="No audit entries match" />}
      {list.items.length > 0 && <AuditTable rows={list.items} />}
      <LoadMore {...list} error={list.isFetchNextPageError ? list.error : null} />
    </>
  );
}

/** The audit entries as a table; an organization's page shows its own with `showOrg` off. */
export function AuditTable({ rows, showOrg = true }: { rows: AuditEntry[]; showOrg?: boolean }) {
  const head = ['When', 'Who', 'Action', 'Target', ...(showOrg ? ['Organization'] : []), 'Reason', 'Change'];
  return (
    <ScrollTable
      label="Audit entries"
      head={head.map((h) => (
        <th key={h} scope="col">
          {h}
        </th>
      ))}
    >
      {rows.map((e) => (
        <tr key={e.id} data-audit-id={e.id}>
          <td className="nowrap">{formatDateTime(e.occurred_at)}</td>
          <td>
            {e.actor.email ?? e.actor.kind}
            {e.actor.email && <span className="muted small block">{e.actor.kind}</span>}
          </td>
          <td>
            <code>{e.action}</code>
          </td>
          <td>
            <span className="muted small block">{e.target_type}</span>
            <code>{e.target_id}</code>
          </td>
          {showOrg && (
            <td>
              {e.org_id ? (
                <Link to={`/admin/orgs/${seg(e.org_id)}`}>
                  <code>{e.org_id}</code>
                </Link>
              ) : (
                '—'
              )}
            </td>
          )}
          <td className="reason">{e.reason ?? <span className="muted">—</span>}</td>
          <td>
            {e.before === null && e.after === null ? (
              <span className="muted">—</span>
            ) : (
              <details>
                <summary>Before / after</summary>
                <div className="before-after">
                  <Json value={e.before} label="Before" />
                  <Json value={e.after} label="After" />
                </div>
              </details>
            )}
          </td>
        </tr>
      ))}
    </ScrollTable>
  );
}
