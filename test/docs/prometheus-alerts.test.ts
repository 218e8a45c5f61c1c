/**
 * The example alert rules (docs/ops/prometheus-alerts.yml) cannot drift from Portal: every metric an `expr`
 * names is exposed by a running Portal's /metrics (after a few real requests), every rule is complete
 * (severity, summary, a runbook link), and every alert is explained under its own heading in
 * docs/operations.md, which its `runbook` annotation points at.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { factsOf } from '../../web/src/docs/markdown.js';
import { steadySimEach, usePortal } from '#test/support/harness.js';
import { chatBody } from '#test/support/http.js';
import { exposedNames, scrape } from '#test/support/prometheus.js';
import { ROOT } from './pages.js';

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const RULES_FILE = 'docs/ops/prometheus-alerts.yml';
const file = parse(readFileSync(join(ROOT, RULES_FILE), 'utf8')) as {
  groups: Array<{ name: string; rules: Rule[] }>;
};
const rules = file.groups.flatMap((g) => g.rules);
const runbook = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
const headings = new Set(factsOf(runbook).headings.map((h) => h.id));

/** PromQL words that are neither metrics nor calls. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** The metric names of a PromQL expression: identifiers left once strings, label matchers, groupings, ranges
 * and calls are taken out. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const names: string[] = [];
  for (const m of bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(\s*\()?/g)) {
    const name = m[1] ?? '';
    if (m[2] || KEYWORDS.has(name.toLowerCase())) continue;
    names.push(name);
  }
  return [...new Set(names)];
}

describe('the metric-name reader', () => {
  it('finds metrics and only metrics in an expression', () => {
    expect(
      metricNames(
        'sum by (pool, router) (rate(portal_a_total{kind="x",le=~"5.."}[5m])) / on (pool) portal_b > 0.2 and up',
      ),
    ).toEqual(['portal_a_total', 'portal_b', 'up']);
  });
});

describe(RULES_FILE, () => {
  const t = usePortal();
  steadySimEach(t, 4);
  let exposed: Set<string>;

  beforeAll(async () => {
    // A few real requests, so labelled series exist too (names are declared before their first sample anyway).
    const { key } = await t.account({ plan: 'pro' });
    await t.as(key).post('/v1/chat/completions', chatBody());
    await (await t.as(key).post('/v1/chat/completions', chatBody({ stream: true }))).text();
    exposed = exposedNames(await scrape(t.admin));
  });

  it('has rules', () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rules.map((r) => [r.alert ?? '(unnamed)', r] as const))(
    '%s: uses only metrics Portal exposes, and is complete',
    (name, rule) => {
      expect(rule.alert).toMatch(/^Portal[A-Z]\w+$/);
      expect(rule.expr).toBeTruthy();
      const used = metricNames(rule.expr ?? '');
      expect(used.length).toBeGreaterThan(0);
      expect(used.filter((m) => !exposed.has(m))).toEqual([]);
      expect(rule.labels?.severity).toMatch(/^(page|warn)$/);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.runbook).toBe(`docs/operations.md#${name.toLowerCase()}`);
      expect(headings.has(name.toLowerCase()), `docs/operations.md has no "### ${name}" heading`).toBe(true);
    },
  );

  it('names each alert once', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
  });
});
