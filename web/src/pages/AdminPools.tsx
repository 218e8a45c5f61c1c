/**
 * Router pools and their routers with live health (state, circuit, in-flight, EWMA latency, last probe):
 * drain, undrain or disable a pool or a router, and add, edit or remove a router. Refreshes every 5 s.
 */
import { useQuery } from '@tanstack/react-query';
import { useConfirm, type Ask } from '../components/ConfirmDialog';
import { EmptyState, ErrorState, Loading, Notice } from '../components/States';
import { ScrollTable } from '../components/TableCard';
import { adminGet, adminKey, seg, useAdminAction } from '../lib/admin';
import { formatInt, relativeTime } from '../lib/format';
import type { PoolList, PoolView, RouterView } from '../lib/types';
import { AdminHead, RowAction, StatePill } from './AdminParts';
import { routerForm } from './admin-router-form';

type FleetState = PoolView['state'];
type Asker = (ask: Ask) => void;
type Act = ReturnType<typeof useAdminAction>;

export function PoolsPage() {
  const pools = useQuery({
    queryKey: adminKey('pools'),
    queryFn: () => adminGet<PoolList>('/pools'),
    refetchInterval: 5_000,
  });
  const act = useAdminAction();
  const [ask, dialog] = useConfirm();
  const list = pools.data?.data ?? [];
  return (
    <>
      <AdminHead title="Pools & routers">
        Where each model is served. Draining stops new requests and lets running ones finish; disabling stops
        both. Health refreshes every 5 seconds.
      </AdminHead>
      {pools.data?.demo && (
        <Notice>This deployment runs the demo pool (the built-in router simulator).</Notice>
      )}
      {pools.isLoading && <Loading label="Loading pools…" />}
      {pools.isError && <ErrorState error={pools.error} onRetry={() => pools.refetch()} />}
      {pools.isSuccess && list.length === 0 && <EmptyState title="No pools configured" />}
      {list.map((p) => (
        <PoolCard key={p.id} pool={p} ask={ask} act={act} />
      ))}
      {dialog}
    </>
  );
}

/** The state changes offered from a state: [verb, target state]. */
function transitions(state: FleetState): Array<[string, FleetState]> {
  if (state === 'active')
    return [
      ['Drain', 'draining'],
      ['Disable', 'disabled'],
    ];
  if (state === 'draining')
    return [
      ['Undrain', 'active'],
      ['Disable', 'disabled'],
    ];
  return [['Enable', 'active']];
}

const EFFECT: Record<FleetState, string> = {
  draining: 'takes no new requests; requests already running finish',
  disabled: 'takes no requests at all; running ones are cut off at their next retry',
  active: 'takes requests again',
};

function stateAsk(kind: 'pool' | 'router', id: string, verb: string, to: FleetState, act: Act): Ask {
  return {
    title: `${verb} ${kind} ${id}?`,
    body: (
      <p>
        The {kind} <code>{id}</code> {EFFECT[to]}.
        {kind === 'pool' && to !== 'active' && ' Its models are served by other pools only, if any.'}
      </p>
    ),
    confirmLabel: `${verb} ${kind}`,
    danger: to !== 'active',
    onConfirm: async ({ reason }) => {
      await act('POST', `/${kind === 'pool' ? 'pools' : 'routers'}/${seg(id)}/state`, { state: to, reason });
    },
  };
}

function PoolCard({ pool, ask, act }: { pool: PoolView; ask: Asker; act: Act }) {
  const form = routerForm(null);
  const add = () =>
    ask({
      title: `Add a router to ${pool.id}`,
      body: <p className="muted">The router joins the pool at once and is probed before it takes traffic.</p>,
      confirmLabel: 'Add router',
      reason: 'optional',
      fields: form.fields,
      initial: form.initial,
      validate: form.validate,
      onConfirm: async (v) => {
        await act('POST', `/pools/${seg(pool.id)}/routers`, form.toRequest(v));
      },
    });
  return (
    <section className="card" aria-labelledby={`pool-${pool.id}`}>
      <div className="card-head">
        <div>
          <h2 id={`pool-${pool.id}`}>
            {pool.name} <StatePill state={pool.state} />
          </h2>
          <p className="muted small">
            <code>{pool.id}</code> · {pool.kind} {pool.kind === 'cortensor' ? pool.apiVersion : ''} · serves{' '}
            {pool.models.map((m) => (
              <code key={m} className="pill-code">
                {m}
              </code>
            ))}
          </p>
        </div>
        <div className="head-actions">
          {transitions(pool.state).map(([verb, to]) => (
            <button
              key={verb}
              type="button"
              className={to === 'active' ? 'btn btn-small' : 'btn btn-small btn-danger-text'}
              aria-label={`${verb} pool ${pool.id}`}
              onClick={() => ask(stateAsk('pool', pool.id, verb, to, act))}
            >
              {verb}
            </button>
          ))}
          <button type="button" className="btn btn-small btn-primary" onClick={add}>
            Add router
          </button>
        </div>
      </div>
      <RoutersTable pool={pool} ask={ask} act={act} />
    </section>
  );
}

