/**
 * A local stand-in for the parts of Unkey's v2 API Portal calls (docs/decisions/005-unkey.md, 020), written
 * from its OpenAPI contract (test/support/unkey-openapi/, checked by test/platform/unkey-openapi.test.ts), not
 * from Portal's client: POST /v2/keys.createKey, keys.verifyKey, keys.updateKey, keys.updateCredits,
 * keys.deleteKey and ratelimit.multiLimit, each requiring `Authorization: Bearer <root key>`, validating the documented request
 * body (unknown fields are refused, as `additionalProperties: false` says) and answering
 * `{ meta: { requestId }, data }` or `{ meta, error: { title, detail, status, type } }`. Keys live in memory,
 * hashed with SHA-256. Rate limits follow Unkey's documented algorithm (decision 021): a fixed window of the
 * check's duration plus the previous window's count weighted by the share of it still inside the sliding
 * window; a check that passes is charged, each check on its own; cost 0 only reads. Credits follow Unkey's
 * usage limiter: a key with `remaining` set is refused (USAGE_EXCEEDED) when a verification's cost (default 1)
 * is above 0 and above what remains, else charged; cost 0 never refuses; updateCredits sets, adds or takes
 * (never below 0), null makes the key unlimited.
 * `mode` simulates trouble: 'down' drops connections, 'error' answers 500, 'throttled' answers 429 (the
 * workspace's own API rate limit), each with the error envelope. `delayMs` delays every answer (benchmarks).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

export interface FakeUnkeyKey {
  keyId: string;
  apiId: string;
  hash: string;
  name?: string;
  externalId?: string;
  meta?: Record<string, unknown>;
  expires?: number;
  enabled: boolean;
  deleted: boolean;
  /** Ratelimits attached to the key (createKey / updateKey `ratelimits`), checked by verifyKey by name. */
  ratelimits?: AttachedRatelimit[];
  /** Remaining credits; undefined or null: unlimited. */
  remaining?: number | null;
}

export interface AttachedRatelimit {
  id: string;
  name: string;
  limit: number;
  duration: number;
  autoApply: boolean;
}

export interface FakeUnkey {
  url: string;
  keys: Map<string, FakeUnkeyKey>;
  calls: Record<string, number>;
  bodies: Array<{ path: string; body: unknown }>;
  /** Every answered request: what came in and what went out (the OpenAPI drift test validates both). */
  exchanges: Array<{ path: string; request: unknown; status: number; response: unknown }>;
  mode: 'up' | 'down' | 'error' | 'throttled';
  /** Milliseconds every answer waits (a realistic network + Unkey latency for benchmarks). */
  delayMs: number;
  /** Adds a key directly (as another issuer would), returns the plaintext. */
  insert(key: Omit<FakeUnkeyKey, 'keyId' | 'hash' | 'deleted'>): { key: string; keyId: string };
  close(): Promise<void>;
}

const idPattern = /^[a-zA-Z0-9_]+$/;
const externalIdPattern = /^[a-zA-Z0-9_.-]+$/;
const meta = z.record(z.string(), z.unknown()).refine((m) => Object.keys(m).length <= 100);
const expires = z.number().int().min(0).max(4102444800000);
const keyId = z.string().min(3).max(255).regex(idPattern);
// RatelimitRequest (createKey / updateKey) and KeysVerifyKeyRatelimit (verifyKey), per the document.
const ratelimitRequest = z.object({
  name: z.string().min(3).max(128),
  limit: z.number().int().min(1),
  duration: z.number().int().min(1_000),
  autoApply: z.boolean(),
});
// KeyCreditsData (createKey / updateKey `credits`); the refill is accepted but not modelled.
const keyCredits = z.strictObject({
  remaining: z.number().int().min(0).nullable(),
  refill: z.unknown().optional(),
});
const verifyRatelimit = z.object({
  name: z.string().min(3).max(255),
  cost: z.number().int().min(0).optional(),
  limit: z.number().int().min(0).optional(),
  duration: z.number().int().min(0).optional(),
});

