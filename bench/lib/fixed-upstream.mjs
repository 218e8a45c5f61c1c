// A fixed-reply OpenAI-compatible upstream for the gateway benchmark: no text generation, no tokenizer, no
// pacing. POST /v1/chat/completions answers one pre-serialised chat.completion body, or with `stream: true`
// one pre-serialised SSE sequence (32 one-word content chunks, a finish chunk, with
// `stream_options.include_usage` a usage chunk, then `data: [DONE]`). The simulator shares the two cores with the
// servers under test and spends 2-3 times this server's CPU per request (one run: 40-95 µs against 15-37 µs),
// and a slow upstream flatters every Portal / proxy ratio. The reply echoes the request's model (one
// pre-serialised set of bodies per model name, built on first sight); max_tokens, stop and the messages are
// ignored, the API key is not checked.
// GET /v1/models answers too (Portal's health probe). Usage: node bench/lib/fixed-upstream.mjs [PORT]
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const WORDS = 32;
const TEXT = Array.from({ length: WORDS }, (_, i) => `word${i + 1}`);
/** The usage every reply reports: Portal meters these numbers (its own count would differ). */
export const FIXED_USAGE = { prompt_tokens: 17, completion_tokens: WORDS, total_tokens: 17 + WORDS };
const CREATED = Math.floor(Date.now() / 1000);
const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

function bodiesFor(model) {
  const id = 'chatcmpl-fixed';
  const reply = {
    id,
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: TEXT.join(' ') },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: FIXED_USAGE,
  };
  const chunk = (choices, extra = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: CREATED, model, choices, ...extra })}\n\n`;
  const events = TEXT.map((w, i) =>
    chunk([
      {
        index: 0,
        delta: i === 0 ? { role: 'assistant', content: w } : { content: ` ${w}` },
        finish_reason: null,
      },
    ]),
  );
  events.push(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
  const done = 'data: [DONE]\n\n';
  return {
    json: Buffer.from(JSON.stringify(reply)),
    sse: Buffer.from(events.join('') + done),
    sseWithUsage: Buffer.from(events.join('') + chunk([], { usage: FIXED_USAGE }) + done),
  };
}

const byModel = new Map();
function bodies(model) {
  let found = byModel.get(model);
  if (!found) {
    found = bodiesFor(model);
    if (byModel.size < 64) byModel.set(model, found); // a bench sends one or two names; bound it anyway
  }
  return found;
}

const MODELS = Buffer.from(
  JSON.stringify({
    object: 'list',
    data: [{ id: 'fixed', object: 'model', created: CREATED, owned_by: 'bench' }],
  }),
);

function sendError(res, status, message) {
  res.writeHead(status, JSON_HEADERS);
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }));
}

function answer(res, raw) {
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return sendError(res, 400, 'the body is not JSON');
  }
  if (typeof body !== 'object' || body === null) return sendError(res, 400, 'the body is not a JSON object');
  const set = bodies(typeof body.model === 'string' ? body.model : 'fixed');
  if (body.stream !== true) {
    res.writeHead(200, JSON_HEADERS);
    return res.end(set.json);
  }
  res.writeHead(200, SSE_HEADERS);
  res.end(body.stream_options?.include_usage === true ? set.sseWithUsage : set.sse);
}

export function createFixedUpstream() {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, JSON_HEADERS);
      return res.end(MODELS);
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendError(res, 404, 'not found');
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => answer(res, Buffer.concat(parts).toString('utf8')));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = createFixedUpstream();
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
    console.log(`fixed upstream listening on http://127.0.0.1:${server.address().port}`);
  });
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
