/**
 * Durable usage writeback. `recordUsage` / `recordRequest` only push onto a bounded in-memory queue and
 * return; one pump writes batches (size or time, whichever first) to the store with `writeBatch`. When the
 * store fails or is slower than `writeTimeoutMs`, the batch goes to the disk spool and the writer switches to
 * spooling until a probe reaches the store again; then the spool is replayed in order (idempotently) before
 * new batches. A full queue is handed to the spool whole: nothing is dropped, the request path never waits.
 * `close()` writes or spools everything queued; on the next start the spool is replayed.
 *
 * The parts: the writer's state (`state.ts`, one type and one transition function), the batch writer
 * (`writer.ts`), the store prober (`prober.ts`), the spool replayer (`replayer.ts`) and, here, the pump that
 * moves the queue to wherever the state says and the recording API.
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
import { createProber } from './prober.js';
import { BatchQueue, type ChunkQueue } from './queue.js';
import { replayNext } from './replayer.js';
import { scheduleRetention } from './retention.js';
import { toEventRow, toLogRow, type Batch } from './rows.js';
import { openSpool, type Spool } from './spool.js';
import {
  publicState,
  replaysSpool,
  storeUp,
  transition,
  type WriterEvent,
  type WriterState,
} from './state.js';
import type { Metering, MeteringStats } from './types.js';
import { createBatchWriter, newCounts, type MeteringCounts, type WriteBatch } from './writer.js';

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
  const sizes = sizesOf(options);
  const timeoutMs = options.writeTimeoutMs ?? 5_000;
  const spool = openSpool({ dir: options.spoolDir });
  const queue = new BatchQueue(sizes.batchSize);
  const counts = newCounts();
  let state: WriterState = 'writing';
  const stats = statsOf(sizes, queue, spool, counts, () => state);
  const metrics = options.registry ? createMeteringInstruments(options.registry, stats) : undefined;
  const sink: SpoolSink = { spool, counts, metrics, log };
  const probe = { ping: () => store.ping(), intervalMs: options.probeIntervalMs ?? 1_000, timeoutMs };
  const prober = createProber({ ...probe, onReachable: () => dispatch('store-reachable') });
  const onUnavailable = (err: Error) => dispatch('store-failed', err.message);
  const write = createBatchWriter({ ...sink, query: store.query, timeoutMs, onUnavailable });
  const onReplayFailed = () => dispatch('store-failed', 'spool replay failed');
  const pump = createPump({ sink, queue, write, sizes, state: () => state, onReplayFailed });

  /** The one place the state changes; entering or leaving "store down" starts the prober or the replay. */
  function dispatch(event: WriterEvent, detail?: string) {
    const before = state;
    state = transition(before, event);
    if (event === 'store-failed' && storeUp(before) && !storeUp(state)) {
      log.warn({ err: detail }, 'metering: store unavailable, spooling to disk');
      prober.start();
    } else if (event === 'store-reachable' && !storeUp(before) && storeUp(state)) {
      log.info({ spoolBytes: spool.bytes() }, 'metering: store reachable again, replaying the spool');
      pump.nudge();
    }
  }

  const stopTimers = startTimers(options, pump.nudge, spool, () => storeUp(state));
  return {
    recordUsage(event) {
      counts.eventsRecorded++;
      if (state === 'closed') return afterClose(sink, { events: [toEventRow(event)], logs: [] });
      pump.enqueue(queue.events, event);
    },
    recordRequest(entry) {
      if (state === 'closed') return afterClose(sink, { events: [], logs: [toLogRow(entry)] });
      pump.enqueue(queue.logs, entry);
    },
    async flush() {
      await pump.kick();
      await spool.settled();
    },
    async close() {
      if (state === 'closed') return;
      dispatch('close');
      stopTimers();
      await pump.kick();
      prober.stop();
      await spool.close();
      dispatch('closed');
    },
    stats,
  };
}

/** The flush timer, the start-up replay of a spool left by the last run, and the retention sweeps. */
function startTimers(
  options: MeteringOptions,
  nudge: () => void,
  spool: Spool,
  up: () => boolean,
): () => void {
  const timer = setInterval(nudge, options.flushIntervalMs ?? 250);
  timer.unref();
  if (spool.hasBacklog()) queueMicrotask(nudge);
  const retention = scheduleRetention({
    query: options.store.query,
    log: options.log,
    intervalMs: options.retentionIntervalMs ?? 3_600_000,
    keepDays: options.requestLogRetentionDays ?? 30,
    storeUp: up,
  });
  return () => {
    clearInterval(timer);
    clearInterval(retention);
  };
}

