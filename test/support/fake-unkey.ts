/**
 * A local stand-in for Unkey's v2 key API (docs/decisions/005-unkey.md), written from its OpenAPI contract,
 * not from Portal's client: POST /v2/keys.createKey, keys.verifyKey, keys.updateKey, keys.deleteKey, each
 * requiring `Authorization: Bearer <root key>`, validating the documented request body (unknown fields are
 * refused, as `additionalProperties: false` says) and answering `{ meta: { requestId }, data }` or
 * `{ meta, error: { title, detail, status, type } }`. Keys live in memory, hashed with SHA-256.
 * `mode` simulates an outage: 'down' drops connections, 'error' answers 503 with the error envelope.
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
}

export interface FakeUnkey {
  url: string;
  keys: Map<string, FakeUnkeyKey>;
  calls: Record<string, number>;
  bodies: Array<{ path: string; body: unknown }>;
  mode: 'up' | 'down' | 'error';
  /** Adds a key directly (as another issuer would), returns the plaintext. */
  insert(key: Omit<FakeUnkeyKey, 'keyId' | 'hash' | 'deleted'>): { key: string; keyId: string };
  close(): Promise<void>;
}

const idPattern = /^[a-zA-Z0-9_]+$/;
const externalIdPattern = /^[a-zA-Z0-9_.-]+$/;
const meta = z.record(z.string(), z.unknown()).refine((m) => Object.keys(m).length <= 100);
const expires = z.number().int().min(0).max(4102444800000);
const keyId = z.string().min(3).max(255).regex(idPattern);

const schemas = {
  '/v2/keys.createKey': z.strictObject({
    apiId: z.string().min(3).max(255).regex(idPattern),
    prefix: z.string().min(1).max(16).regex(idPattern).optional(),
    name: z.string().min(1).max(200).optional(),
    byteLength: z.number().int().min(16).max(255).optional(),
    externalId: z.string().min(1).max(255).regex(externalIdPattern).optional(),
    meta: meta.optional(),
    roles: z.array(z.string()).optional(),
    permissions: z.array(z.string()).optional(),
    expires: expires.optional(),
    credits: z.unknown().optional(),
    ratelimits: z.array(z.unknown()).optional(),
    enabled: z.boolean().optional(),
    recoverable: z.boolean().optional(),
  }),
  '/v2/keys.verifyKey': z.strictObject({
    key: z.string().min(1).max(512),
    tags: z.array(z.string()).max(20).optional(),
    permissions: z.string().optional(),
    credits: z.unknown().optional(),
    ratelimits: z.array(z.unknown()).optional(),
    migrationId: z.string().max(256).optional(),
  }),
  '/v2/keys.updateKey': z.strictObject({
    keyId,
    name: z.string().min(1).max(255).nullable().optional(),
    externalId: z.string().min(1).max(255).regex(externalIdPattern).nullable().optional(),
    meta: meta.nullable().optional(),
    expires: expires.nullable().optional(),
    credits: z.unknown().optional(),
    ratelimits: z.array(z.unknown()).nullable().optional(),
    enabled: z.boolean().optional(),
    roles: z.array(z.string()).optional(),
    permissions: z.array(z.string()).optional(),
  }),
  '/v2/keys.deleteKey': z.strictObject({ keyId, permanent: z.boolean().optional() }),
} as const;
type Path = keyof typeof schemas;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const base58 = (bytes: Buffer) => [...bytes].map((b) => BASE58[b % 58]).join('');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newId = (prefix: string) => `${prefix}_${base58(randomBytes(16))}`;

