// A bare reverse proxy, the baseline for the gateway benchmark: node:http in, http.request with a keep-alive
// agent out, no checks, bodies piped both ways. Usage: node bench/lib/bare-proxy.mjs UPSTREAM_URL
import { createServer, request, Agent } from 'node:http';

const upstream = new URL(process.argv[2] ?? 'http://127.0.0.1:5010');
const agent = new Agent({ keepAlive: true, maxSockets: 2_000 });

const server = createServer((req, res) => {
  const out = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream.host },
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) out.destroy();
  });
  req.pipe(out);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`bare proxy listening on http://127.0.0.1:${server.address().port}`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
