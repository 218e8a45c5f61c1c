/**
 * The append-only spool: where batches go while the store is unreachable or slow, so the gateway keeps
 * serving and nothing is lost. Files `<dir>/metering-<seq>.spool`, each a sequence of records
 *   [u32 LE payload length][u32 LE crc32(payload)][payload: JSON of one Batch]
 * Appends are group-committed: everything handed over while a write is in flight goes into the next write,
 * then one fsync; an append's promise resolves only after its fsync ("acknowledged"). A crash mid-write
 * leaves a torn last record: on open it fails its length or CRC check and is cut off.
 * Replay walks sealed segments oldest first, record by record, and deletes a segment once all of it is
 * written; new appends meanwhile go to a fresh segment.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { ftruncateSync, unlinkSync, writeSync } from 'node:fs';
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Batch } from './rows.js';

const HEADER = 8;
const NAME = /^metering-(\d{12})\.spool$/;

export interface SpoolOptions {
  dir: string;
  /** A segment is sealed (and a new one started) once it grows past this. */
  maxSegmentBytes?: number;
}

export interface Spool {
  /** Appends a batch; resolves once it is fsynced. */
  append(batch: Batch): Promise<void>;
  /** Appends and fsyncs synchronously (only after close, when nothing else may run). */
  appendSync(batch: Batch): void;
  /** True when any record waits for replay (or an append is in flight). */
  hasBacklog(): boolean;
  /**
   * Hands the oldest unreplayed record to `write`; when it resolves, the record counts as replayed.
   * Returns the record's event count, or null when there is nothing to replay.
   */
  replayNext(write: (batch: Batch) => Promise<void>): Promise<number | null>;
  bytes(): number;
  segments(): number;
  /** Resolves when no append is in flight. */
  settled(): Promise<void>;
  /** Waits for in-flight appends and closes the file. */
  close(): Promise<void>;
}