const schemas = {
  '/v2/keys.createKey': z.strictObject({
    apiId: z.string().min(3).max(255).regex(idPattern),
    prefix: z.string().min(1).max(16).regex(idPattern).optional(),
    name: z.string().min(1).max(255).optional(),
    byteLength: z.number().int().min(16).max(255).optional(),
    externalId: z.string().min(1).max(255).regex(externalIdPattern).optional(),
    meta: meta.optional(),
    roles: z.array(z.string()).optional(),
    permissions: z.array(z.string()).optional(),
    expires: expires.optional(),
    credits: keyCredits.optional(),
    ratelimits: z.array(ratelimitRequest).max(50).optional(),
    enabled: z.boolean().optional(),
    recoverable: z.boolean().optional(),
  }),
  '/v2/keys.verifyKey': z.strictObject({
    key: z.string().min(1).max(512),
    tags: z.array(z.string()).max(20).optional(),
    permissions: z.string().optional(),
    credits: z.strictObject({ cost: z.number().int().min(0).max(1_000_000_000) }).optional(),
    ratelimits: z.array(verifyRatelimit).optional(),
    migrationId: z.string().max(256).optional(),
  }),
  '/v2/keys.updateKey': z.strictObject({
    keyId,
    name: z.string().min(1).max(255).nullable().optional(),
    externalId: z.string().min(1).max(255).regex(externalIdPattern).nullable().optional(),
    meta: meta.nullable().optional(),
    expires: expires.nullable().optional(),
    credits: keyCredits.nullable().optional(),
    ratelimits: z.array(ratelimitRequest).max(50).nullable().optional(),
    enabled: z.boolean().optional(),
    roles: z.array(z.string()).optional(),
    permissions: z.array(z.string()).optional(),
  }),
  '/v2/keys.updateCredits': z.strictObject({
    keyId: z.string().min(3),
    value: z.number().int().min(0).nullable().optional(),
    operation: z.enum(['set', 'increment', 'decrement']),
  }),
  '/v2/keys.deleteKey': z.strictObject({ keyId, permanent: z.boolean().optional() }),
  '/v2/ratelimit.multiLimit': z.array(
    z.strictObject({
      namespace: z.string().min(1).max(512),
      identifier: z.string().min(1).max(512),
      limit: z.number().int().min(1),
      duration: z.number().int().min(1_000).max(2_592_000_000),
      cost: z.number().int().min(0).optional(),
    }),
  ),
} as const;

/** The fake's routes and the request fields each accepts (compared with the OpenAPI document). */
export const fakeUnkeyRoutes = Object.fromEntries(
  Object.entries(schemas).map(([path, schema]) => [
    path,
    Object.keys('element' in schema ? schema.element.shape : schema.shape),
  ]),
) as Record<Path, string[]>;
type Path = keyof typeof schemas;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const base58 = (bytes: Buffer) => [...bytes].map((b) => BASE58[b % 58]).join('');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newId = (prefix: string) => `${prefix}_${base58(randomBytes(16))}`;

type Body<P extends Path> = z.infer<(typeof schemas)[P]>;
/** A status and the payload beside `meta` (`{ data }` or `{ error }`). */
type Reply = [number, object];
interface Ctx {
  keys: Map<string, FakeUnkeyKey>;
  apiId: string;
  /** Count per fixed window: `namespace identifier duration` → window index → amount. */
  windows: Map<string, Map<number, number>>;
}

function issue(input: { prefix?: string; byteLength?: number }) {
  const random = base58(randomBytes(input.byteLength ?? 16));
  return input.prefix ? `${input.prefix}_${random}` : random;
}

function createKey(ctx: Ctx, b: Body<'/v2/keys.createKey'>): Reply {
  if (b.apiId !== ctx.apiId)
    return failure(404, 'Not Found', `API ${b.apiId} not found`, 'data/api_not_found');
  const plaintext = issue(b);
  const id = newId('key');
  ctx.keys.set(id, {
    keyId: id,
    apiId: b.apiId,
    hash: sha256(plaintext),
    name: b.name,
    externalId: b.externalId,
    meta: b.meta,
    expires: b.expires,
    enabled: b.enabled ?? true,
    deleted: false,
    ratelimits: attach(b.ratelimits),
    remaining: b.credits?.remaining ?? null,
  });
  return [200, { data: { keyId: id, key: plaintext } }];
}

