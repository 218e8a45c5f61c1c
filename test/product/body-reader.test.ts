/**
 * One JSON body reader for every API: the same bad body gets the same status, code and message on the
 * gateway (/v1), the account API (/api) and the admin API (/admin/api), each in its own error shape.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal, type Session } from '../support/harness.js';
import { errorOf } from '../support/http.js';

type Answer = { status: number; code: string; message: string };

describe('the JSON body reader', () => {
  const portal = usePortal();
  let user: Session;
  let apiKey: string;
  beforeAll(async () => {
    user = await portal.signUp();
    apiKey = (await (await user.post('/api/keys', { name: 'body reader' })).json()).key;
  });

  /** Sends one raw body to each API's create route, as each API's client would. */
  async function answers(body: BodyInit, contentType?: string): Promise<Record<string, Answer>> {
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const raw = { body, headers };
    const sent = {
      v1: portal.as(apiKey).request('POST', '/v1/chat/completions', raw),
      api: user.request('POST', '/api/keys', raw),
      admin: portal.admin.request('POST', '/admin/api/keys', raw),
    };
    const out: Record<string, Answer> = {};
    for (const [api, pending] of Object.entries(sent)) {
      const { status, code, message } = await errorOf(await pending);
      out[api] = { status, code, message };
    }
    return out;
  }

  const JSON_TYPE = 'application/json';
  it.each([
    ['malformed JSON', '{"name": ', JSON_TYPE, 400, 'invalid_json'],
    ['an empty body', '', JSON_TYPE, 400, 'invalid_json'],
    ['a JSON array', '[{"name":"x"}]', JSON_TYPE, 400, 'invalid_request_error'],
    ['a JSON string', '"name"', JSON_TYPE, 400, 'invalid_request_error'],
    ['JSON null', 'null', JSON_TYPE, 400, 'invalid_request_error'],
    ['a non-JSON content type', '<name>x</name>', 'application/xml', 415, 'unsupported_media_type'],
  ])('%s: the same answer on /v1, /api and /admin/api', async (_what, body, type, status, code) => {
    const { v1, api, admin } = await answers(body, type);
    expect(v1).toMatchObject({ status, code });
    expect(api).toEqual(v1);
    expect(admin).toEqual(v1);
  });

  it('a body over the limit: 413 payload_too_large on every API, naming its limit', async () => {
    const limit = Math.max(
      portal.services.config.server.bodyLimitBytes,
      portal.services.gateway.gateway.bodyLimitBytes(),
    );
    const big = JSON.stringify({ name: 'x'.repeat(limit + 1024) });
    const all = await answers(big, JSON_TYPE);
    for (const answer of Object.values(all))
      expect(answer).toMatchObject({
        status: 413,
        code: 'payload_too_large',
        message: expect.stringMatching(/^Request body is larger than the \d+ KiB limit\.$/),
      });
  });

  it('no content type is read as JSON on every API', async () => {
    // Bytes, not a string: a string body would get text/plain from the Request constructor.
    const { v1, api, admin } = await answers(new TextEncoder().encode('{"name": '));
    expect(v1).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(api).toEqual(v1);
    expect(admin).toEqual(v1);
  });
});
