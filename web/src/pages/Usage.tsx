import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ErrorState, Loading, Notice } from '../components/States';
import { UsageChart } from '../components/UsageChart';
import { QUICKSTART_PATH } from '../docs/paths';
import { api, ApiError } from '../lib/api';
import { download, toCsv } from '../lib/csv';
import { formatDateTime, formatInt, formatUsd, relativeTime } from '../lib/format';
import { navigate } from '../lib/router';
import type { Account, Usage, UsageWindow, WindowName } from '../lib/types';
import { TableCard } from '../components/TableCard';

const RANGES = {
  '24h': { days: 1, granularity: 'hour' },
  '7d': { days: 7, granularity: 'day' },
  '30d': { days: 30, granularity: 'day' },
} as const;
type Range = keyof typeof RANGES;

/** Total over the contract's window names: a new window without a label fails the typecheck. */
const WINDOW_LABEL: Record<WindowName, string> = {
  requests_per_minute: 'Requests per minute',
  tokens_per_minute: 'Tokens per minute',
  requests_per_day: 'Requests per day',
  tokens_per_day: 'Tokens per day',
  tokens_per_month: 'Tokens per 30 days',
};

export function UsagePage({ account }: { account: Account }) {
  const [range, setRange] = useState<Range>('7d');
  const query = useMemo(() => {
    const to = new Date();
    const from = new Date(to.getTime() - RANGES[range].days * 86_400_000);
    return `from=${from.toISOString()}&to=${to.toISOString()}&granularity=${RANGES[range].granularity}`;
  }, [range]);
  const usage = useQuery({
    queryKey: ['usage', query],
    queryFn: () => api<Usage>(`/api/usage?${query}`),
    refetchInterval: 30_000,
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Usage</h1>
          <p className="muted">
            Requests and tokens for your organization on the{' '}
            <span className="badge">{account.plan.name}</span> plan.
          </p>
        </div>
        <div className="segmented" role="group" aria-label="Time range">
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={range === r}
              className={range === r ? 'seg active' : 'seg'}
              onClick={() => setRange(r)}
            >
              {r}
            </button>
          ))}
        </div>
      </div>
      {usage.isLoading && <Loading label="Loading usage…" />}
      {usage.isError &&
        (usage.error instanceof ApiError && usage.error.status === 404 ? (
          <Notice>
            Usage data is not available yet. It appears here once your first requests are metered.{' '}
            <QuickStartLink />
          </Notice>
        ) : (
          <ErrorState error={usage.error} onRetry={() => usage.refetch()} />
        ))}
      {usage.data && <UsageBody usage={usage.data} />}
    </>
  );
}

function UsageBody({ usage }: { usage: Usage }) {
  const times = usage.series.map((p) => Math.floor(new Date(p.bucket).getTime() / 1000));
  const requests = usage.series.map((p) => p.requests);
  const tokens = usage.series.map((p) => p.input_tokens + p.output_tokens);
  const exhausted = usage.windows.filter((w) => w.remaining <= 0);
  function exportCsv() {
    const csv = toCsv(
      ['bucket', 'requests', 'input_tokens', 'output_tokens', 'cost_usd'],
      usage.series.map((p) => [p.bucket, p.requests, p.input_tokens, p.output_tokens, p.cost]),
    );
    download(`portal-usage-${usage.from.slice(0, 10)}-${usage.to.slice(0, 10)}.csv`, csv);
  }
  return (
    <>
      {usage.totals.requests === 0 && (
        <Notice>
          No requests in this period yet. <QuickStartLink />
        </Notice>
      )}
      {exhausted.map((w) => (
        <Notice key={`${w.name}-${w.key_id ?? 'org'}`} tone="warn">
          {WINDOW_LABEL[w.name]}: limit reached. Requests are refused with 429 until it frees up{' '}
          {relativeTime(w.resets_at)} ({formatDateTime(w.resets_at)}).
        </Notice>
      ))}
      <div className="stats">
        <Stat label="Requests" value={formatInt(usage.totals.requests)} />
        <Stat label="Input tokens" value={formatInt(usage.totals.input_tokens)} />
        <Stat label="Output tokens" value={formatInt(usage.totals.output_tokens)} />
        <Stat label="Cost" value={formatUsd(usage.totals.cost)} />
      </div>
      {usage.windows.length > 0 && (
        <section className="card" aria-labelledby="allowance-title">
          <h2 id="allowance-title">Current allowance</h2>
          {usage.windows.map((w) => (
            <Allowance key={`${w.name}-${w.key_id ?? 'org'}`} window={w} />
          ))}
        </section>
      )}
      <section className="card">
        <div className="card-head">
          <h2>Over time</h2>
          <button
            type="button"
            className="btn btn-small"
            onClick={exportCsv}
            disabled={!usage.totals.requests}
          >
            Export CSV
          </button>
        </div>
        {usage.totals.requests === 0 ? (
          <p className="muted">No requests in this period yet.</p>
        ) : (
          <div className="charts">
            <UsageChart title="Requests" times={times} values={requests} color="#4f46e5" />
            <UsageChart title="Tokens" times={times} values={tokens} color="#0d9488" />
          </div>
        )}
      </section>
      <Breakdown title="By key" rows={usage.by_key.map((k) => ({ ...k, label: k.key_name ?? k.key_id }))} />
      <Breakdown title="By model" rows={usage.by_model.map((m) => ({ label: m.model, ...m }))} />
    </>
  );
}

/** The docs' Quick start, opened in the app (a plain link still works with a modifier key). */
function QuickStartLink() {
  const open = (e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(QUICKSTART_PATH);
  };
  return (
    <a href={QUICKSTART_PATH} onClick={open}>
      Follow the quick start to send your first request →
    </a>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
    </div>
  );
}

export function Allowance({ window: w }: { window: UsageWindow }) {
  const pct = w.limit > 0 ? Math.min(100, (w.used / w.limit) * 100) : 0;
  const label = `${WINDOW_LABEL[w.name]}${w.subject === 'key' ? ' (per key)' : ''}`;
  return (
    <div className="allowance">
      <div className="allowance-head">
        <span>{label}</span>
        <span className="muted small">
          {formatInt(w.used)} / {formatInt(w.limit)}
          {w.resets_at ? ` · frees up ${relativeTime(w.resets_at)}` : ''}
        </span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={w.limit}
        aria-valuenow={w.used}
      >
        <div
          className={pct >= 100 ? 'bar-fill full' : pct >= 80 ? 'bar-fill high' : 'bar-fill'}
          style={{ width: `${pct}%` }}
        />
      </div>
    </div>
  );
}

function Breakdown({
  title,
  rows,
}: {
  title: string;
  rows: Array<{ label: string; requests: number; input_tokens: number; output_tokens: number; cost: number }>;
}) {
  if (!rows.length) return null;
  return (
    <TableCard
      title={title}
      columns={[
        { label: title === 'By key' ? 'Key' : 'Model' },
        { label: 'Requests', num: true },
        { label: 'Input tokens', num: true },
        { label: 'Output tokens', num: true },
        { label: 'Cost', num: true },
      ]}
    >
      {rows.map((r) => (
        <tr key={r.label}>
          <td>{r.label}</td>
          <td className="num">{formatInt(r.requests)}</td>
          <td className="num">{formatInt(r.input_tokens)}</td>
          <td className="num">{formatInt(r.output_tokens)}</td>
          <td className="num">{formatUsd(r.cost)}</td>
        </tr>
      ))}
    </TableCard>
  );
}
