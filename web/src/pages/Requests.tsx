/**
 * The signed-in organization's own requests: the recent ones with status, model, tokens, latency and error
 * code (filters in the address, "Load more" for older ones), a lookup by the `x-request-id` a response
 * carried, and one request's record — so a developer can see why a call failed without asking support.
 */
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Facts } from '../components/Facts';
import { Field } from '../components/Field';
import { Filters, type FilterSpec } from '../components/Filters';
import { ListError, LoadMore } from '../components/Paging';
import { EmptyState, ErrorState, Loading, Notice } from '../components/States';
import { ScrollTable } from '../components/TableCard';
import { api, ApiError } from '../lib/api';
import { useCursorList } from '../lib/cursor-list';
import { formatDateTime, formatInt } from '../lib/format';
import { useQueryParams } from '../lib/query-params';
import { go, navigate } from '../lib/router';
import type { CustomerRequest, KeyList } from '../lib/types';

const FILTERS = ['key_id', 'model', 'status', 'error_code'] as const;

export function RequestsPage({ path }: { path: string }) {
  const id = path.startsWith('/requests/') ? decodeURIComponent(path.slice('/requests/'.length)) : null;
  return id ? <RequestDetail id={id} /> : <RequestList />;
}

function RequestList() {
  // `?limit=` sets the page size from the address (no field: the API's default suits a person).
  const [params, setParams] = useQueryParams([...FILTERS, 'limit'] as const);
  const keys = useQuery({ queryKey: ['keys'], queryFn: () => api<KeyList>('/api/keys') });
  const list = useCursorList<CustomerRequest>(['requests'], '/api/requests', params);
  const filtered = FILTERS.some((f) => params[f]);
  const specs: FilterSpec[] = [
    {
      name: 'key_id',
      label: 'Key',
      options: [
        { value: '', label: 'Any key' },
        ...(keys.data?.data ?? []).map((k) => ({ value: k.id, label: `${k.name} (${k.redacted})` })),
      ],
    },
    { name: 'model', label: 'Model', placeholder: 'e.g. oss-20b' },
    { name: 'status', label: 'Status', type: 'number', placeholder: 'e.g. 429' },
    { name: 'error_code', label: 'Error code', placeholder: 'e.g. rate_limit_exceeded' },
  ];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Requests</h1>
          <p className="muted">
            Your organization’s recent API requests. Every response carries an <code>x-request-id</code>{' '}
            header: look it up here to see what happened.
          </p>
        </div>
      </div>
      <RequestLookup />
      <Filters label="Filter requests" specs={specs} values={params} onApply={setParams} />
      {list.isLoading && <Loading label="Loading requests…" />}
      <ListError list={list} />
      {list.isSuccess && list.items.length === 0 && (
        <EmptyState title={filtered ? 'No requests match these filters' : 'No requests yet'}>
          <p className="muted">
            {filtered
              ? 'Clear a filter to see more.'
              : 'Requests your keys make to the API appear here within seconds.'}
          </p>
        </EmptyState>
      )}
      {list.items.length > 0 && <RequestTable rows={list.items} />}
      <LoadMore list={list} />
    </>
  );
}

/** Opens one request by the id its response's `x-request-id` header carried. */
function RequestLookup() {
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = id.trim();
    if (!value) return setProblem('Paste the x-request-id of the response.');
    navigate(`/requests/${encodeURIComponent(value)}`);
  };
  return (
    <form className="lookup card" role="search" aria-label="Find a request" onSubmit={submit}>
      <Field
        label="Request ID"
        placeholder="x-request-id, e.g. req_…"
        value={id}
        error={problem}
        onChange={(e) => {
          setId(e.target.value);
          setProblem(null);
        }}
      />
      <button type="submit" className="btn">
        Find request
      </button>
    </form>
  );
}

function RequestTable({ rows }: { rows: CustomerRequest[] }) {
  const head = ['Time', 'Request ID', 'Key', 'Model', 'Status', 'Tokens in / out', 'Latency'].map((h) => (
    <th key={h} scope="col" className={h === 'Latency' || h.startsWith('Tokens') ? 'num' : undefined}>
      {h}
    </th>
  ));
  return (
    <ScrollTable label="Requests" head={head}>
      {rows.map((r) => (
        <tr key={r.request_id}>
          <td className="nowrap">{formatDateTime(r.occurred_at)}</td>
          <td>
            <a href={`/requests/${r.request_id}`} onClick={go(`/requests/${r.request_id}`)}>
              <code>{r.request_id}</code>
            </a>
          </td>
          <td>{r.key_name ?? r.key_id ?? '—'}</td>
          <td>{r.model ?? '—'}</td>
          <td>
            <HttpStatus status={r.status} code={r.error_code} />
          </td>
          <td className="num">
            {formatInt(r.input_tokens)} / {formatInt(r.output_tokens)}
          </td>
          <td className="num">{formatMs(r.latency_ms)}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}

/** A status code as a pill (green below 400) with the error code under it. */
export function HttpStatus({ status, code }: { status: number; code: string | null }) {
  return (
    <>
      <span className={status < 400 ? 'status' : 'status status-error'}>{status}</span>
      {code && <code className="small block">{code}</code>}
    </>
  );
}

export const formatMs = (ms: number | null) => (ms === null ? '—' : `${formatInt(ms)} ms`);

function RequestDetail({ id }: { id: string }) {
  const record = useQuery({
    queryKey: ['request', id],
    queryFn: () => api<CustomerRequest>(`/api/requests/${encodeURIComponent(id)}`),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const missing = record.error instanceof ApiError && record.error.status === 404;
  return (
    <>
      <a className="back" href="/requests" onClick={go('/requests')}>
        ← All requests
      </a>
      <div className="page-head">
        <div>
          <h1>Request</h1>
          <p className="muted">
            <code>{id}</code>
          </p>
        </div>
      </div>
      {record.isLoading && <Loading label="Loading the request…" />}
      {missing && (
        <Notice tone="warn">
          No request <code>{id}</code> in your organization. Check the id (it is the response’s{' '}
          <code>x-request-id</code> header); requests of other organizations are not shown.
        </Notice>
      )}
      {record.isError && !missing && <ErrorState error={record.error} onRetry={() => record.refetch()} />}
      {record.data && <RequestFacts r={record.data} />}
    </>
  );
}

function RequestFacts({ r }: { r: CustomerRequest }) {
  return (
    <section className="card" aria-label="Request details">
      {r.error_code && (
        <Notice tone="error">
          Failed with <code>{r.error_code}</code> ({r.status}).{' '}
          <a href="/docs/errors#every-code" onClick={go('/docs/errors#every-code')}>
            What this error means and what to do
          </a>
        </Notice>
      )}
      <Facts
        items={[
          ['Request ID', <code key="id">{r.request_id}</code>],
          ['Time', formatDateTime(r.occurred_at)],
          ['Key', r.key_name ? `${r.key_name} (${r.key_id})` : r.key_id],
          ['Model', r.model],
          ['Endpoint', <code key="e">{r.endpoint}</code>],
          ['Streamed', r.stream ? 'Yes' : 'No'],
          ['Status', <HttpStatus key="s" status={r.status} code={null} />],
          ['Error code', r.error_code ? <code key="c">{r.error_code}</code> : null],
          ['Latency', formatMs(r.latency_ms)],
          ['Time to first token', formatMs(r.ttft_ms)],
          ['Input tokens', formatInt(r.input_tokens)],
          ['Output tokens', formatInt(r.output_tokens)],
        ]}
      />
    </section>
  );
}