function RoutersTable({ pool, ask, act }: { pool: PoolView; ask: Asker; act: Act }) {
  if (pool.routers.length === 0) return <p className="muted">No routers: this pool cannot serve.</p>;
  const head = [
    'Router',
    'State',
    'Circuit',
    'In flight',
    'EWMA',
    'Errors',
    'Last probe',
    'Sessions',
    'Weight',
    '',
  ];
  return (
    <ScrollTable
      label={`Routers of ${pool.id}`}
      head={head.map((h) => (
        <th key={h || 'actions'} scope="col">
          {h || <span className="sr-only">Actions</span>}
        </th>
      ))}
    >
      {pool.routers.map((r) => (
        <RouterRow key={r.id} router={r} ask={ask} act={act} />
      ))}
    </ScrollTable>
  );
}

function RouterRow({ router: r, ask, act }: { router: RouterView; ask: Asker; act: Act }) {
  const form = routerForm(r);
  const edit = () =>
    ask({
      title: `Edit router ${r.id}`,
      body: <p className="muted">Changes apply to new requests at once.</p>,
      confirmLabel: 'Save router',
      reason: 'optional',
      fields: form.fields,
      initial: form.initial,
      validate: form.validate,
      onConfirm: async (v) => {
        await act('PATCH', `/routers/${seg(r.id)}`, form.toRequest(v));
      },
    });
  const remove = () =>
    ask({
      title: `Remove router ${r.id}?`,
      body: (
        <p>
          <code>{r.baseUrl}</code> leaves the pool: no new requests go to it. Requests it is running finish.
        </p>
      ),
      confirmLabel: 'Remove router',
      danger: true,
      reason: 'optional',
      onConfirm: async ({ reason }) => {
        await act('DELETE', `/routers/${seg(r.id)}`, reason ? { reason } : undefined);
      },
    });
  return (
    <tr data-router-id={r.id}>
      <td>
        <code>{r.id}</code>
        <span className="muted small block url">{r.baseUrl}</span>
        {r.authSecretRef && <span className="muted small block">secret: {r.authSecretRef}</span>}
        {r.source === 'config' && <span className="muted small block">from the config file</span>}
      </td>
      <td>
        <StatePill state={r.state} />
      </td>
      <td>
        <StatePill state={r.breaker.state} />
        {r.breaker.consecutiveFailures > 0 && (
          <span className="muted small block">{r.breaker.consecutiveFailures} failures in a row</span>
        )}
      </td>
      <td className="num">
        {formatInt(r.inFlight)} / {formatInt(r.maxConcurrency)}
      </td>
      <td className="num">{r.ewmaMs === null ? '—' : `${formatInt(Math.round(r.ewmaMs))} ms`}</td>
      <td className="num">{r.errorRate === null ? '—' : `${(r.errorRate * 100).toFixed(1)} %`}</td>
      <td>
        {r.lastProbe ? (
          <>
            <span className={r.lastProbe.ok ? 'ok-text' : 'error-text'}>
              {r.lastProbe.ok ? 'OK' : 'Failed'}
            </span>{' '}
            <span className="muted small">{relativeTime(r.lastProbe.at)}</span>
            {r.lastProbe.detail && <span className="muted small block">{r.lastProbe.detail}</span>}
          </>
        ) : (
          <span className="muted">Not yet</span>
        )}
      </td>
      <td className="num">
        {formatInt(r.dedicatedSessions)}
        {r.ephemeralSessions > 0 && <span className="muted small"> +{r.ephemeralSessions}</span>}
      </td>
      <td className="num">{r.weight}</td>
      <td className="actions actions-wrap">
        {transitions(r.state).map(([verb, to]) => (
          <RowAction
            key={verb}
            verb={verb}
            what={`router ${r.id}`}
            danger={to !== 'active'}
            onClick={() => ask(stateAsk('router', r.id, verb, to, act))}
          />
        ))}
        {r.source === 'admin' && (
          <>
            <RowAction verb="Edit" what={`router ${r.id}`} onClick={edit} />
            <RowAction verb="Remove" what={`router ${r.id}`} onClick={remove} danger />
          </>
        )}
      </td>
    </tr>
  );
}