export function encodeRecord(batch: Batch): Buffer {
  const payload = Buffer.from(JSON.stringify(batch), 'utf8');
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

/** Decodes every whole record; `validBytes` is where the first torn or corrupt record starts. */
export function decodeRecords(buf: Buffer): { records: Batch[]; offsets: number[]; validBytes: number } {
  const records: Batch[] = [];
  const offsets: number[] = [];
  let at = 0;
  while (at + HEADER <= buf.length) {
    const length = buf.readUInt32LE(at);
    const sum = buf.readUInt32LE(at + 4);
    const end = at + HEADER + length;
    if (end > buf.length) break;
    const payload = buf.subarray(at + HEADER, end);
    if (crc32(payload) !== sum) break;
    try {
      records.push(JSON.parse(payload.toString('utf8')) as Batch);
    } catch {
      break;
    }
    offsets.push(end);
    at = end;
  }
  return { records, offsets, validBytes: at };
}

interface Segment {
  seq: number;
  path: string;
  size: number;
}

/** The spool's files: sealed segments waiting for replay, and the one appends go to. */
interface SpoolFiles {
  dir: string;
  maxSegmentBytes: number;
  sealed: Segment[];
  nextSeq: number;
  active: (Segment & { fh: FileHandle }) | undefined;
}

export function openSpool(options: SpoolOptions): Spool {
  const sealed = recoverSegments(options.dir);
  const files: SpoolFiles = {
    dir: options.dir,
    maxSegmentBytes: options.maxSegmentBytes ?? 64 * 1024 * 1024,
    sealed,
    nextSeq: (sealed.at(-1)?.seq ?? 0) + 1,
    active: undefined,
  };
  const appender = createAppender(files);
  const replayer = createReplayer(files, appender.seal);
  return {
    append: appender.append,
    appendSync: (batch) => appendSync(files, batch),
    hasBacklog: () => files.sealed.length > 0 || (files.active?.size ?? 0) > 0 || appender.inFlight(),
    replayNext: replayer.replayNext,
    bytes() {
      const stored = files.sealed.reduce((n, s) => n + s.size, 0) + (files.active?.size ?? 0);
      return stored - replayer.replayedBytes();
    },
    segments: () => files.sealed.length + (files.active ? 1 : 0),
    settled: appender.settled,
    close: appender.seal,
  };
}

function segmentPath(dir: string, seq: number): string {
  return join(dir, `metering-${String(seq).padStart(12, '0')}.spool`);
}

async function openActive(files: SpoolFiles) {
  mkdirSync(files.dir, { recursive: true });
  const seq = files.nextSeq++;
  const path = segmentPath(files.dir, seq);
  files.active = { seq, path, size: 0, fh: await open(path, 'a') };
  return files.active;
}

async function closeActive(files: SpoolFiles) {
  if (!files.active) return;
  const { fh, ...segment } = files.active;
  // Sealed before the close is awaited, so bytes() and hasBacklog() never see the segment in neither list.
  if (segment.size > 0) files.sealed.push(segment);
  files.active = undefined;
  await fh.close();
  if (segment.size === 0) await unlink(segment.path).catch(() => {});
}

/** Appends and fsyncs synchronously into a segment of its own (only after close, when nothing else may run). */
function appendSync(files: SpoolFiles, batch: Batch) {
  mkdirSync(files.dir, { recursive: true });
  const seq = files.nextSeq++;
  const path = segmentPath(files.dir, seq);
  const buf = encodeRecord(batch);
  syncedEdit(path, 'a', (fd) => writeSync(fd, buf));
  files.sealed.push({ seq, path, size: buf.length });
}

/**
 * Group commit: everything appended while a write is in flight goes into the next write, then one fsync;
 * each append resolves after the fsync that covers it.
 */
function createAppender(files: SpoolFiles) {
  let pending: { buf: Buffer; done: () => void; fail: (e: unknown) => void }[] = [];
  let writing: Promise<void> | undefined;

  async function writeLoop() {
    while (pending.length) {
      const group = pending;
      pending = [];
      try {
        if (files.active && files.active.size >= files.maxSegmentBytes) await closeActive(files);
        const seg = files.active ?? (await openActive(files));
        const buf = Buffer.concat(group.map((g) => g.buf));
        await seg.fh.write(buf);
        await seg.fh.datasync();
        seg.size += buf.length;
        for (const g of group) g.done();
      } catch (err) {
        // A failed write may have left a partial record: start the next append in a fresh segment.
        await closeActive(files).catch(() => {});
        for (const g of group) g.fail(err);
      }
    }
  }

  function startWriting() {
    if (writing) return;
    writing = writeLoop().finally(() => {
      writing = undefined;
      // An append that arrived after the loop's last check but before this point.
      if (pending.length) startWriting();
    });
  }

  async function settled() {
    while (writing) await writing;
  }

  return {
    append(batch: Batch) {
      return new Promise<void>((done, fail) => {
        pending.push({ buf: encodeRecord(batch), done, fail });
        startWriting();
      });
    },
    inFlight: () => pending.length > 0 || !!writing,
    settled,
    /** Waits until no append is in flight, then seals the active segment. */
    async seal() {
      await settled();
      await closeActive(files);
    },
  };
}

/** Replay: sealed segments oldest first, record by record; a segment is deleted once all of it is written. */
function createReplayer(files: SpoolFiles, seal: () => Promise<void>) {
  /** Replay position inside the oldest sealed segment. */
  let cursor: { seq: number; records: Batch[]; offsets: number[]; index: number } | undefined;
  return {
    async replayNext(write: (batch: Batch) => Promise<void>): Promise<number | null> {
      if (!files.sealed.length) await seal();
      const segment = files.sealed[0];
      if (!segment) return null;
      if (cursor?.seq !== segment.seq) {
        const { records, offsets } = decodeRecords(await readFile(segment.path));
        cursor = { seq: segment.seq, records, offsets, index: 0 };
      }
      const record = cursor.records[cursor.index];
      if (record) {
        await write(record);
        cursor.index++;
      }
      if (cursor.index >= cursor.records.length) {
        files.sealed.shift();
        cursor = undefined;
        await unlink(segment.path).catch(() => {});
      }
      return record ? record.events.length : 0;
    },
    /** Bytes of the oldest segment already replayed (still on disk until the whole segment is). */
    replayedBytes: () => (cursor ? (cursor.offsets[cursor.index - 1] ?? 0) : 0),
  };
}

/** Lists existing segments in order, cutting a torn tail off each (a crash mid-append). */
function recoverSegments(dir: string): Segment[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const segments: Segment[] = [];
  for (const name of names.sort()) {
    const m = NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    const buf = readFileSync(path);
    const { validBytes } = decodeRecords(buf);
    if (validBytes < buf.length) syncedEdit(path, 'r+', (fd) => ftruncateSync(fd, validBytes));
    if (validBytes === 0) unlinkSync(path);
    else segments.push({ seq: Number(m[1]), path, size: statSync(path).size });
  }
  return segments;
}

/** Opens `path`, applies `edit`, fsyncs and closes (also when `edit` throws). */
function syncedEdit(path: string, flags: 'a' | 'r+', edit: (fd: number) => void) {
  const fd = openSync(path, flags);
  try {
    edit(fd);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
