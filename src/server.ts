/**
 * Runs Portal as an HTTP server: builds the services and the app, listens, and shuts down gracefully —
 * stop accepting, let in-flight requests and streams finish within `shutdownGraceMs`, then close services
 * in reverse order (metering flushes, the store closes last).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { PortalConfig } from './platform/config/schema.js';
import { createApp, createOpsApp, createServices, type ServiceOptions, type Services } from './app.js';

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface RunningPortal {
  url: string;
  port: number;
  services: Services;
  server: Server;
  /** The ops listener (/metrics, /readyz detail) when `server.opsPort` is set. */
  opsUrl?: string;
  stop(): Promise<void>;
}

export async function startPortal(
  config: PortalConfig,
  options: ServiceOptions = {},
): Promise<RunningPortal> {
  const services = await createServices(config, options);
  let server: Server;
  let ops: Server | undefined;
  try {
    const app = createApp(services);
    const { headersTimeoutMs, requestTimeoutMs, maxConnections } = config.server;
    server = answerClientErrors(
      createAdaptorServer({
        fetch: app.fetch,
        serverOptions: {
          // Receiving a request (headers, then the whole body) is bounded, so a client that trickles bytes is
          // cut off; Node's timeouts cover receiving the request only, never the answer: streams run for as
          // long as the gateway's own deadlines allow (docs/decisions/009). Checked every second.
          headersTimeout: headersTimeoutMs,
          requestTimeout: requestTimeoutMs,
          connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
        },
      }) as Server,
    );
    server.keepAliveTimeout = 65_000;
    server.maxConnections = maxConnections;
    if (config.server.opsPort !== undefined) {
      ops = answerClientErrors(createAdaptorServer({ fetch: createOpsApp(services).fetch }) as Server);
      await listen(ops, config.server.opsPort, config.server.opsHost);
    }
    await listen(server, config.server.port, config.server.host);
  } catch (err) {
    ops?.close();
    await closeServices(services);
    throw err;
  }
  const opsUrl = ops ? urlOf(config.server.opsHost, (ops.address() as AddressInfo).port) : undefined;
  if (opsUrl) services.log.info({ url: opsUrl }, 'ops listener (metrics, readiness)');
  const port = (server.address() as AddressInfo).port;
  const host =
    config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  const url = `http://${host}:${port}`;
  services.log.info({ url }, 'portal listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      services.log.info('shutting down: no new connections, finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      ops?.close();
      ops?.closeAllConnections();
      server.closeIdleConnections();
      const grace = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), config.server.shutdownGraceMs).unref(),
      );
      if ((await Promise.race([closed, grace])) === 'timeout') {
        services.log.warn('grace period over: closing remaining connections');
        server.closeAllConnections();
        await closed;
      }
      await closeServices(services);
      services.log.info('shut down');
    })());
  return { url, port, services, server, opsUrl, stop };
}

async function closeServices(services: Services) {
  for (const closer of [...services.closers].reverse()) {
    try {
      await closer.close();
    } catch (err) {
      services.log.error({ err, service: closer.name }, 'error while closing');
    }
  }
}

/**
 * What Node's HTTP parser refuses before any route runs (NUL or a bare CR in a header, a broken request line,
 * conflicting lengths, headers over 16 KiB) is answered in the API's error shape instead of a bare 400.
 */
export function answerClientErrors(server: Server): Server {
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const [status, reason] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout']
          : [400, 'Bad Request'];
    const body = JSON.stringify({
      error: {
        message: status === 400 ? 'Malformed HTTP request.' : `${reason}.`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

function urlOf(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') reject(new StartupError(`port ${port} on ${host} is already in use`));
      else if (err.code === 'EACCES') reject(new StartupError(`no permission to listen on port ${port}`));
      else reject(new StartupError(`cannot listen on ${host}:${port}: ${err.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
