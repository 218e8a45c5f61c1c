/**
 * The console's add / edit router form (web/src/pages/admin-router-form.ts): its checks refuse what the
 * admin API's router schema refuses, and the body it builds is one that schema accepts.
 */
import { describe, expect, it } from 'vitest';
import { createRouterBody, updateRouterBody } from '#src/contracts/admin.js';
import { routerForm } from '../../web/src/pages/admin-router-form.js';

const good = {
  id: 'edge-1',
  url: 'http://10.0.0.5:5010',
  secret_ref: 'ROUTER_A_KEY',
  sessions: '12, 13',
  weight: '2',
  max_concurrency: '32',
  reason: '',
};

const problems = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(routerForm(null).validate(values)).filter(([, v]) => v));

describe('the router form', () => {
  it('builds a body the create schema accepts from good values', () => {
    expect(problems(good)).toEqual({});
    const body = routerForm(null).toRequest(good);
    expect(body).toEqual({
      id: 'edge-1',
      url: 'http://10.0.0.5:5010',
      secret_ref: 'ROUTER_A_KEY',
      sessions: [12, 13],
      weight: 2,
      max_concurrency: 32,
    });
    expect(createRouterBody.safeParse(body).success).toBe(true);
  });

  it.each([
    ['id', 'Edge 1'],
    ['url', 'ftp://x'],
    ['url', 'http://user:pw@10.0.0.5:5010'],
    ['url', 'http://10.0.0.5:5010/?key=1'],
    ['secret_ref', 'sk-live-123'],
    ['sessions', '1, two'],
    ['weight', '0'],
    ['max_concurrency', '1.5'],
  ])('refuses %s = %j, as the server does', (field, value) => {
    const values = { ...good, [field]: value };
    expect(Object.keys(problems(values))).toEqual([field]);
    const raw = { ...routerForm(null).toRequest({ ...good }), ...rawField(field, value) };
    expect(createRouterBody.safeParse(raw).success).toBe(false);
  });

  it('an edit sends no id, clears an emptied secret reference and carries the reason', () => {
    const existing = {
      id: 'edge-1',
      baseUrl: 'http://10.0.0.5:5010',
      authSecretRef: 'ROUTER_A_KEY',
      source: 'admin',
      state: 'active',
      weight: 1,
      maxConcurrency: 64,
      dedicatedSessions: 0,
      ephemeralSessions: 0,
      inFlight: 0,
      ewmaMs: null,
      errorRate: null,
      breaker: { state: 'closed', consecutiveFailures: 0, openedAt: null },
      cooldownUntil: null,
      lastProbe: null,
    } as const;
    const form = routerForm(existing);
    expect(form.fields.map((f) => f.name)).not.toContain('id');
    const body = form.toRequest({ ...form.initial, secret_ref: '', reason: 'rotate' });
    expect(body).toMatchObject({ secret_ref: null, reason: 'rotate', weight: 1, max_concurrency: 64 });
    expect(body).not.toHaveProperty('id');
    expect(updateRouterBody.safeParse(body).success).toBe(true);
  });
});

/** The field as the server would see it without the form's conversion (numbers stay numbers). */
function rawField(field: string, value: string): Record<string, unknown> {
  if (field === 'sessions') return { sessions: value.split(',').map((s) => Number(s.trim())) };
  if (field === 'weight' || field === 'max_concurrency') return { [field]: Number(value) };
  return { [field]: value };
}
