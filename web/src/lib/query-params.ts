/** The page's query string as named values, and a way to replace them (filters that make a view a link). */
import { navigate, usePath, useSearch, withQuery } from './router';

export function useQueryParams<N extends string>(
  names: readonly N[],
): [Record<N, string>, (next: Partial<Record<N, string>>) => void] {
  const path = usePath();
  const search = new URLSearchParams(useSearch());
  const values = Object.fromEntries(names.map((n) => [n, search.get(n) ?? ''])) as Record<N, string>;
  const set = (next: Partial<Record<N, string>>) => navigate(withQuery(path, next));
  return [values, set];
}
