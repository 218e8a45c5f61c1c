/**
 * The batch writer: one batch to the store within a timeout (one statement, `writeBatch`), with its counts
 * and metrics. A store that fails or is slow is reported through `onUnavailable` and the write answers false
 * (the caller spools the batch). A batch the store rejects for its data is split until the bad rows are
 * isolated; those are logged with their content and set aside, so one bad row never blocks the rest.
 */
import type { Logger } from '../log.js';
import type { Query } from '../store/db.js';
import type { MeteringInstruments } from './instruments.js';
import { chunks, type Batch } from './rows.js';
import type { MeteringStats } from './types.js';
import { withTimeout } from './with-timeout.js';
import { writeBatch, type BatchResult } from './write-batch.js';

/** The running totals metering reports (the part of MeteringStats that only grows or records a last value). */
export type MeteringCounts = Omit<
  MeteringStats,
  'state' | 'queueDepth' | 'queueMax' | 'spoolBytes' | 'spoolSegments'
>;

export function newCounts(): MeteringCounts {
  return {
    eventsRecorded: 0,
    eventsWritten: 0,
    logsWritten: 0,
    eventsSpooled: 0,
    eventsReplayed: 0,
    batchesWritten: 0,
    writeFailures: 0,
    lastBatchMs: null,
    lastError: null,
    lastWriteAt: null,
  };
}

export interface BatchWriterOptions {
  query: Query;
  log: Logger;
  counts: MeteringCounts;
  metrics: MeteringInstruments | undefined;
  timeoutMs: number;
  /** The store failed or timed out (not a data error): the caller stops writing and spools. */
  onUnavailable: (err: Error) => void;
}

/** `write(batch, replay)`: true when the batch is in the store (or its bad rows set aside), false to spool it. */
export type WriteBatch = (batch: Batch, replay: boolean) => Promise<boolean>;

export function createBatchWriter(options: BatchWriterOptions): WriteBatch {
  const { counts, metrics, log } = options;

  async function write(batch: Batch, replay: boolean): Promise<boolean> {
    const started = performance.now();
    try {
      const result = await withTimeout(writeBatch(options.query, batch), options.timeoutMs);
      const seconds = (performance.now() - started) / 1000;
      metrics?.batchDuration.observe({ outcome: 'ok' }, seconds);
      account(result, replay ? batch.events.length : 0);
      counts.lastBatchMs = Math.round(seconds * 1000);
      return true;
    } catch (err) {
      if (isDataError(err)) return splitRejected(batch, replay, err);
      metrics?.batchDuration.observe({ outcome: 'failed' }, (performance.now() - started) / 1000);
      metrics?.writeFailures.inc();
      counts.writeFailures++;
      counts.lastError = (err as Error).message;
      options.onUnavailable(err as Error);
      return false;
    }
  }

  async function splitRejected(batch: Batch, replay: boolean, err: unknown): Promise<boolean> {
    const size = batch.events.length + batch.logs.length;
    if (size <= 1) {
      counts.writeFailures++;
      counts.lastError = `row rejected by the store: ${(err as Error).message}`;
      log.error({ err: (err as Error).message, batch }, 'metering: row rejected by the store, set aside');
      return true;
    }
    const half = Math.ceil(Math.max(batch.events.length, batch.logs.length) / 2);
    for (const part of [...chunks(batch, half)]) if (!(await write(part, replay))) return false;
    return true;
  }

  function account(result: BatchResult, replayed: number) {
    counts.eventsWritten += result.events;
    counts.logsWritten += result.logs;
    counts.eventsReplayed += replayed;
    counts.batchesWritten++;
    counts.lastWriteAt = new Date().toISOString();
    metrics?.eventsWritten.inc(result.events);
    metrics?.logsWritten.inc(result.logs);
    if (replayed) metrics?.eventsReplayed.inc(replayed);
  }

  return write;
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity violation): retrying the same rows cannot help. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
