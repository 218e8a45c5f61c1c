/**
 * A FIFO of fixed-size chunks: push is O(1), taking a batch of up to one chunk is O(1), so a queue that has
 * grown to 100k entries during a slow write does not cost quadratic copying to drain.
 */
import { toEventRow, toLogRow, type Batch } from './rows.js';
import type { RequestLog, UsageEvent } from './types.js';

export class ChunkQueue<T> {
  private chunks: T[][] = [];
  private size = 0;
  constructor(private readonly chunkSize: number) {}

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    let last = this.chunks.at(-1);
    if (!last || last.length >= this.chunkSize) this.chunks.push((last = []));
    last.push(item);
    this.size++;
  }

  /** Removes and returns the oldest whole chunks, together at most `max` items (at least one chunk). */
  take(max = this.chunkSize): T[] {
    let out = this.chunks.shift() ?? [];
    for (let next = this.chunks[0]; next && out.length + next.length <= max; next = this.chunks[0]) {
      this.chunks.shift();
      out = out.concat(next);
    }
    this.size -= out.length;
    return out;
  }

  /** Removes and returns everything. */
  takeAll(): T[] {
    const all = this.chunks.flat();
    this.chunks = [];
    this.size = 0;
    return all;
  }
}

/** The writer's two queues, usage events and request logs, taken together as row batches. */
export class BatchQueue {
  readonly events: ChunkQueue<UsageEvent>;
  readonly logs: ChunkQueue<RequestLog>;
  constructor(chunkSize: number) {
    this.events = new ChunkQueue(chunkSize);
    this.logs = new ChunkQueue(chunkSize);
  }

  get length(): number {
    return this.events.length + this.logs.length;
  }

  /** The next batch: whole queued chunks up to `max` events and as many logs, as rows. */
  take(max: number): Batch {
    return { events: this.events.take(max).map(toEventRow), logs: this.logs.take(max).map(toLogRow) };
  }

  takeAll(): Batch {
    return { events: this.events.takeAll().map(toEventRow), logs: this.logs.takeAll().map(toLogRow) };
  }
}
