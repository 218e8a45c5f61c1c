/** The model catalog as operators see it: state, price, which pools serve each model; enable or disable. */
import { useQuery } from '@tanstack/react-query';
import { useConfirm } from '../components/ConfirmDialog';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { ScrollTable } from '../components/TableCard';
import { adminGet, adminKey, seg, useAdminAction } from '../lib/admin';
import { microsToUsd } from '../lib/format';
import type { AdminModel, AdminModelList } from '../lib/types';
import { AdminHead, Link, RowAction, StatePill } from './AdminParts';

export function ModelsPage() {
  const models = useQuery({
    queryKey: adminKey('models'),
    queryFn: () => adminGet<AdminModelList>('/models'),
  });
  const act = useAdminAction();
  const [ask, dialog] = useConfirm();
  const toggle = (m: AdminModel) => {
    const verb = m.status === 'enabled' ? 'disable' : 'enable';
    ask({
      title: verb === 'disable' ? `Disable ${m.id}?` : `Enable ${m.id}?`,
      body:
        verb === 'disable' ? (
          <p>
            Every request for <code>{m.id}</code> will be refused with <code>model_disabled</code>, for every
            customer, until it is enabled again.
          </p>
        ) : (
          <p>
            <code>{m.id}</code> will be served again to the plans and keys that include it.
          </p>
        ),
      confirmLabel: verb === 'disable' ? 'Disable model' : 'Enable model',
      danger: verb === 'disable',
      onConfirm: async ({ reason }) => {
        await act('POST', `/models/${seg(m.id)}/${verb}`, { reason });
      },
    });
  };
  const rows = models.data?.data ?? [];
  return (
    <>
      <AdminHead title="Models">
        The catalog customers call. Prices are per million tokens; a model no pool serves cannot be answered.
      </AdminHead>
      {models.isLoading && <Loading label="Loading models…" />}
      {models.isError && <ErrorState error={models.error} onRetry={() => models.refetch()} />}
      {models.isSuccess && rows.length === 0 && <EmptyState title="No models in the catalog" />}
      {rows.length > 0 && (
        <ScrollTable
          label="Models"
          head={['Model', 'Status', 'Input / 1M', 'Output / 1M', 'Served by', ''].map((h) => (
            <th key={h || 'actions'} scope="col" className={h.includes('1M') ? 'num' : undefined}>
              {h || <span className="sr-only">Actions</span>}
            </th>
          ))}
        >
          {rows.map((m) => (
            <tr key={m.id}>
              <td>
                <code>{m.id}</code>
                <span className="muted small block">{m.displayName}</span>
              </td>
              <td>
                <StatePill state={m.status} />
                {!m.servable && <span className="muted small block">no healthy pool</span>}
              </td>
              <td className="num">{m.pricing ? microsToUsd(m.pricing.input_per_mtok_micros) : '—'}</td>
              <td className="num">{m.pricing ? microsToUsd(m.pricing.output_per_mtok_micros) : '—'}</td>
              <td>
                {m.pools.length === 0 ? (
                  <span className="muted">No pool</span>
                ) : (
                  m.pools.map((p) => (
                    <Link key={p} to="/admin/pools">
                      <code className="pill-code">{p}</code>
                    </Link>
                  ))
                )}
              </td>
              <td className="actions">
                <RowAction
                  verb={m.status === 'enabled' ? 'Disable' : 'Enable'}
                  what={m.id}
                  danger={m.status === 'enabled'}
                  onClick={() => toggle(m)}
                />
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
      {dialog}
    </>
  );
}
