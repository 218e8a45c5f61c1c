/**
 * Request logs of /v1 calls: one row per authenticated request, derived from what became of it — an answered
 * call (whole or streamed) with its model, route and the same token counts as its usage event, a call
 * refused at admission with its error, and a stream the client left as a 499.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { steadySimEach, usePortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';
import type { TestAccount } from '../support/fixtures.js';

const t = usePortal();
let account: TestAccount;

beforeAll(async () => {
  account = await t.account();
});
steadySimEach(t, 16);

const chat = (body: Record<string, unknown>, signal?: AbortSignal) =>
  t.as(account.key).post('/v1/chat/completions', chatBody(body), { signal });

interface Row {
  org_id: string | null;
  model_id: string | null;
  pool_id: string | null;
  router_id: string | null;
  stream: boolean;
  status: number;
  error_code: string | null;
  ttft_ms: number | null;
  input_tokens: number;
  output_tokens: number;
}

async function logOf(requestId: string) {
  await t.services.metering.flush();
  const [row] = await t.store.query<Row>(
    `select org_id, model_id, pool_id, router_id, stream, status, error_code, ttft_ms, input_tokens, output_tokens
       from request_logs where request_id = $1`,
    [requestId],
  );
  const [usage] = await t.store.query<{ input_tokens: number; output_tokens: number }>(
    'select input_tokens, output_tokens from usage_events where request_id = $1',
    [requestId],
  );
  return { row, usage };
}

describe('request logs', () => {
  it('log a whole answer with its model, route and the usage event’s token counts', async () => {
    const res = await chat({});
    await res.json();
    const { row, usage } = await logOf(res.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      org_id: account.orgId,
      model_id: 'oss-20b',
      pool_id: 'test-pool',
      router_id: 'test-pool-r1',
      stream: false,
      status: 200,
      error_code: null,
      ttft_ms: null,
      input_tokens: usage!.input_tokens,
      output_tokens: usage!.output_tokens,
    });
    expect(row!.output_tokens).toBeGreaterThan(0);
  });

  it('log a stream when it ends, with its time to first token and the usage event’s token counts', async () => {
    const res = await chat({ stream: true });
    await res.text();
    const requestId = res.headers.get('x-request-id')!;
    await expect.poll(async () => (await logOf(requestId)).row, { timeout: 3_000 }).toBeDefined();
    const { row, usage } = await logOf(requestId);
    expect(row).toMatchObject({
      model_id: 'oss-20b',
      pool_id: 'test-pool',
      stream: true,
      status: 200,
      error_code: null,
      input_tokens: usage!.input_tokens,
      output_tokens: usage!.output_tokens,
    });
    expect(row!.ttft_ms).not.toBeNull();
  });

  it('log a call refused at admission with its status and error, as the stream it asked for', async () => {
    const res = await chat({ model: 'no-such-model', stream: true });
    expect(res.status).toBe(404);
    const { row, usage } = await logOf(res.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      org_id: account.orgId,
      model_id: null,
      stream: true,
      status: 404,
      error_code: 'model_not_found',
      input_tokens: 0,
      output_tokens: 0,
    });
    expect(usage).toBeUndefined();
  });

  it('log a stream the client left as 499 client_disconnected', async () => {
    t.sim.configure({ tokensPerSecond: 50, outputTokens: 1000 });
    const abort = new AbortController();
    const res = await chat({ stream: true, max_tokens: 1000 }, abort.signal);
    const requestId = res.headers.get('x-request-id')!;
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await expect.poll(async () => (await logOf(requestId)).row, { timeout: 3_000 }).toBeDefined();
    expect((await logOf(requestId)).row).toMatchObject({
      status: 499,
      error_code: 'client_disconnected',
      stream: true,
    });
  });

  it('page through the admin request list with next_cursor, every row once, newest first', async () => {
    for (let i = 0; i < 3; i++) expect((await chat({})).status).toBe(200);
    await t.portal.services.metering.flush();
    const list = async (query: string) => {
      const res = await t.admin.get(`/admin/api/requests?org=${account.orgId}&${query}`);
      expect(res.status).toBe(200);
      return (await res.json()) as { data: Array<{ requestId: string }>; next_cursor: string | null };
    };
    const all = (await list('limit=500')).data.map((r) => r.requestId);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const paged: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.data.map((r) => r.requestId));
      cursor = page.next_cursor;
    }
    expect(paged).toEqual(all);
  });
});
