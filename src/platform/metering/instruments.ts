/**
 * The writer's Prometheus instruments on the process registry: queue depth and spool size are read from the
 * writer when scraped; batch latency, failures and counts are recorded as they happen.
 */
import client from 'prom-client';
import type { MeteringStats } from './types.js';
import { scrapedGauge } from '../metrics.js';

export interface MeteringInstruments {
  batchDuration: client.Histogram<'outcome'>;
  writeFailures: client.Counter;
  eventsWritten: client.Counter;
  logsWritten: client.Counter;
  eventsSpooled: client.Counter;
  eventsReplayed: client.Counter;
}

export function createMeteringInstruments(
  registry: client.Registry,
  stats: () => MeteringStats,
): MeteringInstruments {
  const registers = [registry];
  // Gauges are read from the writer when scraped; counters are bumped as things happen.
  const gauge = (name: string, help: string, read: () => number) => scrapedGauge(registry, name, help, read);
  const counter = (name: string, help: string) => new client.Counter({ name, help, registers });
  gauge(
    'portal_metering_queue_depth',
    'Usage events and request logs waiting in memory for the next batch',
    () => stats().queueDepth,
  );
  gauge(
    'portal_metering_spool_bytes',
    'Bytes in the disk spool waiting for replay into the store',
    () => stats().spoolBytes,
  );
  gauge(
    'portal_metering_spool_segments',
    'Spool files on disk waiting for replay (0 when nothing is spooled)',
    () => stats().spoolSegments,
  );
  gauge(
    'portal_metering_store_up',
    '1 while batches reach the store, 0 while they are spooled to disk',
    () => (stats().state === 'spooling' ? 0 : 1),
  );
  return {
    batchDuration: new client.Histogram({
      name: 'portal_metering_batch_duration_seconds',
      help: 'Time to write one batch to the store (outcome ok | failed)',
      labelNames: ['outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    writeFailures: counter(
      'portal_metering_write_failures_total',
      'Batches the store did not take (unreachable, slow or failing); they were spooled',
    ),
    eventsWritten: counter(
      'portal_metering_events_written_total',
      'Usage events inserted into the store (replays of written events not counted)',
    ),
    logsWritten: counter(
      'portal_metering_request_logs_written_total',
      'Request logs inserted into the store',
    ),
    eventsSpooled: counter(
      'portal_metering_events_spooled_total',
      'Usage events acknowledged (fsynced) to the disk spool',
    ),
    eventsReplayed: counter(
      'portal_metering_events_replayed_total',
      'Usage events replayed from the spool into the store',
    ),
  };
}
