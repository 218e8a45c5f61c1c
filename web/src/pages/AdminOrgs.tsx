/** Organizations: search by name, id or owner email, filter by status and plan, open one. */
import { useQuery } from '@tanstack/react-query';
import { Filters, type FilterSpec } from '../components/Filters';
import { ListError, LoadMore } from '../components/Paging';
import { EmptyState, Loading } from '../components/States';
import { ScrollTable } from '../components/TableCard';
import { adminGet, adminKey, seg } from '../lib/admin';
import { useCursorList } from '../lib/cursor-list';
import { formatDate, formatInt } from '../lib/format';
import { useQueryParams } from '../lib/query-params';
import type { AdminOrgSummary, AdminPlanList } from '../lib/types';
import { AdminHead, Link, StatePill } from './AdminParts';

const FILTERS = ['q', 'status', 'plan'] as const;

/** The plans, for the plan filter and the change-plan dialog. */
export function usePlans() {
  return useQuery({
    queryKey: adminKey('plans'),
    queryFn: () => adminGet<AdminPlanList>('/plans'),
    staleTime: 60_000,
  });
}

export function OrgsPage() {
  const [params, setParams] = useQueryParams(FILTERS);
  const plans = usePlans();
  const list = useCursorList<AdminOrgSummary>(adminKey('orgs'), '/admin/api/orgs', params);
  const specs: FilterSpec[] = [
    { name: 'q', label: 'Search', placeholder: 'Name, id or owner email' },
    {
      name: 'status',
      label: 'Status',
      options: [
        { value: '', label: 'Any status' },
        { value: 'active', label: 'Active' },
        { value: 'disabled', label: 'Disabled' },
      ],
    },
    {
      name: 'plan',
      label: 'Plan',
      options: [
        { value: '', label: 'Any plan' },
        ...(plans.data?.plans ?? []).map((p) => ({ value: p.id, label: p.name })),
      ],
    },
  ];
  return (
    <>
      <AdminHead title="Organizations">Every customer organization, newest first.</AdminHead>
      <Filters label="Find organizations" specs={specs} values={params} onApply={setParams} />
      {list.isLoading && <Loading label="Loading organizations…" />}
      <ListError list={list} />
      {list.isSuccess && list.items.length === 0 && <EmptyState title="No organizations match" />}
      {list.items.length > 0 && (
        <ScrollTable
          label="Organizations"
          head={['Organization', 'Owner', 'Plan', 'Active keys', 'Status', 'Created'].map((h) => (
            <th key={h} scope="col" className={h === 'Active keys' ? 'num' : undefined}>
              {h}
            </th>
          ))}
        >
          {list.items.map((o) => (
            <tr key={o.id}>
              <td className="key-name">
                <Link to={`/admin/orgs/${seg(o.id)}`}>{o.name}</Link>
                <code className="muted small block">{o.id}</code>
              </td>
              <td>{o.owner_email ?? '—'}</td>
              <td>
                {o.plan ? <span className="badge">{o.plan.name}</span> : <span className="muted">None</span>}
              </td>
              <td className="num">{formatInt(o.key_count)}</td>
              <td>
                <StatePill state={o.status} />
              </td>
              <td>{formatDate(o.created_at)}</td>
            </tr>
          ))}
        </ScrollTable>
      )}
      <LoadMore list={list} />
    </>
  );
}
