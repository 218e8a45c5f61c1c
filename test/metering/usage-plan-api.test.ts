import { beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '#src/platform/bus/types.js';
import { usePortal, type Session } from '../support/harness.js';
import { usageEvent } from './support.js';

describe('usage and plan API', () => {
  const portal = usePortal();
  let alice: Session;
  let aliceOrg: string;
  let bobOrg: string;

  const admin = () => portal.admin.under('/admin/api');
  const orgOf = async (client: Session) => (await (await client.get('/api/account')).json()).organization.id;

  beforeAll(async () => {
    alice = await portal.signUp();
    aliceOrg = await orgOf(alice);
    bobOrg = await orgOf(await portal.signUp());
  });

  it('answers totals, series, by key and by model from the rollups', async () => {
    const day = new Date(Date.UTC(2026, 10, 20, 10, 30));
    const { metering } = portal.services;
    for (let i = 0; i < 6; i++)
      metering.recordUsage(
        usageEvent({
          orgId: aliceOrg,
          keyId: i < 4 ? 'key_one' : 'key_two',
          modelId: i % 2 ? 'qwen' : 'oss-20b',
          occurredAt: day,
          inputTokens: 100,
          outputTokens: 50,
          costMicros: 250_000,
        }),
      );
    metering.recordUsage(usageEvent({ orgId: bobOrg, occurredAt: day }));
    await metering.flush();
    const res = await alice.get('/api/usage?from=2026-11-19&to=2026-11-22&granularity=day');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.totals).toEqual({
      requests: 6,
      input_tokens: 600,
      output_tokens: 300,
      cost: 1.5,
      cost_micros: 1_500_000,
    });
    expect(body.series.map((s) => [s.bucket, s.requests])).toEqual([
      ['2026-11-19T00:00:00.000Z', 0],
      ['2026-11-20T00:00:00.000Z', 6],
      ['2026-11-21T00:00:00.000Z', 0],
    ]);
    expect(body.by_key.map((k) => [k.key_id, k.requests])).toEqual([
      ['key_one', 4],
      ['key_two', 2],
    ]);
    expect(body.by_model.map((m) => [m.model, m.requests]).sort()).toEqual([
      ['oss-20b', 3],
      ['qwen', 3],
    ]);
    expect(body.windows).toEqual(expect.any(Array));

    const hourly = await (
      await alice.get(
        '/api/usage?from=2026-11-20T09:00:00Z&to=2026-11-20T12:00:00Z&granularity=hour&model=qwen',
      )
    ).json();
    expect(hourly.series.map((s) => s.requests)).toEqual([0, 3, 0]);
    expect(hourly.totals.requests).toBe(3);
  });

  it('shows a request in the totals within 2 s of its completion, without an explicit flush', async () => {
    const before = (await (await alice.get('/api/usage')).json()).totals.requests;
    portal.services.metering.recordUsage(usageEvent({ orgId: aliceOrg }));
    await expect
      .poll(async () => (await (await alice.get('/api/usage')).json()).totals.requests, {
        timeout: 2_000,
        interval: 100,
      })
      .toBe(before + 1);
  });

  it('400 with the parameter named when the range is invalid', async () => {
    const res = await alice.get('/api/usage?granularity=week');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('granularity');
    expect((await alice.get('/api/usage?from=2020-01-01&to=2026-01-01&granularity=hour')).status).toBe(400);
  });

  it('401 for usage and plan when signed out', async () => {
    expect((await portal.anon.get('/api/usage')).status).toBe(401);
    expect((await portal.anon.get('/api/plan')).status).toBe(401);
  });

  it('shows the default plan with its limits and models, and no balance', async () => {
    const body = await (await alice.get('/api/plan')).json();
    expect(body.plan).toMatchObject({ id: 'free', kind: 'free', max_active_keys: 5 });
    expect(body.plan.limits.requests_per_minute).toBe(20);
    expect(body.plan.models).toEqual(['oss-20b', 'gemma4', 'qwen']);
    expect(body.balance_micros).toBeNull();
    expect(body.plans.map((p) => p.id)).toEqual(expect.arrayContaining(['free', 'pro', 'credits']));
  });

  it('moves an org to the credits plan, announces it on the bus, and shows the granted balance', async () => {
    const seen: BusMessage[] = [];
    const off = portal.services.bus.subscribe((m) => seen.push(m));
    const changed = await admin().post(`/orgs/${aliceOrg}/plan`, { plan_id: 'credits' });
    off();
    expect(changed.status).toBe(200);
    expect(seen).toContainEqual({ type: 'plan.changed', orgId: aliceOrg, planId: 'credits' });
    const grant = await admin().post(`/orgs/${aliceOrg}/ledger`, {
      kind: 'grant',
      amount_micros: 5_000_000,
      description: 'Welcome credit',
    });
    expect(grant.status).toBe(201);
    const body = await (await alice.get('/api/plan')).json();
    expect(body.plan.kind).toBe('credits');
    expect(body.balance_micros).toBe(5_000_000);
    expect(body.ledger[0]).toMatchObject({
      kind: 'grant',
      amount_micros: 5_000_000,
      description: 'Welcome credit',
    });
    const subs = await portal.store.query<{ plan_id: string; status: string }>(
      'select plan_id, status from plan_subscriptions where org_id = $1 order by started_at',
      [aliceOrg],
    );
    expect(subs.map((s) => `${s.plan_id}:${s.status}`)).toEqual(['free:ended', 'credits:active']);
    const audit = await portal.store.query('select 1 from audit_log where org_id = $1 and action = $2', [
      aliceOrg,
      'plan.changed',
    ]);
    expect(audit).toHaveLength(1);
  });

  it('debits credit-plan usage in the ledger and derives the balance from it', async () => {
    portal.services.metering.recordUsage(usageEvent({ orgId: aliceOrg, costMicros: 1_000_000 }));
    await portal.services.metering.flush();
    const ledger = (await (await admin().get(`/orgs/${aliceOrg}/ledger`)).json()) as {
      balance_micros: number;
      entries: { kind: string }[];
    };
    expect(ledger.balance_micros).toBe(4_000_000);
    expect(ledger.entries.map((e) => e.kind)).toEqual(['usage_debit', 'grant']);
  });

  it('404 for an unknown plan, 400 for a negative grant', async () => {
    expect((await admin().post(`/orgs/${aliceOrg}/plan`, { plan_id: 'nope' })).status).toBe(404);
    const res = await admin().post(`/orgs/${aliceOrg}/ledger`, { kind: 'grant', amount_micros: -5 });
    expect(res.status).toBe(400);
  });

  it('shows the writer numbers to admins and on /metrics', async () => {
    const res = await admin().get('/metering');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: 'ok', queueDepth: 0, eventsWritten: expect.any(Number) });
    expect((await portal.anon.get('/admin/api/metering')).status).toBe(404); // not revealed to anonymous callers
    expect((await portal.anon.get('/metrics')).status).toBe(401); // the admin token, or the ops listener
    const metrics = await (await portal.admin.get('/metrics')).text();
    for (const name of [
      'portal_metering_queue_depth',
      'portal_metering_spool_bytes',
      'portal_metering_batch_duration_seconds_bucket',
      'portal_metering_write_failures_total',
      'portal_metering_events_written_total',
    ])
      expect(metrics).toContain(name);
  });
});
