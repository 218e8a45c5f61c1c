import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Batch } from './rows.js';
import { encodeRecord, openSpool } from './spool.js';

const batch = (n: number, tag = 'x'): Batch => ({
  events: Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}` }) as never),
  logs: [],
});

describe('metering spool', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'portal-spool-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('replays records in the order they were appended, then deletes the segments', async () => {
    const d = dir();
    const spool = openSpool({ dir: d });
    await Promise.all([
      spool.append(batch(1, 'a')),
      spool.append(batch(2, 'b')),
      spool.append(batch(3, 'c')),
    ]);
    const seen: string[] = [];
    while ((await spool.replayNext(async (b) => void seen.push(b.events[0]!.id))) !== null);
    expect(seen).toEqual(['a0', 'b0', 'c0']);
    expect(spool.hasBacklog()).toBe(false);
    expect(readdirSync(d)).toEqual([]);
  });

  it('keeps counting the spooled bytes while a replay seals the active segment', async () => {
    const spool = openSpool({ dir: dir() });
    await spool.append(batch(3));
    const before = spool.bytes();
    expect(before).toBeGreaterThan(0);
    const replay = spool.replayNext(async () => {});
    // Microtasks only: the file close that sealing awaits cannot finish meanwhile, so this samples mid-seal.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(spool.bytes()).toBe(before);
    expect(spool.hasBacklog()).toBe(true);
    await replay;
    expect(spool.bytes()).toBe(0);
  });

  it('survives a reopen: what was acknowledged is replayed by the next process', async () => {
    const d = dir();
    const first = openSpool({ dir: d });
    await first.append(batch(5));
    await first.close();
    const second = openSpool({ dir: d });
    expect(second.hasBacklog()).toBe(true);
    let events = 0;
    while ((await second.replayNext(async (b) => void (events += b.events.length))) !== null);
    expect(events).toBe(5);
  });

  it('ignores a torn last record (crash mid-write) and keeps the whole ones before it', async () => {
    const d = dir();
    const first = openSpool({ dir: d });
    await first.append(batch(2, 'whole'));
    await first.close();
    const [name] = readdirSync(d);
    const path = join(d, name!);
    const torn = encodeRecord(batch(4, 'torn'));
    appendFileSync(path, torn.subarray(0, torn.length - 3));
    const second = openSpool({ dir: d });
    const seen: string[] = [];
    while ((await second.replayNext(async (b) => void seen.push(...b.events.map((e) => e.id)))) !== null);
    expect(seen).toEqual(['whole0', 'whole1']);
  });

  it('keeps a record whose write failed for the next replay attempt', async () => {
    const d = dir();
    const spool = openSpool({ dir: d });
    await spool.append(batch(1, 'a'));
    await expect(
      spool.replayNext(async () => {
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
    const seen: string[] = [];
    await spool.replayNext(async (b) => void seen.push(b.events[0]!.id));
    expect(seen).toEqual(['a0']);
  });

  it('starts a new segment once the current one is full', async () => {
    const d = dir();
    const spool = openSpool({ dir: d, maxSegmentBytes: 10 });
    await spool.append(batch(1));
    await spool.append(batch(1));
    expect(readdirSync(d)).toHaveLength(2);
    expect(spool.bytes()).toBe(readdirSync(d).reduce((n, f) => n + statSync(join(d, f)).size, 0));
  });
});
