// Sends the oversize-prompt test's requests from their own thread, so building and sending 40 MiB never runs
// on the server's event loop (the test polls /healthz from the server's thread, where a stall would show).
import { parentPort, workerData } from 'node:worker_threads';

const { url, key, path, bodies } = workerData;
const encoded = new Map();
const results = await Promise.all(
  bodies.map(async (body) => {
    if (!encoded.has(body)) encoded.set(body, Buffer.from(body));
    const started = performance.now();
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: encoded.get(body),
    });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, code: text.slice(0, 300) };
  }),
);
parentPort.postMessage({ results });