function verifyKey(ctx: Ctx, b: Body<'/v2/keys.verifyKey'>, now: number): Reply {
  const hash = sha256(b.key);
  const k = [...ctx.keys.values()].find((x) => x.hash === hash && !x.deleted);
  if (!k) return [200, { data: { valid: false, code: 'NOT_FOUND' } }];
  const status = !k.enabled ? 'DISABLED' : k.expires !== undefined && k.expires <= now ? 'EXPIRED' : 'VALID';
  const limited = status === 'VALID' ? keyRatelimits(ctx, k, b.ratelimits ?? [], now) : undefined;
  if (Array.isArray(limited) && typeof limited[0] === 'number') return limited as Reply;
  const ratelimits = limited as VerifyRatelimitData[] | undefined;
  let code = ratelimits?.some((r) => r.exceeded) ? 'RATE_LIMITED' : status;
  if (code === 'VALID') code = chargeCredits(k, b.credits?.cost ?? 1);
  const data = {
    valid: code === 'VALID',
    code,
    ...(ratelimits?.length ? { ratelimits } : {}),
    ...(typeof k.remaining === 'number' ? { credits: k.remaining } : {}),
    keyId: k.keyId,
    enabled: k.enabled,
    ...(k.name ? { name: k.name } : {}),
    ...(k.meta ? { meta: k.meta } : {}),
    ...(k.expires !== undefined ? { expires: k.expires } : {}),
    ...(k.externalId
      ? { identity: { id: `id_${sha256(k.externalId).slice(0, 16)}`, externalId: k.externalId } }
      : {}),
  };
  return [200, { data }];
}

/** Unkey's usage limiter: refused only when the cost is above 0 and above what remains; else charged. */
function chargeCredits(k: FakeUnkeyKey, cost: number): 'VALID' | 'USAGE_EXCEEDED' {
  if (typeof k.remaining !== 'number') return 'VALID';
  if (cost > 0 && k.remaining < cost) return 'USAGE_EXCEEDED';
  k.remaining -= cost;
  return 'VALID';
}

interface VerifyRatelimitData extends AttachedRatelimit {
  exceeded: boolean;
  reset: number;
  remaining: number;
}

function attach(list: Array<z.infer<typeof ratelimitRequest>> | undefined): AttachedRatelimit[] | undefined {
  return list?.map((r) => ({ id: newId('rl'), ...r }));
}

/**
 * verifyKey's ratelimits: each named one is the key's attached ratelimit of that name, its limit / duration
 * overridden by the request's when given (KeysVerifyKeyRatelimit), charged `cost` (default 1) when it passes;
 * attached ones with autoApply are checked at cost 1 when not named. A name neither attached nor given a limit
 * and duration is a 400 (assumed: the document does not say what Unkey answers). Each check on its own, with
 * the same weighted two-window estimate as multiLimit, counted per key and name.
 */
function keyRatelimits(
  ctx: Ctx,
  k: FakeUnkeyKey,
  asked: Array<z.infer<typeof verifyRatelimit>>,
  now: number,
): VerifyRatelimitData[] | Reply {
  const attached = k.ratelimits ?? [];
  const named = asked.map((a) => {
    const on = attached.find((r) => r.name === a.name);
    const limit = a.limit ?? on?.limit;
    const duration = a.duration ?? on?.duration;
    return { a, on, limit, duration };
  });
  const missing = named.find((n) => n.limit === undefined || !n.duration);
  if (missing)
    return invalid([
      { location: 'body.ratelimits', message: `ratelimit ${missing.a.name} is not attached to the key` },
    ]).reply;
  const auto = attached.filter((r) => r.autoApply && !asked.some((a) => a.name === r.name));
  const checks = [
    ...named.map((n) => ({
      id: n.on?.id ?? newId('rl'),
      name: n.a.name,
      limit: n.limit ?? 0,
      duration: n.duration ?? 1_000,
      autoApply: n.on?.autoApply ?? false,
      cost: n.a.cost ?? 1,
    })),
    ...auto.map((r) => ({ ...r, cost: 1 })),
  ];
  return checks.map(({ cost, ...r }) => {
    const w = windowCheck(ctx, `key:${k.keyId} ${r.name} ${r.duration}`, r.limit, r.duration, cost, now);
    return { ...r, exceeded: !w.passed, reset: w.reset, remaining: w.remaining };
  });
}

