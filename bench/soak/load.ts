/**
 * The soak's load: workers sending a seeded mix of requests through the balancer, each one logged as the
 * client saw it (status, error code, Portal's x-request-id, which instance answered, how a stream ended).
 */
import { prng } from './schedule.js';

export type RequestKind = 'chat' | 'stream' | 'tools' | 'tools-stream' | 'disconnect' | 'bad-input';

export interface SoakKey {
  label: string;
  key: string;
  keyId: string;
  orgId: string;
  plan: 'free' | 'monthly' | 'credits' | 'tight-org';
  /** Per-key window limit, when it has one. */
  keyLimit?: number;
  revoked?: boolean;
}

export interface RequestRecord {
  kind: RequestKind;
  keyLabel: string;
  keyId: string;
  orgId: string;
  model: string;
  sent: number;
  /** When the status line arrived (ms, performance.now()-based wall time: Date.now()). */
  headersAt: number;
  end: number;
  status: number;
  code?: string;
  requestId?: string;
  backend?: number;
  /** Streams: how the body ended. */
  streamEnd?: 'done' | 'error-event' | 'cut' | 'client-abort';
}

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

const BAD_BODIES: Array<string | object> = [
  '{"model": "oss-20b", "messages": [',
  { model: 'oss-20b' },
  { model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] },
  { model: 'oss-20b', messages: [{ role: 'user', content: 'hi' }], max_tokens: -5 },
  { model: 'oss-20b', messages: 'not a list' },
];

export interface LoadOptions {
  url: string;
  keys: () => SoakKey[];
  seed: number;
  workers: number;
  /** Pause between a worker's requests (ms, uniform 0..maxGapMs). */
  maxGapMs: number;
  stopAt: number;
  log: RequestRecord[];
}

function pickKind(r: number): RequestKind {
  if (r < 0.35) return 'chat';
  if (r < 0.65) return 'stream';
  if (r < 0.73) return 'tools';
  if (r < 0.8) return 'tools-stream';
  if (r < 0.88) return 'disconnect';
  return 'bad-input';
}

export async function runLoad(options: LoadOptions): Promise<void> {
  const random = prng(options.seed ^ 0x5eed);
  let n = 0;
  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (Date.now() < options.stopAt) {
        await new Promise((r) => setTimeout(r, random() * options.maxGapMs));
        const keys = options.keys().filter((k) => !k.revoked);
        const key = keys[Math.floor(random() * keys.length)];
        if (!key) continue;
        const kind = pickKind(random());
        const model = random() < 0.7 ? (random() < 0.5 ? 'oss-20b' : 'gemma4') : 'qwen';
        options.log.push(await send(options.url, key, kind, model, n++, random));
      }
    }),
  );
}

export async function send(
  url: string,
  key: SoakKey,
  kind: RequestKind,
  model: string,
  n: number,
  random: () => number = Math.random,
  path = '/v1/chat/completions',
): Promise<RequestRecord> {
  const stream = kind === 'stream' || kind === 'tools-stream' || kind === 'disconnect';
  let body: string;
  if (kind === 'bad-input') {
    const bad = BAD_BODIES[Math.floor(random() * BAD_BODIES.length)] ?? '';
    body = typeof bad === 'string' ? bad : JSON.stringify(bad);
  } else {
    const payload: Record<string, unknown> = {
      model,
      messages: [{ role: 'user', content: `soak request ${n}: say something about the weather` }],
      max_tokens: 16 + Math.floor(random() * 32),
      stream,
    };
    if (kind === 'tools' || kind === 'tools-stream') payload.tools = TOOLS;
    body = JSON.stringify(payload);
  }
  const record: RequestRecord = {
    kind,
    keyLabel: key.label,
    keyId: key.keyId,
    orgId: key.orgId,
    model,
    sent: Date.now(),
    headersAt: 0,
    end: 0,
    status: 0,
  };
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), 60_000);
  try {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      body,
      signal: abort.signal,
    });
    record.headersAt = Date.now();
    record.status = res.status;
    record.requestId = res.headers.get('x-request-id') ?? undefined;
    const backend = res.headers.get('x-soak-backend');
    if (backend !== null) record.backend = Number(backend);
    if (res.status === 200 && stream) record.streamEnd = await readStream(res, kind === 'disconnect', abort);
    else {
      const text = await res.text().catch(() => '');
      if (res.status >= 400) record.code = errorCode(text);
    }
  } catch (err) {
    record.status = record.status || -1;
    record.code = record.code ?? `client: ${(err as Error).message}`;
  } finally {
    clearTimeout(timeout);
    record.end = Date.now();
  }
  return record;
}

function errorCode(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; type?: string } };
    return parsed.error?.code ?? parsed.error?.type ?? 'no-code';
  } catch {
    return 'not-json';
  }
}

/** Reads an SSE body to its end: [DONE], an error event, or cut; `disconnect` aborts after the first chunk. */
async function readStream(
  res: Response,
  disconnect: boolean,
  abort: AbortController,
): Promise<RequestRecord['streamEnd']> {
  const reader = res.body?.getReader();
  if (!reader) return 'cut';
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (disconnect && text.includes('data:')) {
        abort.abort();
        return 'client-abort';
      }
    }
  } catch {
    return endOf(text) ?? 'cut';
  }
  return endOf(text) ?? 'cut';
}

function endOf(text: string): RequestRecord['streamEnd'] | undefined {
  if (/event: error/.test(text) || /data: \{"error"/.test(text)) return 'error-event';
  if (/data: \[DONE\]\s*$/.test(text)) return 'done';
  return undefined;
}
