/**
 * The spool replayer: hands the spool's oldest record to the batch writer in chunks of at most `maxBatchSize`
 * events. The record counts as replayed only when every chunk is in the store; a chunk the store does not take
 * leaves the whole record in the spool, and replaying it again adds nothing twice (writeBatch is idempotent by
 * event id and request id).
 */
import { chunks } from './rows.js';
import type { Spool } from './spool.js';
import type { WriteBatch } from './writer.js';

/** Replays one spool record; false when the store failed meanwhile (the record stays for the next replay). */
export function replayNext(spool: Spool, write: WriteBatch, maxBatchSize: number): Promise<boolean> {
  return spool
    .replayNext(async (record) => {
      for (const chunk of chunks(record, maxBatchSize))
        if (!(await write(chunk, true))) throw new Error('store unavailable during replay');
    })
    .then(
      () => true,
      () => false,
    );
}
