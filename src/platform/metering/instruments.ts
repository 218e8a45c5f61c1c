/**
 * The writer's Prometheus instruments on the process registry: queue depth and spool size are read from the
 * writer when scraped; batch latency, failures and counts are recorded as they happen.
 */
import client from 'prom-client';
import type { MeteringStats } from './types.js';

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
  new client.Gauge({
    name: 'portal_metering_queue_depth',
    help: 'Usage events and request logs waiting in memory for the next batch',
    registers,
    collect() {
      this.set(stats().queueDepth);
    },
  });
  new client.Gauge({
    name: 'portal_metering_spool_bytes',
    help: 'Bytes in the disk spool waiting for replay into the store',
    registers,
    collect() {
      this.set(stats().spoolBytes);
    },
  });
  new client.Gauge({
    name: 'portal_metering_store_up',
    help: '1 while batches reach the store, 0 while they are spooled to disk',
    registers,
    collect() {
      this.set(stats().state === 'spooling' ? 0 : 1);
    },
  });
  return {
    batchDuration: new client.Histogram({
      name: 'portal_metering_batch_duration_seconds',
      help: 'Time to write one batch to the store (outcome ok | failed)',
      labelNames: ['outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    writeFailures: new client.Counter({
      name: 'portal_metering_write_failures_total',
      help: 'Batches the store did not take (unreachable, slow or failing); they were spooled',
      registers,
    }),
    eventsWritten: new client.Counter({
      name: 'portal_metering_events_written_total',
      help: 'Usage events inserted into the store (replays of written events not counted)',
      registers,
    }),
    logsWritten: new client.Counter({
      name: 'portal_metering_request_logs_written_total',
      help: 'Request logs inserted into the store',
      registers,
    }),
    eventsSpooled: new client.Counter({
      name: 'portal_metering_events_spooled_total',
      help: 'Usage events acknowledged (fsynced) to the disk spool',
      registers,
    }),
    eventsReplayed: new client.Counter({
      name: 'portal_metering_events_replayed_total',
      help: 'Usage events replayed from the spool into the store',
      registers,
    }),
  };
}
