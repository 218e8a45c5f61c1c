/**
 * Turns gateway benchmark cells (one per target × streaming × connections × run) into the markdown table of
 * docs/benchmarks.md: medians over runs, Portal / bare-proxy ratios and added p50 computed per run (adjacent
 * measurements) and then taken as the median, and the issue's targets checked against them.
 */
import { median } from './load.js';
import type { LoadResult } from './load.js';

export interface Cell {
  target: string;
  stream: boolean;
  connections: number;
  run: number;
  result: LoadResult;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

function cellsOf(cells: Cell[], target: string, stream: boolean, connections: number) {
  return cells.filter((c) => c.target === target && c.stream === stream && c.connections === connections);
}

function perRun(
  cells: Cell[],
  target: string,
  stream: boolean,
  conns: number,
  fn: (p: LoadResult, b: LoadResult) => number,
) {
  const values: number[] = [];
  for (const mine of cellsOf(cells, target, stream, conns)) {
    const base = cells.find(
      (c) =>
        c.target === 'bare proxy' && c.stream === stream && c.connections === conns && c.run === mine.run,
    );
    if (base) values.push(fn(mine.result, base.result));
  }
  return values.length ? median(values) : NaN;
}

export interface Verdict {
  text: string;
  ok: boolean;
}

export function buildTable(cells: Cell[], targets: string[]): { markdown: string; verdicts: Verdict[] } {
  const rows = [
    '| target | stream | conns | req/s | p50 ms | p99 ms | Portal / proxy req/s | added p50 ms | x-portal-overhead-ms p50 | server CPU µs/req | proxy / Portal CPU per req | failed |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const verdicts: Verdict[] = [];
  for (const stream of [false, true])
    for (const conns of [1, 50])
      for (const target of targets) {
        const mine = cellsOf(cells, target, stream, conns);
        if (!mine.length) continue;
        const m = (fn: (r: LoadResult) => number) => median(mine.map((c) => fn(c.result)));
        const portal = target.startsWith('portal');
        const ratio = portal ? perRun(cells, target, stream, conns, (p, b) => p.rps / b.rps) : NaN;
        const added =
          portal && conns === 1 ? perRun(cells, target, stream, conns, (p, b) => p.p50 - b.p50) : NaN;
        const overhead = portal ? m((r) => r.headerMedian ?? NaN) : NaN;
        const cpu = m((r) => r.cpuUsPerRequest);
        const cpuRatio = portal
          ? perRun(cells, target, stream, conns, (p, b) => b.cpuUsPerRequest / p.cpuUsPerRequest)
          : NaN;
        const failed = mine.reduce((sum, c) => sum + c.result.failures, 0);
        rows.push(
          `| ${target} | ${stream ? 'yes' : 'no'} | ${conns} | ${m((r) => r.rps).toFixed(0)} | ${f2(m((r) => r.p50))} | ${f2(m((r) => r.p99))} | ${Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : '—'} | ${f2(added)} | ${f2(overhead)} | ${Number.isFinite(cpu) ? cpu.toFixed(0) : '—'} | ${Number.isFinite(cpuRatio) ? `${(cpuRatio * 100).toFixed(0)}%` : '—'} | ${failed} |`,
        );
        if (portal && target.includes('openai') && conns === 50)
          verdicts.push({
            ok: ratio >= 0.6,
            text: `${target}, ${stream ? 'streamed' : 'non-streamed'}, 50 conns: ${(ratio * 100).toFixed(0)}% of the bare proxy's req/s (target ≥ 60%${ratio >= 0.6 ? '' : `: missed by ${((0.6 - ratio) * 100).toFixed(0)} points`})`,
          });
        if (portal && target.includes('openai') && conns === 1)
          verdicts.push({
            ok: added <= 1,
            text: `${target}, ${stream ? 'streamed' : 'non-streamed'}, 1 conn: +${f2(added)} ms p50 over the bare proxy (target ≤ 1 ms${added <= 1 ? '' : `: missed by ${f2(added - 1)} ms`})`,
          });
      }
  return { markdown: rows.join('\n'), verdicts };
}

export function streamsLine(
  r: {
    begun: number;
    opened: number;
    failed: number;
    ended: number;
    idleRssMb: number;
    peakRssMb: number;
    openMs: number;
  },
  count: number,
  mode: string,
): Verdict {
  const ok = r.peakRssMb <= 250 && r.failed === 0 && r.ended === 0 && r.begun === count;
  return {
    ok,
    text: `${mode} mode, ${count} concurrent streams (${r.begun - r.ended} streaming at once, ${r.failed} failed, ${r.ended} ended early, ${count - r.begun} not started; started within ${(r.openMs / 1000).toFixed(1)} s): Portal RSS ${f1(r.peakRssMb)} MB (idle before: ${f1(r.idleRssMb)} MB; target ≤ 250 MB${r.peakRssMb <= 250 ? '' : `: missed by ${f1(r.peakRssMb - 250)} MB`})`,
  };
}