interface Sizes {
  batchSize: number;
  maxBatchSize: number;
  queueMax: number;
  writers: number;
}

function sizesOf(options: MeteringOptions): Sizes {
  const batchSize = options.batchSize ?? 500;
  return {
    batchSize,
    maxBatchSize: Math.max(batchSize, options.maxBatchSize ?? batchSize * 4),
    queueMax: options.queueMax ?? 100_000,
    writers: Math.max(1, options.writers ?? 1),
  };
}

function statsOf(
  sizes: Sizes,
  queue: BatchQueue,
  spool: Spool,
  counts: MeteringCounts,
  state: () => WriterState,
): () => MeteringStats {
  return () => ({
    state: publicState(state()),
    queueDepth: queue.length,
    queueMax: sizes.queueMax,
    spoolBytes: spool.bytes(),
    spoolSegments: spool.segments(),
    ...counts,
  });
}

interface SpoolSink {
  spool: Spool;
  counts: MeteringCounts;
  metrics: MeteringInstruments | undefined;
  log: Logger;
}

interface PumpParts {
  sink: SpoolSink;
  queue: BatchQueue;
  write: WriteBatch;
  sizes: Sizes;
  state: () => WriterState;
  onReplayFailed: () => void;
}

/**
 * The pump: one drain at a time (a kick during a drain runs another pass after it) moves the queue where the
 * state says — replay the spool first, then `writers` concurrent batch writers; or, with the store down,
 * everything queued to the spool.
 */
function createPump(p: PumpParts) {
  const { queue, sink } = p;
  let pumping: Promise<void> | undefined;
  let again = false;

  /** One writer: batches until the queue is empty or the store fails. */
  async function writeQueued() {
    while (storeUp(p.state()) && queue.length) {
      const batch = queue.take(p.sizes.maxBatchSize);
      if (!(await p.write(batch, false))) await toSpool(sink, batch, 'write failed');
    }
  }

  async function drain() {
    while (true) {
      const state = p.state();
      if (!storeUp(state)) {
        if (queue.length) await toSpool(sink, queue.takeAll(), 'store down');
        return;
      }
      if (replaysSpool(state) && sink.spool.hasBacklog()) {
        if (!(await replayNext(sink.spool, p.write, p.sizes.maxBatchSize))) p.onReplayFailed();
        continue;
      }
      if (!queue.length) return;
      await Promise.all(Array.from({ length: p.sizes.writers }, writeQueued));
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

  /** A kick nobody waits for (timer, record, probe): a failure is logged, never an unhandled rejection. */
  function nudge() {
    kick().catch((err: unknown) => sink.log.error({ err }, 'metering: pump failed'));
  }

  /** Queues an entry; a full queue goes to the spool whole (nothing is dropped), a full batch wakes the pump. */
  function enqueue<T>(chunks: ChunkQueue<T>, entry: T) {
    chunks.push(entry);
    if (queue.length >= p.sizes.queueMax) {
      sink.log.warn({ queued: queue.length }, 'metering queue full: spooling it to disk');
      void toSpool(sink, queue.takeAll(), 'queue full'); // toSpool never rejects; recording never waits
    } else if (chunks.length >= p.sizes.batchSize) nudge();
  }

  return { kick, nudge, enqueue };
}

/** A batch to the spool; resolves once it is fsynced, or once its loss is logged (it never rejects). */
async function toSpool(sink: SpoolSink, batch: Batch, reason: string) {
  try {
    await sink.spool.append(batch);
    sink.counts.eventsSpooled += batch.events.length;
    sink.metrics?.eventsSpooled.inc(batch.events.length);
  } catch (err) {
    // The disk refused too: nothing left to fall back on. Say so loudly, with the count.
    sink.counts.lastError = `spool write failed: ${(err as Error).message}`;
    sink.log.error(
      { err, events: batch.events.length, logs: batch.logs.length, reason },
      'metering batch lost',
    );
  }
}

/** After close nothing pumps: a late entry goes straight to a spool segment of its own, synchronously. */
function afterClose(sink: SpoolSink, batch: Batch) {
  try {
    sink.spool.appendSync(batch);
    sink.counts.eventsSpooled += batch.events.length;
  } catch (err) {
    sink.log.error({ err, events: batch.events.length }, 'metering batch lost after close');
  }
}
