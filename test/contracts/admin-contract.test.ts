/**
 * The admin API against its contract (src/contracts/admin-responses.ts): every route the app registers under
 * /admin/api is in `adminRoutes` (and the table lists nothing the app does not serve), and every route's real
 * success body parses with its strict response schema and its real error body with the shared error schema.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { errorBody, type RouteContract } from '#src/contracts/index.js';
import { adminRoutes } from '#src/contracts/admin-responses.js';
import { usePortal } from '../support/harness.js';
import { recordExchanges, type Exchange } from './exchanges.js';

const label = (r: Pick<RouteContract, 'method' | 'path'>) => `${r.method} ${r.path}`;

describe('admin API contract', () => {
  const portal = usePortal();
  let admin: Exchange[];

  beforeAll(async () => {
    admin = (await recordExchanges(portal)).filter((e) => e.route.startsWith('/admin/api/'));
  }, 120_000);

  it('lists every /admin/api route the app registers, and nothing else', () => {
    const registered = portal.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/admin/api/'))
      .map((r) => `${r.method} ${r.path}`);
    const listed = adminRoutes.map(label);
    expect(registered.length).toBeGreaterThan(20);
    expect(registered.filter((r) => !listed.includes(r))).toEqual([]);
    expect(listed.filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('answers every route’s success with a body its response schema accepts', () => {
    const problems = admin
      .filter((e) => e.status < 400)
      .flatMap((e) => {
        const contract = adminRoutes.find((r) => r.method === e.method && r.path === e.route)!;
        if (e.status !== contract.status) return [`${e.method} ${e.route}: status ${e.status}`];
        const issues = contract.response.safeParse(e.body).error?.issues ?? [];
        return issues.map((i) => `${e.method} ${e.route}: ${i.path.join('.')} ${i.message}`);
      });
    expect(problems).toEqual([]);
  });

  it('answers every route’s errors in the one error shape', () => {
    const problems = admin
      .filter((e) => e.status >= 400)
      .flatMap((e) =>
        (errorBody.safeParse(e.body).error?.issues ?? []).map((i) => `${e.method} ${e.route}: ${i.message}`),
      );
    expect(problems).toEqual([]);
  });

  it('exercised every route, success and error', () => {
    const seen = (ok: boolean) =>
      new Set(admin.filter((e) => e.status < 400 === ok).map((e) => `${e.method} ${e.route}`));
    const [succeeded, failed] = [seen(true), seen(false)];
    const routes = adminRoutes.map(label);
    expect(routes.filter((r) => !succeeded.has(r))).toEqual([]);
    expect(routes.filter((r) => !failed.has(r))).toEqual([]);
  });
});
