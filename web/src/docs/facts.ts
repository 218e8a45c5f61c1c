/** The public facts the docs fill in (GET /api/docs): support contact, live catalog, plans. */
import { useQuery } from '@tanstack/react-query';
import type { DocsResponse } from '../lib/types';
import { api } from '../lib/api';

export function useDocsFacts() {
  return useQuery({
    queryKey: ['docs-facts'],
    queryFn: () => api<DocsResponse>('/api/docs'),
    staleTime: 30_000,
  });
}
