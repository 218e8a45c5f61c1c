/** The audit log: who changed what and when, why, and the value before and after; filterable, paged. */
import { useState } from 'react';
import { Filters, type FilterSpec } from '../components/Filters';
import { ListError, LoadMore } from '../components/Paging';
import { EmptyState, Loading } from '../components/States';
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
  // `?limit=` sets the page size from the address (no field: the API's default suits a person).
  const [params, setParams] = useQueryParams([...FILTERS, 'limit'] as const);
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
      <ListError list={list} />
      {list.isSuccess && list.items.length === 0 && <EmptyState title="No audit entries match" />}
      {list.items.length > 0 && <AuditTable rows={list.items} />}
      <LoadMore list={list} />
    </>
  );
}

/** The audit entries as a table; an organization's page shows its own with `showOrg` off. */
export function AuditTable({ rows, showOrg = true }: { rows: AuditEntry[]; showOrg?: boolean }) {
  const [open, setOpen] = useState<string | null>(null);
  const head = ['When', 'Who', 'What', 'Reason', ''];
  return (
    <ScrollTable
      label="Audit entries"
      head={head.map((h) => (
        <th key={h || 'change'} scope="col">
          {h || <span className="sr-only">Change</span>}
        </th>
      ))}
    >
      {rows.map((e) => (
        <AuditRow
          key={e.id}
          entry={e}
          showOrg={showOrg}
          columns={head.length}
          open={open === e.id}
          onToggle={() => setOpen(open === e.id ? null : e.id)}
        />
      ))}
    </ScrollTable>
  );
}

/** One entry; its before and after open in a full-width row under it. */
function AuditRow(props: {
  entry: AuditEntry;
  showOrg: boolean;
  columns: number;
  open: boolean;
  onToggle: () => void;
}) {
  const { entry: e, open } = props;
  const changed = e.before !== null || e.after !== null;
  return (
    <>
      <tr data-audit-id={e.id}>
        <td className="nowrap">{formatDateTime(e.occurred_at)}</td>
        <td className="who">
          {e.actor.email ?? e.actor.kind}
          {e.actor.email && <span className="muted small block">{e.actor.kind}</span>}
        </td>
        <td>
          <code>{e.action}</code>
          <span className="muted small block">
            {e.target_type} <code>{e.target_id}</code>
          </span>
          {props.showOrg && e.org_id && (
            <span className="muted small block">
              in{' '}
              <Link to={`/admin/orgs/${seg(e.org_id)}`}>
                <code>{e.org_id}</code>
              </Link>
            </span>
          )}
        </td>
        <td className="reason">{e.reason ?? <span className="muted">—</span>}</td>
        <td className="actions">
          {changed && (
            <button
              type="button"
              className="btn btn-small btn-quiet"
              aria-expanded={open}
              aria-controls={`change-${e.id}`}
              onClick={props.onToggle}
            >
              {open ? 'Hide change' : 'Before / after'}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr id={`change-${e.id}`} className="detail-row">
          <td colSpan={props.columns}>
            <div className="before-after">
              <div>
                <h3>Before</h3>
                <Json value={e.before} label="Before" />
              </div>
              <div>
                <h3>After</h3>
                <Json value={e.after} label="After" />
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
