/** The docs search box: results as you type, Enter opens the best one. */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { navigate } from '../lib/router';
import { PAGES } from './content';
import { search, type SearchHit } from './search';

const hrefOf = (hit: SearchHit) => `/docs/${hit.slug}${hit.anchor ? `#${hit.anchor}` : ''}`;

export function SearchBox() {
  const [query, setQuery] = useState('');
  const hits = useMemo(() => search(PAGES, query), [query]);
  const listId = useId();
  const open = (hit: SearchHit) => {
    setQuery('');
    navigate(hrefOf(hit));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (hits[0]) open(hits[0]);
  };
  return (
    <form className="docs-search" role="search" onSubmit={submit}>
      <input
        type="search"
        className="docs-search-input"
        placeholder="Search, e.g. insufficient_quota"
        aria-label="Search the docs"
        aria-controls={listId}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {query.trim().length > 1 && (
        <ul id={listId} className="docs-search-results" aria-label="Search results">
          {hits.length === 0 && <li className="muted small">No page mentions “{query.trim()}”.</li>}
          {hits.map((hit) => (
            <li key={hit.slug}>
              <a
                href={hrefOf(hit)}
                onClick={(e) => {
                  e.preventDefault();
                  open(hit);
                }}
              >
                <strong>{hit.title}</strong>
                <span className="muted small block">{hit.snippet}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
