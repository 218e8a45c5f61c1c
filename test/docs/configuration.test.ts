/**
 * The configuration reference (docs/pages/configuration.md) is generated from the config schema and must be
 * committed as generated: it names every schema option with a description and every environment variable the
 * server reads. Regenerate with `npm run docs:config`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DESCRIPTIONS } from '#src/platform/config/descriptions.js';
import { ENV_OVERRIDES } from '#src/platform/config/load.js';
import { configOptions, configReferencePage } from '#src/platform/config/reference.js';
import { search } from '../../web/src/docs/search.js';
import { loadPages, ROOT } from './pages.js';

const PAGE = join(ROOT, 'docs/pages/configuration.md');
const committed = readFileSync(PAGE, 'utf8');
const defined = new Set(loadPages().find((p) => p.slug === 'configuration')?.facts.defines);

/** Environment variable names the server's code reads (`env.NAME`, `process.env.NAME`, `'PORTAL_…'`). */
function envNamesInSource(dir = join(ROOT, 'src')): string[] {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|'(PORTAL_[A-Z0-9_]+)'/g))
      names.add((m[1] ?? m[2])!);
  }
  return [...names].sort();
}

describe('configuration reference', () => {
  it('the committed page is what `npm run docs:config` generates', async () => {
    expect(committed, 'run `npm run docs:config` and commit the page').toBe(await configReferencePage(PAGE));
  });

  it('every schema option is in a table of the page, with a description', () => {
    const options = configOptions().map((o) => o.path);
    expect(options.length).toBeGreaterThan(90);
    expect(options.filter((p) => !defined.has(p))).toEqual([]);
    expect(options.filter((p) => !CONFIG_DESCRIPTIONS[p]?.text)).toEqual([]);
  });

  it('every description belongs to a schema option (none left behind by a rename)', () => {
    const options = new Set(configOptions().map((o) => o.path));
    expect(Object.keys(CONFIG_DESCRIPTIONS).filter((p) => !options.has(p))).toEqual([]);
  });

  it('every environment variable the server reads or maps is in the variables table', () => {
    const names = [...new Set([...ENV_OVERRIDES.map((e) => e.name), ...envNamesInSource()])];
    expect(names).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'NODE_ENV', 'PORTAL_ADMIN_TOKEN']));
    expect(names.filter((n) => !defined.has(n))).toEqual([]);
  });

  it('search finds an option and a variable on the configuration page first', () => {
    const pages = loadPages();
    expect(search(pages, 'server.trustProxy')[0]?.slug).toBe('configuration');
    expect(search(pages, 'PORTAL_PUBLIC_URL')[0]?.slug).toBe('configuration');
  });
});
