/**
 * Requests across every organization: filters (organization, key, model, status, error code, time) kept in
 * the address, cursor paging, a lookup by request id, and one request's full record.
 */
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Facts } from '../components/Facts';
import { Field } from '../components/Field';
import { Filters, type FilterSpec } from '../components/Filters';
import { ListError, LoadMore } from '../components/Paging';
import { EmptyState, ErrorState, Loading, Notice } from '../components/States';
import { ScrollTable } from '../components/TableCard';
import { adminGet, adminKey, seg } from '../lib/admin';
import { ApiError } from '../lib/api';
import { useCursorList } from '../lib/cursor-list';
import { formatDateTime, formatInt } from '../lib/format';
import { useQueryParams } from '../lib/query-params';
import { navigate } from '../lib/router';
import type { RequestLog } from '../lib/types';
import { formatMs, HttpStatus } from './Requests';
import { AdminHead, Json, Link } from './AdminParts';

const FILTERS = ['org_id', 'key_id', 'model', 'status', 'error_code', 'since', 'until'] as const;
const SPECS: FilterSpec[] = [
  { name: 'org_id', label: 'Organization ID', placeholder: 'org_…' },
  { name: 'key_id', label: 'Key ID', placeholder: 'key_…' },
  { name: 'model', label: 'Model' },
  { name: 'status', label: 'Status', type: 'number', placeholder: 'e.g. 502' },
  { name: 'error_code', label: 'Error code' },
  { name: 'since', label: 'From', type: 'datetime-local' },
  { name: 'until', label: 'To', type: 'datetime-local' },
];

/** A datetime-local value (the reader's local time) as the ISO instant the API takes. */
export function toIso(local: string): string {
  if (!local) return '';
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? '' : t.toISOString();
}

export function AdminRequestsPage() {
  // `?limit=` sets the page size from the address (no field: the API's default suits a person).
  const [params, setParams] = useQueryParams([...FILTERS, 'limit'] as const);
  const list = useCursorList<RequestLog>(adminKey('requests'), '/admin/api/requests', {
    ...params,
    since: toIso(params.since),
    until: toIso(params.until),
  });
  return (
    <>
      <AdminHead title="Requests">Every organization’s requests, newest first.</AdminHead>
      <IdLookup />
      <Filters label="Filter requests" specs={SPECS} values={params} onApply={setParams} />
      {list.isLoading && <Loading label="Loading requests…" />}
      <ListError list={list} />
      {list.isSuccess && list.items.length === 0 && <EmptyState title="No requests match" />}
      {list.items.length > 0 && <RequestsTable rows={list.items} />}
      <LoadMore list={list} />
    </>
  );
}

function IdLookup() {
  const [id, setId] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (id.trim()) navigate(`/admin/requests/${seg(id.trim())}`);
  };
  return (
    <form className="lookup card" role="search" aria-label="Find a request" onSubmit={submit}>
      <Field label="Request ID" placeholder="req_…" value={id} onChange={(e) => setId(e.target.value)} />
      <button type="submit" className="btn">
        Find request
      </button>
    </form>
  );
}

function RequestsTable({ rows }: { rows: RequestLog[] }) {
  const head = ['Time', 'Request ID', 'Organization', 'Model', 'Status', 'Tokens in / out', 'Latency'];
  return (
    <ScrollTable
      label="Requests"
      head={head.map((h) => (
        <th key={h} scope="col" className={h === 'Latency' || h.startsWith('Tokens') ? 'num' : undefined}>
          {h}
        </th>
      ))}
    >
      {rows.map((r) => (
        <tr key={r.requestId}>
          <td className="nowrap">{formatDateTime(r.occurredAt)}</td>
          <td>
            <Link to={`/admin/requests/${seg(r.requestId)}`}>
              <code>{r.requestId}</code>
            </Link>
          </td>
          <td>
            {r.orgId ? (
              <Link to={`/admin/orgs/${seg(r.orgId)}`}>
                <code>{r.orgId}</code>
              </Link>
            ) : (
              '—'
            )}
          </td>
          <td>{r.modelId ?? '—'}</td>
          <td>
            <HttpStatus status={r.status} code={r.errorCode} />
          </td>
          <td className="num">
            {formatInt(r.inputTokens)} / {formatInt(r.outputTokens)}
          </td>
          <td className="num">{formatMs(r.latencyMs)}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}

export function AdminRequestDetail({ id }: { id: string }) {
  const record = useQuery({
    queryKey: adminKey('request', id),
    queryFn: () => adminGet<RequestLog>(`/requests/${seg(id)}`),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const missing = record.error instanceof ApiError && record.error.status === 404;
  return (
    <>
      <Link className="back" to="/admin/requests">
        ← All requests
      </Link>
      <AdminHead title="Request">
        <code>{id}</code>
      </AdminHead>
      {record.isLoading && <Loading label="Loading the request…" />}
      {missing && <Notice tone="warn">No request with this id.</Notice>}
      {record.isError && !missing && <ErrorState error={record.error} onRetry={() => record.refetch()} />}
      {record.data && <FullRecord r={record.data} />}
    </>
  );
}

function FullRecord({ r }: { r: RequestLog }) {
  const org = r.orgId ? (
    <Link to={`/admin/orgs/${seg(r.orgId)}`}>
      <code>{r.orgId}</code>
    </Link>
  ) : null;
  return (
    <>
      <section className="card" aria-label="Request record">
        <Facts
          items={[
            ['Request ID', <code key="id">{r.requestId}</code>],
            ['Time', formatDateTime(r.occurredAt)],
            ['Organization', org],
            [
              'Key',
              r.keyId ? (
                <Link key="k" to={`/admin/keys?id=${seg(r.keyId)}`}>
                  <code>{r.keyId}</code>
                </Link>
              ) : null,
            ],
            ['Model', r.modelId],
            ['Pool', r.poolId],
            ['Router', r.routerId],
            ['Endpoint', <code key="e">{`${r.method} ${r.endpoint}`}</code>],
            ['Streamed', r.stream ? 'Yes' : 'No'],
            ['Status', <HttpStatus key="s" status={r.status} code={r.errorCode} />],
            ['Latency', formatMs(r.latencyMs)],
            ['Time to first token', formatMs(r.ttftMs)],
            ['Input tokens', formatInt(r.inputTokens)],
            ['Output tokens', formatInt(r.outputTokens)],
            ['Client request id', r.clientRequestId],
            ['Client address (hash)', r.clientIpHash ? <code key="ip">{r.clientIpHash}</code> : null],
          ]}
        />
      </section>
      <section className="card" aria-label="Bodies">
        <h2>Bodies</h2>
        <p className="muted small">
          Kept only for organizations that turned body logging on
          {r.bodyExpiresAt ? `, until ${formatDateTime(r.bodyExpiresAt)}` : ''}.
        </p>
        <h3>Request body</h3>
        <Json value={r.requestBody} label="Request body" />
        <h3>Response body</h3>
        <Json value={r.responseBody} label="Response body" />
      </section>
    </>
  );
}
