/**
 * Finding Low (issue #10): the client's x-request-id was the request log's primary key, so three requests
 * sent with one id left one row. Portal now always generates its own id (x-request-id on the answer, the
 * log's key) and keeps the client's, bounded to 128 printable ASCII characters, in its own column, echoed as
 * x-client-request-id.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';

describe('client request ids', () => {
  const t = usePortal();
  let key: string;
  beforeAll(async () => {
    ({ key } = await t.account());
  });

  const call = (requestId: string) =>
    t
      .as(key)
      .with({ 'x-request-id': requestId })
      .post('/v1/chat/completions', chatBody({ max_tokens: 4 }));

  it('three requests with one client id leave three request logs, each under Portal’s own id', async () => {
    const answers = await Promise.all([call('same-id'), call('same-id'), call('same-id')]);
    const ids = answers.map((r) => r.headers.get('x-request-id')!);
    expect(new Set(ids).size).toBe(3);
    for (const r of answers) {
      expect(r.status).toBe(200);
      expect(r.headers.get('x-request-id')).toMatch(/^req_/);
      expect(r.headers.get('x-client-request-id')).toBe('same-id');
    }
    await t.services.metering.flush();
    const rows = await t.store.query<{ request_id: string; client_request_id: string }>(
      'select request_id, client_request_id from request_logs where request_id = any($1)',
      [ids],
    );
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.client_request_id === 'same-id')).toBe(true);
  });

  it('the client id is bounded to 128 printable ASCII characters', async () => {
    const res = await call(`ab\u00e9\u00ffcd${'x'.repeat(300)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-client-request-id')).toBe(`abcd${'x'.repeat(124)}`);
  });
});
