/**
 * Reading a scraped /metrics text in tests: `scrape(t.admin)` fetches and parses it, `value(scraped, name,
 * labels)` sums the samples of that name whose labels include `labels` (0 when there are none).
 */
import { expect } from 'vitest';
import type { Caller } from './http.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scraped {
  text: string;
  samples: Sample[];
  /** Names declared by `# TYPE` lines (a histogram's name, not its _bucket series). */
  families: Set<string>;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Scraped {
  const samples: Sample[] = [];
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type?.[1]) families.add(type[1]);
    const m = LINE.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL)) if (k !== undefined) labels[k] = v ?? '';
    samples.push({ name: m[1] ?? '', labels, value: Number(m[3]) });
  }
  return { text, samples, families };
}

export async function scrape(admin: Caller): Promise<Scraped> {
  const res = await admin.get('/metrics');
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

export function value(scraped: Scraped, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const s of scraped.samples)
    if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) sum += s.value;
  return sum;
}

/** Every sample name exposed, and for histograms and summaries their family names too. */
export function exposedNames(scraped: Scraped): Set<string> {
  return new Set([...scraped.families, ...scraped.samples.map((s) => s.name)]);
}
