/**
 * Every keys form rejects bad input with a specific message and the field in `param` — never a 500 — and
 * nothing is created. Names with markup are refused (and would only ever be rendered as text).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal, type Session } from '../support/harness.js';
import { errorOf } from '../support/http.js';

describe('keys input validation', () => {
  const portal = usePortal();
  let user: Session;
  let keyId: string;
  beforeAll(async () => {
    user = await portal.signUp();
    keyId = (await (await user.post('/api/keys', { name: 'valid' })).json()).id;
  });

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an empty name', { name: '' }, 'name', /Give the key a name/],
    ['a blank name', { name: '    ' }, 'name', /Give the key a name/],
    ['a missing name', {}, 'name', /name is required/],
    ['a 10,000-character name', { name: 'x'.repeat(10_000) }, 'name', /at most 100 characters/],
    ['a script tag', { name: '<script>alert(1)</script>' }, 'name', /cannot contain "<" or ">"/],
    ['a control character', { name: 'a\u0007b' }, 'name', /control characters/],
    ['a non-string name', { name: 42 }, 'name', /name must be a string/],
    ['an impossible date', { name: 'k', expires_at: '2027-13-45' }, 'expires_at', /valid ISO 8601 date/],
    ['a word for a date', { name: 'k', expires_at: 'tomorrow' }, 'expires_at', /valid ISO 8601 date/],
    ['a past date', { name: 'k', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at', /in the future/],
    ['an unknown model', { name: 'k', models: ['gpt-9'] }, 'models', /Unknown model "gpt-9"/],
    ['models as a string', { name: 'k', models: 'oss-20b' }, 'models', /list of model ids/],
    [
      'a negative limit',
      { name: 'k', limits: { requests_per_minute: -1 } },
      'limits.requests_per_minute',
      /at least 1/,
    ],
    [
      'a fractional limit',
      { name: 'k', limits: { tokens_per_minute: 1.5 } },
      'limits.tokens_per_minute',
      /whole number/,
    ],
    ['an unknown field', { name: 'k', owner: 'someone-else' }, '', /Unknown field\(s\): owner/],
  ];

  it.each(cases)('create refuses %s with a specific message', async (_what, body, param, message) => {
    const error = await errorOf(await user.post('/api/keys', body));
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request_error',
      message: expect.stringMatching(message),
    });
    expect(error.param ?? '').toBe(param);
  });

  it.each(cases.filter(([, body]) => 'name' in body || 'owner' in body))(
    'rename refuses %s too',
    async (_what, body, param, message) => {
      const error = await errorOf(await user.patch(`/api/keys/${keyId}`, body));
      expect(error).toMatchObject({ status: 400, message: expect.stringMatching(message) });
      expect(error.param ?? '').toBe(param);
    },
  );

  it('refuses a body that is not JSON, and a non-JSON content type', async () => {
    const broken = await user.request('POST', '/api/keys', {
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(await errorOf(broken)).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('nothing was created by the refused requests', async () => {
    const list = await (await user.get('/api/keys')).json();
    expect(list.data.map((k) => k.name)).toEqual(['valid']);
  });

  it('a valid name with quotes and unicode is stored as plain text', async () => {
    const name = `Tom's "prod" key — ünïcode & more`;
    const res = await user.post('/api/keys', { name });
    expect(res.status).toBe(201);
    expect((await res.json()).name).toBe(name);
  });
});
