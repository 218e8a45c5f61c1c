/**
 * The docs pages as the tests read them: the same Markdown files and example includes the dashboard bundles
 * (web/src/docs/content.ts does it with Vite; this does it with the file system), through the same functions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandIncludes, factsOf, type PageFacts } from '../../web/src/docs/markdown.js';

export const ROOT = join(import.meta.dirname, '../..');
export const EXAMPLES_DIR = join(ROOT, 'examples');
const PAGES_DIR = join(ROOT, 'docs/pages');

export interface TestPage {
  slug: string;
  source: string;
  facts: PageFacts;
}

export function examples(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(EXAMPLES_DIR).map((f) => [`examples/${f}`, readFileSync(join(EXAMPLES_DIR, f), 'utf8')]),
  );
}

export function loadPages(): TestPage[] {
  const files = examples();
  return readdirSync(PAGES_DIR)
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const source = expandIncludes(readFileSync(join(PAGES_DIR, f), 'utf8'), files);
      return { slug: f.replace(/\.md$/, ''), source, facts: factsOf(source) };
    });
}

/** The navigation's slugs, read from web/src/docs/content.ts (it uses Vite's import.meta.glob, so it is
 * read as text rather than imported). */
export function navSlugs(): string[] {
  const text = readFileSync(join(ROOT, 'web/src/docs/content.ts'), 'utf8');
  const block = text.slice(
    text.indexOf('export const SECTIONS'),
    text.indexOf('];', text.indexOf('export const SECTIONS')),
  );
  return [...block.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]!);
}
