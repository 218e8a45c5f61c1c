/**
 * Search over the docs pages, in the browser, with no index server: a page scores for the query words in its
 * title, headings, the terms its tables define (an error code in the Errors table, a header in the Rate limits
 * table) and its text. Exact terms such as `insufficient_quota` land on the page that defines them first.
 */
import type { PageFacts } from './markdown.js';

export interface SearchablePage {
  slug: string;
  facts: PageFacts;
}

export interface SearchHit {
  slug: string;
  title: string;
  /** The heading to jump to, when a heading matched. */
  anchor?: string;
  snippet: string;
  score: number;
}

const norm = (s: string) => s.toLowerCase();

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1 && n < 20; i = haystack.indexOf(needle, i + needle.length))
    n++;
  return n;
}

function snippetOf(text: string, word: string): string {
  const at = norm(text).indexOf(word);
  if (at === -1) return text.slice(0, 140);
  // Start and end on word boundaries, so the snippet reads as words around the match.
  const start = Math.max(0, text.lastIndexOf(' ', Math.max(0, at - 50)) + 1);
  const end = text.indexOf(' ', at + word.length + 60);
  return (start ? '…' : '') + text.slice(start, end === -1 ? undefined : end).replace(/\s+/g, ' ') + '…';
}

/** The table row that defines a query word, when the page defines one. */
function definitionOf(facts: PageFacts, words: string[]): string | undefined {
  const term = facts.defines.find((d) => words.includes(norm(d)));
  return term === undefined ? undefined : facts.definitions[term];
}

/** Pages matching every word of the query, best first (at most `limit`). */
export function search(pages: SearchablePage[], query: string, limit = 8): SearchHit[] {
  const words = norm(query)
    .split(/\s+/)
    .filter((w) => w.length > 1);
  if (!words.length) return [];
  const hits: SearchHit[] = [];
  for (const { slug, facts } of pages) {
    const body = norm(facts.text);
    let score = 0;
    let anchor: string | undefined;
    for (const word of words) {
      let s = 0;
      if (norm(facts.title).includes(word)) s += 12;
      const heading = facts.headings.find((h) => h.depth > 1 && norm(h.text).includes(word));
      if (heading) {
        s += 6;
        anchor ??= heading.id;
      }
      if (facts.defines.some((d) => norm(d) === word)) s += 25;
      s += Math.min(count(body, word), 10);
      if (s === 0) {
        score = 0;
        break;
      }
      score += s;
    }
    if (score > 0)
      hits.push({
        slug,
        title: facts.title,
        anchor,
        snippet: definitionOf(facts, words) ?? snippetOf(facts.text, words[0]!),
        score,
      });
  }
  return hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, limit);
}
