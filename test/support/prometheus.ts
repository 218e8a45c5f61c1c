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
  /** Types declared by `# TYPE` lines, by family name (a histogram's name, not its _bucket series). */
  families: Map<string, string>;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Scraped {
  const samples: Sample[] = [];
  const families = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type?.[1] && type[2]) families.set(type[1], type[2]);
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

/** Every name a query may use: each family (declared even before its first sample), a histogram's _bucket,
 * _sum and _count series, a summary's _sum and _count, and every sample's name. */
export function exposedNames(scraped: Scraped): Set<string> {
  const names = new Set(scraped.samples.map((s) => s.name));
  for (const [name, type] of scraped.families) {
    names.add(name);
    if (type === 'histogram') names.add(`${name}_bucket`);
    if (type === 'histogram' || type === 'summary')
      for (const part of ['_sum', '_count']) names.add(name + part);
  }
  return names;
}
