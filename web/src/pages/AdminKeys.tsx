/**
 * Keys across every organization: look one up by id or display prefix, or list an organization's (by its
 * id or a member's email); disable, enable or revoke it — each with a reason for the audit log.
 */
import { useQuery } from '@tanstack/react-query';
import { useConfirm } from '../components/ConfirmDialog';
import { Filters, type FilterSpec } from '../components/Filters';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { ScrollTable } from '../components/TableCard';
import { adminGet, adminKey, seg, useAdminAction } from '../lib/admin';
import { ApiError } from '../lib/api';
import { formatDate, relativeTime } from '../lib/format';
import { useQueryParams } from '../lib/query-params';
import type { AdminKey, AdminKeyList } from '../lib/types';
import { AdminHead, Link, RowAction, StatePill } from './AdminParts';

const LOOKUP = ['id', 'prefix', 'email', 'org_id'] as const;
const SPECS: FilterSpec[] = [
  { name: 'id', label: 'Key ID', placeholder: 'key_…' },
  { name: 'prefix', label: 'Key prefix', placeholder: 'ptl_Ab12Cd' },
  { name: 'email', label: 'Member email', placeholder: 'dev@example.com' },
  { name: 'org_id', label: 'Organization ID', placeholder: 'org_…' },
];

export function AdminKeysPage() {
  const [params, setParams] = useQueryParams(LOOKUP);
  const asked = LOOKUP.some((n) => params[n]);
  const keys = useQuery({
    queryKey: adminKey('keys', params),
    enabled: asked,
    queryFn: async (): Promise<AdminKey[]> => {
      if (params.id) return [await adminGet<AdminKey>(`/keys/${seg(params.id)}`)];
      const q = new URLSearchParams(Object.entries(params).filter(([n, v]) => v && n !== 'id'));
      return (await adminGet<AdminKeyList>(`/keys?${q}`)).data;
    },
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const notFound = keys.error instanceof ApiError && keys.error.status === 404;
  return (
    <>
      <AdminHead title="Keys">
        Find a key by its id or the prefix a customer reads from their dashboard, or list an organization’s
        keys.
      </AdminHead>
      <Filters label="Find keys" specs={SPECS} values={params} onApply={setParams} />
      {!asked && (
        <EmptyState title="Look up a key">
          <p className="muted">Enter a key id, a key prefix, a member’s email or an organization id.</p>
        </EmptyState>
      )}
      {keys.isLoading && <Loading label="Looking up keys…" />}
      {notFound && <EmptyState title="No such key" />}
      {keys.isError && !notFound && <ErrorState error={keys.error} onRetry={() => keys.refetch()} />}
      {keys.data?.length === 0 && <EmptyState title="No keys match" />}
      {keys.data && keys.data.length > 0 && <AdminKeysTable keys={keys.data} />}
    </>
  );
}

/** Keys with their owner, state and the three operator actions; used here and on an organization's page. */
export function AdminKeysTable({ keys, showOrg = true }: { keys: AdminKey[]; showOrg?: boolean }) {
  const act = useAdminAction();
  const [ask, dialog] = useConfirm();
  const head = ['Name', 'Key', ...(showOrg ? ['Organization'] : []), 'Created', 'Last used', 'Status', ''];
  const change = (k: AdminKey, verb: 'disable' | 'enable') =>
    ask({
      title: verb === 'disable' ? 'Disable key?' : 'Enable key?',
      body:
        verb === 'disable' ? (
          <p>
            Requests with <strong>{k.name}</strong> (<code>{k.redacted}</code>) will be refused with{' '}
            <code>key_disabled</code> until it is enabled again. The customer sees it as disabled.
          </p>
        ) : (
          <p>
            <strong>{k.name}</strong> (<code>{k.redacted}</code>) will work again.
          </p>
        ),
      confirmLabel: verb === 'disable' ? 'Disable key' : 'Enable key',
      danger: verb === 'disable',
      onConfirm: async ({ reason }) => {
        await act('POST', `/keys/${seg(k.id)}/${verb}`, { reason });
      },
    });
  const revoke = (k: AdminKey) =>
    ask({
      title: 'Revoke key?',
      body: (
        <p>
          <strong>{k.name}</strong> (<code>{k.redacted}</code>) stops working for good; the customer must
          create a new key. This cannot be undone.
        </p>
      ),
      confirmLabel: 'Revoke key',
      danger: true,
      onConfirm: async ({ reason }) => {
        await act('DELETE', `/keys/${seg(k.id)}`, { reason });
      },
    });
  return (
    <>
      <ScrollTable
        label="Keys"
        head={head.map((h) => (
          <th key={h || 'actions'} scope="col">
            {h || <span className="sr-only">Actions</span>}
          </th>
        ))}
      >
        {keys.map((k) => (
          <tr key={k.id} data-key-id={k.id}>
            <td className="key-name">
              {k.name}
              <code className="muted small block">{k.id}</code>
            </td>
            <td className="nowrap">
              <code>{k.redacted}</code>
            </td>
            {showOrg && (
              <td>
                <Link to={`/admin/orgs/${seg(k.org_id)}`}>
                  <code>{k.org_id}</code>
                </Link>
              </td>
            )}
            <td>{formatDate(k.created_at)}</td>
            <td>{relativeTime(k.last_used_at)}</td>
            <td>
              <StatePill state={k.status} />
            </td>
            <td className="actions">
              {k.status === 'active' && (
                <RowAction verb="Disable" what={k.name} onClick={() => change(k, 'disable')} />
              )}
              {k.status === 'disabled' && (
                <RowAction verb="Enable" what={k.name} onClick={() => change(k, 'enable')} />
              )}
              {k.status !== 'revoked' && (
                <RowAction verb="Revoke" what={k.name} onClick={() => revoke(k)} danger />
              )}
            </td>
          </tr>
        ))}
      </ScrollTable>
      {dialog}
    </>
  );
}
