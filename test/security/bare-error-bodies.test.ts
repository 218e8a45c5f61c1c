/**
 * Found by the bad-input corpus: better-auth answers an unknown /api/auth path with an empty 404, and what
 * Node's HTTP parser refuses (NUL in a header, a broken request line, 16 KiB+ of headers) got a bare 400 with
 * no body. Both now answer in the API's error shape.
 */
import { createConnection } from 'node:net';
import { expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';

const t = usePortal();

it('an unknown /api/auth path answers 404 in the API shape', async () => {
  const res = await t.anon.get('/api/auth/no-such-endpoint');
  expect(res.status).toBe(404);
  expect(await res.json()).toMatchObject({ error: { code: 'not_found', type: 'not_found_error' } });
});

it.each([
  ['NUL in a header', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Evil: a\u0000b\r\n\r\n', 400],
  ['a broken request line', 'BR0KEN\r\n\r\n', 400],
  ['20 KB of headers', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
])('%s answers %i in the API shape', async (_what, request, status) => {
  const { port } = t.portal;
  const answer = await new Promise<string>((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('close', () => resolve(data));
    socket.write(request, 'latin1');
  });
  expect(answer.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
  const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { message: string } };
  expect(body.error.message).toBeTruthy();
});
