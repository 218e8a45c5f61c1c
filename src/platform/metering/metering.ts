/**
 * Durable usage writeback. `recordUsage` / `recordRequest` only push onto a bounded in-memory queue and
 * return; one pump writes batches (size or time, whichever first) to the store with `writeBatch`. When the
 * store fails or is slower than `writeTimeoutMs`, the batch goes to the disk spool and the writer switches to
 * spooling until a probe reaches the store again; then the spool is replayed in order (idempotently) before
 * new batches. A full queue is handed to the spool whole: nothing is dropped, the request path never waits.
 * `close()` writes or spools everything queued; on the next start the spool is replayed.
 *
 * Example:
 *   const metering = createMetering({ store, log, spoolDir: '.portal/spool' });
 *   metering.recordUsage(event); // returns at once
 *   await metering.close();      // flushed or spooled
 */
import type client from 'prom-client';
import type { Logger } from '../log.js';
import type { Store } from '../store/db.js';
import { createMeteringInstruments, type MeteringInstruments } from './instruments.js';
import { toEventRow, toLogRow, type Batch } from './rows.js';
import { sweepExpiredBodies, sweepOldRequestLogs } from './retention.js';
import { ChunkQueue } from './queue.js';
import { openSpool } from './spool.js';
import type { Metering, MeteringStats, RequestLog, UsageEvent } from './types.js';
import { writeBatch, type BatchResult } from './write-batch.js';

export interface MeteringOptions {
  store: Store;
  log: Logger;
  /** Where spool segments live: `<dataDir>/spool`. Created only when something is spooled. */
  spoolDir: string;
  registry?: client.Registry;
  /** A batch is written once this many events are queued (or every flushIntervalMs). */
  batchSize?: number;
  /** With a backlog (a slow write, a replay), batches grow up to this size: fewer round trips, fewer rollup upserts. */
  maxBatchSize?: number;
  flushIntervalMs?: number;
  queueMax?: number;
  /** A batch the store has not committed within this long is spooled (and the store probed). */
  writeTimeoutMs?: number;
  probeIntervalMs?: number;
  /** Batches written concurrently (each on its own connection); 1 keeps strict batch order. */
  writers?: number;
  /** How often expired request-log bodies and old request logs are cleared (0 = never). */
  retentionIntervalMs?: number;
  /** Request logs older than this many days are deleted by that sweep (default 30). */
  requestLogRetentionDays?: number;
}

