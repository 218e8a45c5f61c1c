/**
 * A FIFO of fixed-size chunks: push is O(1), taking a batch of up to one chunk is O(1), so a queue that has
 * grown to 100k entries during a slow write does not cost quadratic copying to drain.
 */
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
    while (this.chunks.length && out.length + this.chunks[0]!.length <= max)
      out = out.concat(this.chunks.shift()!);
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
