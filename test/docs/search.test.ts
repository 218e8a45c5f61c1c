/**
 * The docs search over the real pages: an error code lands on the Errors page (which defines it) ahead of the
 * pages that only mention it, a topic lands on its page, every word must match, and nothing is found for
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import { search } from '../../web/src/docs/search.js';
import { loadPages } from './pages.js';

const pages = loadPages();
const first = (query: string) => search(pages, query)[0]?.slug;

describe('docs search', () => {
  it.each(['insufficient_quota', 'rate_limit_exceeded', 'context_length_exceeded', 'key_revoked'])(
    '%s lands on the Errors page first',
    (code) => expect(first(code)).toBe('errors'),
  );

  it('a defining hit shows the table row as its snippet', () => {
    expect(search(pages, 'insufficient_quota')[0]?.snippet).toMatch(/^insufficient_quota · 429 ·/);
  });

  it.each([
    ['streaming', 'streaming'],
    ['x-ratelimit-remaining-tokens', 'rate-limits'],
    ['langchain', 'sdk-langchain'],
    ['anthropic thinking', 'messages'],
  ])('"%s" lands on %s', (query, slug) => expect(first(query)).toBe(slug));

  it('needs every word, and finds nothing for an empty or unknown query', () => {
    expect(search(pages, 'streaming zzzzqqq')).toEqual([]);
    expect(search(pages, '  ')).toEqual([]);
    expect(search(pages, 'qqqqzzzz')).toEqual([]);
  });
});
