/**
 * The HTTP side of the contract fakes (fake-clerk.ts, fake-supabase.ts): a server on 127.0.0.1:0 that reads
 * the body (JSON, or a form as clerk-js sends it), answers browsers' CORS preflights for the page's origin
 * (with credentials), and writes a reply as JSON, an empty answer or a redirect.
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Json = Record<string, unknown>;

export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  /** The raw body text (parse with `json()` or `form()`). */
  text: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  location?: string;
  headers?: OutgoingHttpHeaders;
}

export function json(req: FakeRequest): Json {
  try {
    const value: unknown = req.text ? JSON.parse(req.text) : {};
    return value && typeof value === 'object' ? (value as Json) : {};
  } catch {
    return {};
  }
}

export function form(req: FakeRequest): URLSearchParams {
  return new URLSearchParams(req.text);
}

export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

export async function serveFake(
  allowHeaders: string,
  handle: (req: FakeRequest) => Promise<Reply>,
): Promise<FakeServer> {
  let base = '';
  const server = createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': allowHeaders,
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      vary: 'origin',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', base),
        headers: req.headers,
        text: Buffer.concat(chunks).toString(),
      };
      void handle(request).then((reply) => {
        const headers = { ...cors, ...reply.headers };
        if (reply.location)
          return void res.writeHead(reply.status, { ...headers, location: reply.location }).end();
        if (reply.body === undefined) return void res.writeHead(reply.status, headers).end();
        res.writeHead(reply.status, { ...headers, 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
