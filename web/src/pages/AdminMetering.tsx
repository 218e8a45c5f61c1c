/** The usage writer's health: its queue, the disk spool an outage fills, and the last flush to the store. */
import { useQuery } from '@tanstack/react-query';
import { Facts } from '../components/Facts';
import { ErrorState, Loading, Notice } from '../components/States';
import { adminGet, adminKey } from '../lib/admin';
import { formatDateTime, formatInt, relativeTime } from '../lib/format';
import type { MeteringStats } from '../lib/types';
import { AdminHead } from './AdminParts';

export function MeteringPage() {
  const stats = useQuery({
    queryKey: adminKey('metering'),
    queryFn: () => adminGet<MeteringStats>('/metering'),
    refetchInterval: 5_000,
  });
  return (
    <>
      <AdminHead title="Metering">
        Usage events on their way to the store: the in-memory queue, the disk spool it falls back to when the
        database is unreachable, and the last flush. Refreshes every 5 seconds.
      </AdminHead>
      {stats.isLoading && <Loading label="Loading metering…" />}
      {stats.isError && <ErrorState error={stats.error} onRetry={() => stats.refetch()} />}
      {stats.data && <MeteringBody stats={stats.data} />}
    </>
  );
}

function MeteringBody({ stats: s }: { stats: MeteringStats }) {
  if (s.state === 'unknown') return <Notice>This instance’s usage writer reports no numbers.</Notice>;
  const bytes = (n: number) => (n < 1024 ? `${n} B` : `${formatInt(Math.round(n / 1024))} KiB`);
  return (
    <>
      {s.state === 'spooling' && (
        <Notice tone="warn">
          The store is not taking writes: events are spooled to disk and replayed when it comes back.
        </Notice>
      )}
      {s.lastError && <Notice tone="error">Last write error: {s.lastError}</Notice>}
      <div className="stats">
        <Stat label="State" value={s.state} />
        <Stat label="Queue" value={`${formatInt(s.queueDepth)} / ${formatInt(s.queueMax)}`} />
        <Stat label="Spool" value={`${bytes(s.spoolBytes)} · ${formatInt(s.spoolSegments)} files`} />
        <Stat label="Last flush" value={s.lastWriteAt ? relativeTime(s.lastWriteAt) : 'Never'} />
      </div>
      <section className="card" aria-label="Metering counters">
        <h2>Since this instance started</h2>
        <Facts
          items={[
            ['Events recorded', formatInt(s.eventsRecorded)],
            ['Events written', formatInt(s.eventsWritten)],
            ['Request logs written', formatInt(s.logsWritten)],
            ['Events spooled', formatInt(s.eventsSpooled)],
            ['Events replayed', formatInt(s.eventsReplayed)],
            ['Batches written', formatInt(s.batchesWritten)],
            ['Write failures', formatInt(s.writeFailures)],
            ['Last batch took', s.lastBatchMs === null ? null : `${formatInt(s.lastBatchMs)} ms`],
            ['Last flush at', formatDateTime(s.lastWriteAt)],
          ]}
        />
      </section>
    </>
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
