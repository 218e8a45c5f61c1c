/**
 * The operations console's calls: `/admin/api/*` with the dashboard session (the same `api()` as the
 * product pages), and one way to run an action and refresh every admin view it may have changed.
 */
import { useQueryClient } from '@tanstack/react-query';
import { api } from './api';

export const ADMIN_API = '/admin/api';

/** Query keys of the console all start with "admin", so one action refreshes them all. */
export const adminKey = (...parts: unknown[]) => ['admin', ...parts];

/** GET an admin path (`/orgs?…`), typed by the caller from the contracts. */
export const adminGet = <T>(path: string) => api<T>(`${ADMIN_API}${path}`);

/** Runs an admin write, then refetches what is on screen. */
export function useAdminAction() {
  const queryClient = useQueryClient();
  return async function act<T = unknown>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
    const result = await api<T>(`${ADMIN_API}${path}`, { method, body });
    await queryClient.invalidateQueries({ queryKey: ['admin'] });
    return result;
  };
}

/** An id in a path segment. */
export const seg = (id: string) => encodeURIComponent(id);
