/**
 * A process and its descendants, from /proc: a `--workers` primary and its workers, or `portal serve` and
 * anything it spawned. RSS and CPU are summed over the tree (a process that exits meanwhile counts 0).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readCpuMs, readRss } from './procs.js';

/** `pid` and every live descendant. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited while listing
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

const safe = (read: (pid: number) => number) => (pid: number) => {
  try {
    return read(pid);
  } catch {
    return 0;
  }
};

export const treeRss = (pid: number) =>
  processTree(pid)
    .map(safe(readRss))
    .reduce((a, b) => a + b, 0);
export const treeCpuMs = (pid: number) =>
  processTree(pid)
    .map(safe(readCpuMs))
    .reduce((a, b) => a + b, 0);