export function createMetering(options: MeteringOptions): Metering & { stats(): MeteringStats } {
  const { store, log } = options;
  const batchSize = options.batchSize ?? 500;
  const queueMax = options.queueMax ?? 100_000;
  const writeTimeoutMs = options.writeTimeoutMs ?? 5_000;
  const probeIntervalMs = options.probeIntervalMs ?? 1_000;
  const spool = openSpool({ dir: options.spoolDir });

  const writers = Math.max(1, options.writers ?? 1);
  const maxBatchSize = Math.max(batchSize, options.maxBatchSize ?? batchSize * 4);
  const events = new ChunkQueue<UsageEvent>(batchSize);
  const logs = new ChunkQueue<RequestLog>(batchSize);
  let storeUp = true;
  let closing = false;
  let closed = false;
  let pumping: Promise<void> | undefined;
  let again = false;
  let probeTimer: NodeJS.Timeout | undefined;
  const counts = {
    eventsRecorded: 0,
    eventsWritten: 0,
    logsWritten: 0,
    eventsSpooled: 0,
    eventsReplayed: 0,
    batchesWritten: 0,
    writeFailures: 0,
    lastBatchMs: null as number | null,
    lastError: null as string | null,
    lastWriteAt: null as string | null,
  };

  const stats = (): MeteringStats => ({
    state: closed ? 'closed' : storeUp ? 'ok' : 'spooling',
    queueDepth: events.length + logs.length,
    queueMax,
    spoolBytes: spool.bytes(),
    spoolSegments: spool.segments(),
    ...counts,
  });
  const metrics: MeteringInstruments | undefined = options.registry
    ? createMeteringInstruments(options.registry, stats)
    : undefined;

  const timer = setInterval(() => kick(), options.flushIntervalMs ?? 250);
  timer.unref();
  if (spool.hasBacklog()) queueMicrotask(() => kick());
  const retentionMs = options.retentionIntervalMs ?? 3_600_000;
  const retention =
    retentionMs > 0
      ? setInterval(() => {
          if (!storeUp) return;
          sweepExpiredBodies(store.query).catch((err) => log.warn({ err }, 'request-log body sweep failed'));
          const keepMs = (options.requestLogRetentionDays ?? 30) * 86_400_000;
          sweepOldRequestLogs(store.query, new Date(Date.now() - keepMs)).catch((err) =>
            log.warn({ err }, 'request-log retention sweep failed'),
          );
        }, retentionMs)
      : undefined;
  retention?.unref();

  /** The next batch (whole queued chunks up to maxBatchSize events and as many logs), as rows. */
  function take(): Batch {
    return {
      events: events.take(maxBatchSize).map(toEventRow),
      logs: logs.take(maxBatchSize).map(toLogRow),
    };
  }

  function takeAll(): Batch {
    return { events: events.takeAll().map(toEventRow), logs: logs.takeAll().map(toLogRow) };
  }

  async function toSpool(batch: Batch, reason: string) {
    try {
      await spool.append(batch);
      counts.eventsSpooled += batch.events.length;
      metrics?.eventsSpooled.inc(batch.events.length);
    } catch (err) {
      // The disk refused too: nothing left to fall back on. Say so loudly, with the count.
      counts.lastError = `spool write failed: ${(err as Error).message}`;
      log.error({ err, events: batch.events.length, logs: batch.logs.length, reason }, 'metering batch lost');
    }
  }

  /**
   * One batch to the store within the timeout. False when the store is unreachable or slow (the caller
   * spools the batch). A batch the store rejects for its data is split until the bad rows are isolated;
   * those are logged with their content and set aside, so one bad row never blocks the rest.
   */
  async function write(batch: Batch, replay: boolean): Promise<boolean> {
    const started = performance.now();
    try {
      const result = await withTimeout(writeBatch(store.query, batch), writeTimeoutMs);
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
      if (storeUp) log.warn({ err: (err as Error).message }, 'metering: store unavailable, spooling to disk');
      storeUp = false;
      scheduleProbe();
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
    const parts = [...chunks(batch, half)];
    for (const part of parts) if (!(await write(part, replay))) return false;
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

  function scheduleProbe() {
    if (probeTimer || closed) return;
    probeTimer = setTimeout(async () => {
      probeTimer = undefined;
      try {
        await withTimeout(store.ping(), writeTimeoutMs);
        log.info({ spoolBytes: spool.bytes() }, 'metering: store reachable again, replaying the spool');
        storeUp = true;
        kick();
      } catch {
        scheduleProbe();
      }
    }, probeIntervalMs);
    probeTimer.unref();
  }

  async function drain() {
    while (true) {
      if (!storeUp) {
        if (events.length || logs.length) await toSpool(takeAll(), 'store down');
        return;
      }
      if (!closing && spool.hasBacklog()) {
        const ok = await spool
          .replayNext(async (record) => {
            for (const chunk of chunks(record, maxBatchSize))
              if (!(await write(chunk, true))) throw new Error('store unavailable during replay');
          })
          .then(
            () => true,
            () => false,
          );
        if (!ok) storeUp = false;
        continue;
      }
      if (!events.length && !logs.length) return;
      await Promise.all(Array.from({ length: writers }, writeQueued));
    }
  }

  /** One writer: batches from the queue until it is empty or the store fails. */
  async function writeQueued() {
    while (storeUp && (events.length || logs.length)) {
      const batch = take();
      if (!(await write(batch, false))) await toSpool(batch, 'write failed');
    }
  }

  function kick(): Promise<void> {
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        await drain();
      } while (again);
    })().finally(() => (pumping = undefined));
    return pumping;
  }

  function overflow() {
    // Full queue: hand everything to the spool at once (not awaited) and keep accepting.
    log.warn({ queued: events.length + logs.length }, 'metering queue full: spooling it to disk');
    void toSpool(takeAll(), 'queue full');
  }

  function afterClose(batch: Batch) {
    try {
      spool.appendSync(batch);
      counts.eventsSpooled += batch.events.length;
    } catch (err) {
      log.error({ err, events: batch.events.length }, 'metering batch lost after close');
    }
  }

  return {
    recordUsage(event) {
      counts.eventsRecorded++;
      if (closed) return afterClose({ events: [toEventRow(event)], logs: [] });
      events.push(event);
      const depth = events.length + logs.length;
      if (depth >= queueMax) overflow();
      else if (events.length >= batchSize) void kick();
    },
    recordRequest(entry) {
      if (closed) return afterClose({ events: [], logs: [toLogRow(entry)] });
      logs.push(entry);
      const depth = events.length + logs.length;
      if (depth >= queueMax) overflow();
      else if (logs.length >= batchSize) void kick();
    },
    async flush() {
      await kick();
      await spool.settled();
    },
    async close() {
      if (closed) return;
      closing = true;
      clearInterval(timer);
      clearInterval(retention);
      await kick();
      if (probeTimer) clearTimeout(probeTimer);
      await spool.close();
      closed = true;
    },
    stats,
  };
}

function* chunks(batch: Batch, size: number): Generator<Batch> {
  const n = Math.max(batch.events.length, batch.logs.length, 1);
  for (let i = 0; i < n; i += size)
    yield { events: batch.events.slice(i, i + size), logs: batch.logs.slice(i, i + size) };
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity violation): retrying the same rows cannot help. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`store did not answer within ${ms} ms`)), ms);
  });
  promise.catch(() => {}); // a late failure after the timeout is already handled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
