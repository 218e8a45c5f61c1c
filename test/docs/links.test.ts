/**
 * Every internal link in the docs pages resolves: /docs/PAGE to a page in the navigation, #anchor to a heading
 * of that page, /docs/reference to the API reference, and dashboard paths to the dashboard's routes. Every page
 * is in the navigation and every navigation entry has a page. External links must be https.
 */
import { describe, expect, it } from 'vitest';
import { loadPages, navSlugs } from './pages.js';

/** Served by other parts of the app: the OpenAPI reference page and the dashboard's own routes. */
const OTHER_ROUTES = new Set([
  '/docs/reference',
  '/sign-in',
  '/sign-up',
  '/keys',
  '/usage',
  '/requests',
  '/plan',
  '/profile',
]);

const pages = loadPages();
const bySlug = new Map(pages.map((p) => [p.slug, p]));

function problemOf(from: string, href: string): string | null {
  if (/^https:\/\//.test(href)) return null;
  if (/^[a-z]+:/.test(href)) return `${href}: only https external links`;
  const [path = '', anchor] = href.split('#');
  const target =
    path === '' ? bySlug.get(from) : path.startsWith('/docs/') ? bySlug.get(path.slice(6)) : undefined;
  if (!target) return OTHER_ROUTES.has(path) && anchor === undefined ? null : `${href}: no such page`;
  if (anchor !== undefined && !target.facts.headings.some((h) => h.id === anchor))
    return `${href}: no heading #${anchor} on ${target.slug}`;
  return null;
}

describe('docs links', () => {
  it('every page is in the navigation, and every navigation entry is a page', () => {
    expect([...bySlug.keys()].sort()).toEqual([...navSlugs()].sort());
  });

  it.each(pages.map((p) => [p.slug, p] as const))('%s: every link resolves', (slug, page) => {
    expect(page.facts.links.length).toBeGreaterThan(0);
    const problems = page.facts.links.map((href) => problemOf(slug, href)).filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('the checker itself refuses a missing page, a missing anchor and a plain-http link', () => {
    expect(problemOf('errors', '/docs/nope')).toMatch(/no such page/);
    expect(problemOf('errors', '/docs/rate-limits#nope')).toMatch(/no heading/);
    expect(problemOf('errors', 'http://example.com')).toMatch(/https/);
    expect(problemOf('errors', '/docs/rate-limits#backing-off')).toBeNull();
  });
});