export async function startFakeUnkey(options: { rootKey: string; apiId: string }): Promise<FakeUnkey> {
  const keys = new Map<string, FakeUnkeyKey>();
  const calls: Record<string, number> = {};
  const bodies: FakeUnkey['bodies'] = [];

  function issue(input: { prefix?: string; byteLength?: number }) {
    const random = base58(randomBytes(input.byteLength ?? 16));
    return input.prefix ? `${input.prefix}_${random}` : random;
  }

  function handle(path: Path, body: z.infer<(typeof schemas)[Path]>, now: number): [number, object] {
    if (path === '/v2/keys.createKey') {
      const b = body as z.infer<(typeof schemas)['/v2/keys.createKey']>;
      if (b.apiId !== options.apiId)
        return failure(404, 'Not Found', `API ${b.apiId} not found`, 'data/api_not_found');
      const plaintext = issue(b);
      const id = newId('key');
      keys.set(id, {
        keyId: id,
        apiId: b.apiId,
        hash: sha256(plaintext),
        name: b.name,
        externalId: b.externalId,
        meta: b.meta,
        expires: b.expires,
        enabled: b.enabled ?? true,
        deleted: false,
      });
      return [200, { data: { keyId: id, key: plaintext } }];
    }
    if (path === '/v2/keys.verifyKey') {
      const b = body as z.infer<(typeof schemas)['/v2/keys.verifyKey']>;
      const hash = sha256(b.key);
      const k = [...keys.values()].find((x) => x.hash === hash && !x.deleted);
      if (!k) return [200, { data: { valid: false, code: 'NOT_FOUND' } }];
      const code = !k.enabled
        ? 'DISABLED'
        : k.expires !== undefined && k.expires <= now
          ? 'EXPIRED'
          : 'VALID';
      const data = {
        valid: code === 'VALID',
        code,
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
    const b = body as { keyId: string };
    const k = keys.get(b.keyId);
    if (!k || k.deleted) return failure(404, 'Not Found', `Key ${b.keyId} not found`, 'data/key_not_found');
    if (path === '/v2/keys.deleteKey') {
      const d = body as z.infer<(typeof schemas)['/v2/keys.deleteKey']>;
      if (d.permanent) keys.delete(k.keyId);
      else k.deleted = true;
      return [200, { data: {} }];
    }
    const u = body as z.infer<(typeof schemas)['/v2/keys.updateKey']>;
    if (u.name !== undefined) k.name = u.name ?? undefined;
    if (u.externalId !== undefined) k.externalId = u.externalId ?? undefined;
    if (u.meta !== undefined) k.meta = u.meta ?? undefined;
    if (u.expires !== undefined) k.expires = u.expires ?? undefined;
    if (u.enabled !== undefined) k.enabled = u.enabled;
    return [200, { data: {} }];
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = req.url ?? '';
    calls[path] = (calls[path] ?? 0) + 1;
    if (fake.mode === 'down') return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = ([status, payload]: [number, object]) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ meta: { requestId: newId('req') }, ...payload }));
    };
    if (fake.mode === 'error')
      return send(failure(503, 'Service Unavailable', 'Try again later', 'application/service_unavailable'));
    if (req.method !== 'POST' || !(path in schemas))
      return send(failure(404, 'Not Found', `No route ${path}`, 'application/not_found'));
    if (req.headers.authorization !== `Bearer ${options.rootKey}`)
      return send(
        failure(401, 'Unauthorized', 'The provided root key is invalid', 'authentication/key_not_found'),
      );
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(
        failure(400, 'Bad Request', 'The request body is not valid JSON', 'application/invalid_input'),
      );
    }
    bodies.push({ path, body: json });
    const parsed = schemas[path as Path].safeParse(json);
    if (!parsed.success)
      return send(
        failure(
          400,
          'Bad Request',
          `Request failed validation: ${parsed.error.message}`,
          'application/invalid_input',
        ),
      );
    send(handle(path as Path, parsed.data, Date.now()));
  }

  const server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeUnkey = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keys,
    calls,
    bodies,
    mode: 'up',
    insert(input) {
      const plaintext = issue({ prefix: 'ptl' });
      const id = newId('key');
      keys.set(id, { ...input, keyId: id, hash: sha256(plaintext), deleted: false });
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

function failure(status: number, title: string, detail: string, type: string): [number, object] {
  return [status, { error: { title, detail, status, type: `https://unkey.com/docs/errors/unkey/${type}` } }];
}
