/**
 * The docs pages as the dashboard ships them: the Markdown files in docs/pages and the example files in
 * examples/ (bundled as text at build time), in the order and sections of the docs navigation.
 */
import { expandIncludes, factsOf, type PageFacts } from './markdown.js';

const pageFiles = import.meta.glob('../../../docs/pages/*.md', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;
const exampleFiles = import.meta.glob('../../../examples/*.{sh,mjs,py}', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** The docs navigation: sections of page slugs (file names in docs/pages without .md). */
export const SECTIONS: Array<{ title: string; slugs: string[] }> = [
  { title: 'Get started', slugs: ['quickstart', 'authentication', 'models'] },
  {
    title: 'Endpoints',
    slugs: ['chat-completions', 'completions', 'messages', 'streaming', 'tools'],
  },
  { title: 'Limits and errors', slugs: ['rate-limits', 'errors', 'usage-billing'] },
  {
    title: 'SDKs',
    slugs: ['sdk-curl', 'sdk-python', 'sdk-javascript', 'sdk-anthropic', 'sdk-vercel-ai', 'sdk-langchain'],
  },
  { title: 'Help', slugs: ['support'] },
  { title: 'Operate Portal', slugs: ['deployment', 'configuration', 'architecture', 'upgrading'] },
];

export interface DocPage {
  slug: string;
  source: string;
  facts: PageFacts;
}

const examples = Object.fromEntries(
  Object.entries(exampleFiles).map(([path, text]) => [path.replace('../../../', ''), text]),
);

export const PAGES: DocPage[] = SECTIONS.flatMap((s) => s.slugs).map((slug) => {
  const raw = pageFiles[`../../../docs/pages/${slug}.md`];
  if (raw === undefined) throw new Error(`docs page ${slug}.md is missing`);
  const source = expandIncludes(raw, examples);
  return { slug, source, facts: factsOf(source) };
});

export const pageBySlug = (slug: string) => PAGES.find((p) => p.slug === slug);