/** Unkey's weighted two-window estimate for one counter; charged when it passes with a cost above 0. */
function windowCheck(ctx: Ctx, id: string, limit: number, duration: number, cost: number, now: number) {
  const counts = ctx.windows.get(id) ?? new Map<number, number>();
  ctx.windows.set(id, counts);
  const seq = Math.floor(now / duration);
  const elapsed = (now - seq * duration) / duration;
  for (const k of counts.keys()) if (k < seq - 1) counts.delete(k);
  const current = counts.get(seq) ?? 0;
  const estimate = current + (counts.get(seq - 1) ?? 0) * (1 - elapsed);
  const passed = cost === 0 ? estimate <= limit : estimate + cost <= limit;
  if (passed && cost > 0) counts.set(seq, current + cost);
  const remaining = Math.max(0, Math.floor(limit - estimate - (passed ? cost : 0)));
  return { passed, remaining, reset: (seq + 1) * duration };
}

/** The live (not deleted) key a body names, or Unkey's 404. */
function liveKey(ctx: Ctx, keyId: string): FakeUnkeyKey | Reply {
  const k = ctx.keys.get(keyId);
  return !k || k.deleted ? failure(404, 'Not Found', `Key ${keyId} not found`, 'data/key_not_found') : k;
}

function updateKey(ctx: Ctx, u: Body<'/v2/keys.updateKey'>): Reply {
  const k = liveKey(ctx, u.keyId);
  if (Array.isArray(k)) return k;
  if (u.name !== undefined) k.name = u.name ?? undefined;
  if (u.externalId !== undefined) k.externalId = u.externalId ?? undefined;
  if (u.meta !== undefined) k.meta = u.meta ?? undefined;
  if (u.expires !== undefined) k.expires = u.expires ?? undefined;
  if (u.enabled !== undefined) k.enabled = u.enabled;
  if (u.ratelimits !== undefined) k.ratelimits = attach(u.ratelimits ?? undefined);
  if (u.credits !== undefined) k.remaining = u.credits?.remaining ?? null;
  return [200, { data: {} }];
}

function updateCredits(ctx: Ctx, u: Body<'/v2/keys.updateCredits'>): Reply {
  const k = liveKey(ctx, u.keyId);
  if (Array.isArray(k)) return k;
  const value = u.value ?? null;
  if (u.operation !== 'set' && value === null)
    return invalid([{ location: 'body.value', message: `value is required to ${u.operation}` }]).reply;
  const current = typeof k.remaining === 'number' ? k.remaining : null;
  if (u.operation === 'set') k.remaining = value;
  // Moving an unlimited key's credits keeps it unlimited (assumed; the document does not say).
  else if (current !== null && value !== null)
    k.remaining = u.operation === 'increment' ? current + value : Math.max(0, current - value);
  return [200, { data: { remaining: k.remaining ?? null } }];
}

function deleteKey(ctx: Ctx, d: Body<'/v2/keys.deleteKey'>): Reply {
  const k = liveKey(ctx, d.keyId);
  if (Array.isArray(k)) return k;
  if (d.permanent) ctx.keys.delete(k.keyId);
  else k.deleted = true;
  return [200, { data: {} }];
}

/** Each check on its own: the weighted two-window estimate, charged when it passes. */
function multiLimit(ctx: Ctx, checks: Body<'/v2/ratelimit.multiLimit'>, now: number): Reply {
  const limits = checks.map((c) => {
    const id = `${c.namespace} ${c.identifier} ${c.duration}`;
    const w = windowCheck(ctx, id, c.limit, c.duration, c.cost ?? 1, now);
    return {
      namespace: c.namespace,
      identifier: c.identifier,
      limit: c.limit,
      remaining: w.remaining,
      reset: w.reset,
      passed: w.passed,
    };
  });
  return [200, { data: { passed: limits.every((l) => l.passed), limits } }];
}

