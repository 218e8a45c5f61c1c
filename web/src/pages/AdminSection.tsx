/**
 * The operations console (issue #15): lazy-loaded, drawn only for an operator (`is_admin`; App shows
 * everyone else the 404 page, and the server answers 404 on /admin/api for them). One page per path.
 */
import { useEffect } from 'react';
import { navigate } from '../lib/router';
import { NotFoundPage } from './NotFound';
import { AuditPage } from './AdminAudit';
import { AdminKeysPage } from './AdminKeys';
import { AdminRequestDetail, AdminRequestsPage } from './AdminRequests';
import { MeteringPage } from './AdminMetering';
import { ModelsPage } from './AdminModels';
import { OrgDetailPage } from './AdminOrgDetail';
import { OrgsPage } from './AdminOrgs';
import { PoolsPage } from './AdminPools';

const PAGES: Record<string, { title: string; page: () => React.ReactNode }> = {
  '/admin/orgs': { title: 'Organizations', page: () => <OrgsPage /> },
  '/admin/keys': { title: 'Keys', page: () => <AdminKeysPage /> },
  '/admin/models': { title: 'Models', page: () => <ModelsPage /> },
  '/admin/pools': { title: 'Pools & routers', page: () => <PoolsPage /> },
  '/admin/requests': { title: 'Requests', page: () => <AdminRequestsPage /> },
  '/admin/audit': { title: 'Audit log', page: () => <AuditPage /> },
  '/admin/metering': { title: 'Metering', page: () => <MeteringPage /> },
};

/** A detail page: /admin/orgs/:id and /admin/requests/:id. */
function detailOf(path: string): { title: string; node: React.ReactNode } | null {
  const match = /^\/admin\/(orgs|requests)\/([^/]+)$/.exec(path);
  if (!match?.[2]) return null;
  const id = decodeURIComponent(match[2]);
  return match[1] === 'orgs'
    ? { title: 'Organization', node: <OrgDetailPage id={id} /> }
    : { title: 'Request', node: <AdminRequestDetail id={id} /> };
}

export default function AdminSection({ path }: { path: string }) {
  const page = PAGES[path];
  const detail = page ? null : detailOf(path);
  const title = page?.title ?? detail?.title ?? (path === '/admin' ? 'Admin' : 'Not found');
  useEffect(() => {
    document.title = `${title} · Admin · Portal`;
  }, [title]);
  useEffect(() => {
    if (path === '/admin' || path === '/admin/') navigate('/admin/orgs', { replace: true });
  }, [path]);
  if (page) return page.page();
  if (detail) return detail.node;
  return <NotFoundPage path={path} />;
}
