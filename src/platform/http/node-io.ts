/**
 * Cheap access to the Node request and response under @hono/node-server, for the hot path. Hono's web
 * `Request` is built lazily by the adapter: touching `c.req.raw.body` or `c.req.raw.headers` makes it build a
 * `Headers` object, a full `Request` and a web `ReadableStream` over the socket — measured as ~10 % of the
 * gateway's CPU per request (docs/benchmarks.md). These helpers read the Node objects directly and fall back to
 * the web API when there are none (`app.request()` in tests, other runtimes).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

export function nodeOf(c: Context): NodeBindings {
  return (c.env as NodeBindings | undefined) ?? {};
}

/** One request header (lower-case name); repeated headers joined with ", " as the Fetch API does. */
export function headerOf(c: Context, name: string): string | undefined {
  const incoming = nodeOf(c).incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Sets a response header: on the Node response when there is one (Node merges it into the head written
 * later, and Hono builds no `Headers` object for it), else through Hono. */
export function setHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeOf(c).outgoing;
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/** Runs `gone` once if the client disconnects before its answer was fully written. Under Node this listens
 * on the response itself: reading `c.req.raw.signal` makes the adapter build an AbortController per request. */
export function onClientGone(c: Context, gone: () => void): void {
  const outgoing = nodeOf(c).outgoing;
  if (outgoing) {
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) gone();
    });
    return;
  }
  const signal = c.req.raw.signal;
  if (signal.aborted) gone();
  else signal.addEventListener('abort', gone, { once: true });
}