/** One handler per documented route: a total map, so a route added to `schemas` cannot go unhandled. */
const handlers: { [P in Path]: (ctx: Ctx, body: Body<P>, now: number) => Reply } = {
  '/v2/keys.createKey': createKey,
  '/v2/keys.verifyKey': verifyKey,
  '/v2/keys.updateKey': updateKey,
  '/v2/keys.updateCredits': updateCredits,
  '/v2/keys.deleteKey': deleteKey,
  '/v2/ratelimit.multiLimit': multiLimit,
};

/** Auth, JSON and schema checks in Unkey's order; the parsed body, or the error reply. */
function validate(
  path: string,
  req: IncomingMessage,
  raw: Buffer,
  rootKey: string,
): { ok: false; reply: Reply; json?: unknown } | { ok: true; path: Path; json: unknown; body: unknown } {
  const refuse = (...args: Parameters<typeof failure>) => ({ ok: false as const, reply: failure(...args) });
  if (req.method !== 'POST' || !(path in schemas))
    return refuse(404, 'Not Found', `No route ${path}`, 'application/not_found');
  if (req.headers.authorization !== `Bearer ${rootKey}`)
    return refuse(401, 'Unauthorized', 'The provided root key is invalid', 'authentication/key_not_found');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return invalid([{ location: 'body', message: 'The request body is not valid JSON' }]);
  }
  const parsed = schemas[path as Path].safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      location: ['body', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    return { ...invalid(errors), json };
  }
  return { ok: true, path: path as Path, json, body: parsed.data };
}

export async function startFakeUnkey(options: { rootKey: string; apiId: string }): Promise<FakeUnkey> {
  const ctx: Ctx = { keys: new Map(), apiId: options.apiId, windows: new Map() };
  const calls: Record<string, number> = {};
  const bodies: FakeUnkey['bodies'] = [];
  const exchanges: FakeUnkey['exchanges'] = [];

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = req.url ?? '';
    calls[path] = (calls[path] ?? 0) + 1;
    if (fake.mode === 'down') return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const request = parseJson(raw);
    const decidedAt = Date.now();
    const send = async ([status, payload]: Reply) => {
      if (fake.delayMs > 0) await new Promise((r) => setTimeout(r, fake.delayMs));
      const response = { meta: { requestId: newId('req') }, ...payload };
      exchanges.push({ path, request, status, response });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(response));
    };
    if (fake.mode === 'error')
      return send(failure(500, 'Internal Server Error', 'Try again later', 'application/unexpected_error'));
    if (fake.mode === 'throttled')
      return send(
        failure(429, 'Too Many Requests', 'Workspace rate limit exceeded', 'application/rate_limited'),
      );
    const checked = validate(path, req, raw, options.rootKey);
    // Every body that parsed as JSON is recorded, valid or not: tests read what Portal sent.
    if (checked.json !== undefined) bodies.push({ path, body: checked.json });
    if (!checked.ok) return send(checked.reply);
    const handle = handlers[checked.path] as (ctx: Ctx, body: unknown, now: number) => Reply;
    return send(handle(ctx, checked.body, decidedAt));
  }

  // route() answers every failure itself; a throw here would be a bug in the fake and fails the test loudly.
  const server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeUnkey = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keys: ctx.keys,
    calls,
    bodies,
    exchanges,
    mode: 'up',
    delayMs: 0,
    insert(input) {
      const plaintext = issue({ prefix: 'ptl' });
      const id = newId('key');
      ctx.keys.set(id, { ...input, keyId: id, hash: sha256(plaintext), deleted: false });
      return { key: plaintext, keyId: id };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/** Unkey's 400: the problem details plus one ValidationError per failed rule. */
function invalid(errors: Array<{ location: string; message: string }>) {
  const [status, payload] = failure(
    400,
    'Bad Request',
    'The request failed validation',
    'application/invalid_input',
  );
  const error = (payload as { error: object }).error;
  return { ok: false as const, reply: [status, { error: { ...error, errors } }] as Reply };
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function failure(status: number, title: string, detail: string, type: string): Reply {
  return [status, { error: { title, detail, status, type: `https://unkey.com/docs/errors/unkey/${type}` } }];
}
