/**
 * A cursor-paged list read with TanStack Query: the first page, then each "Load more" asks for the page
 * after the last one's `next_cursor`. The query string (filters) is part of the cache key, so a changed
 * filter starts over at the first page.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from './api';

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** `path` without a query; `params` are the filters (empty ones are left out). */
export function useCursorList<T>(key: unknown[], path: string, params: Record<string, string>) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
  const result = useInfiniteQuery({
    queryKey: [...key, query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams(query);
      if (pageParam) q.set('cursor', pageParam);
      const s = q.toString();
      return api<Page<T>>(s ? `${path}?${s}` : path);
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = result.data?.pages.flatMap((p) => p.data) ?? [];
  return { ...result, items };
}
