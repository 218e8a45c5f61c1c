/**
 * A contract fake of Supabase Auth (GoTrue) for tests, written from its published API (the endpoints
 * `@supabase/auth-js` 2.99 calls, as listed in Supabase Auth's OpenAPI): it serves on 127.0.0.1:0 at
 * `<url>/auth/v1/*` and signs real ES256 access tokens with a key published at
 * `/auth/v1/.well-known/jwks.json`.
 *
 * Faithful: paths, methods and query strings (`/token?grant_type=password|refresh_token`, `/signup`, `/otp`,
 * `/recover`, `/verify`, `/user` GET and PUT, `/logout?scope=`, `/authorize?provider=`, `/settings`); request
 * bodies as auth-js sends them; session and user JSON (`access_token`, `token_type`, `expires_in`,
 * `expires_at`, `refresh_token`, `user{id,aud,role,email,email_confirmed_at,app_metadata,user_metadata,…}`);
 * errors as `{code, error_code, msg}`; access-token claims (`iss <url>/auth/v1`, `aud authenticated`,
 * `sub`, `email`, `role`, `session_id`, `user_metadata.email_verified`); refresh tokens rotate and a used one
 * is refused; magic-link, recovery and confirmation links redirect to `redirect_to` with the session in
 * the URL fragment (the implicit flow auth-js uses by default in a browser); CORS for the browser client.
 * Simplified: no email is sent (links go to `mail`, read by the test); OAuth `/authorize` skips the
 * provider's consent screen and signs in `<provider>-user@example.com` at once; no PKCE, MFA, phone,
 * rate limits, captcha or password-strength rules; one JWT lifetime for all; users live in memory.
 * Like the real service, an access token stays valid until it expires after `/logout`; the refresh token
 * does not.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { createJwtIssuer, type JwtIssuer } from './jwt-issuer.js';

interface FakeUser {
  id: string;
  email: string;
  password: string | null;
  confirmedAt: string | null;
  provider: string;
  metadata: Record<string, unknown>;
  createdAt: string;
}
export interface SentMail {
  to: string;
  type: 'magiclink' | 'recovery' | 'signup';
  link: string;
}
export interface FakeSupabase {
  url: string;
  anonKey: string;
  issuer: JwtIssuer;
  mail: SentMail[];
  /** How many refresh-token grants were answered: the client refreshing its session. */
  refreshes: number;
  /** Adds a confirmed email + password user (a person who signed up earlier). */
  addUser(email: string, password: string): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
type Reply = { status: number; body?: Json; location?: string };

export async function startFakeSupabase(
  opts: { accessTokenTtlSeconds?: number; autoconfirm?: boolean } = {},
): Promise<FakeSupabase> {
  const issuer = await createJwtIssuer('ES256');
  const ttl = opts.accessTokenTtlSeconds ?? 3600;
  const users = new Map<string, FakeUser>(); // by lower-cased email
  const refreshTokens = new Map<string, { userId: string; sessionId: string }>();
  const endedSessions = new Set<string>();
  const linkTokens = new Map<string, { email: string; type: SentMail['type'] }>();
  const fake = { url: '', anonKey: '', issuer, mail: [] as SentMail[], refreshes: 0 } as FakeSupabase;
  fake.anonKey = await issuer.sign({ iss: 'supabase', role: 'anon' }, 3600 * 24 * 365);

  const now = () => new Date().toISOString();
  const err = (status: number, code: string, msg: string): Reply => ({
    status,
    body: { code: status, error_code: code, msg },
  });
  const byId = (id: string) => [...users.values()].find((u) => u.id === id);
  const addUser = (email: string, password: string | null, provider = 'email', confirmed = true) => {
    const user: FakeUser = {
      id: randomUUID(),
      email: email.toLowerCase(),
      password,
      confirmedAt: confirmed ? now() : null,
      provider,
      metadata: {},
      createdAt: now(),
    };
    users.set(user.email, user);
    return user;
  };
  fake.addUser = (email, password) => void addUser(email, password);

  const userJson = (u: FakeUser): Json => ({
    id: u.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: u.email,
    email_confirmed_at: u.confirmedAt,
    confirmed_at: u.confirmedAt,
    phone: '',
    last_sign_in_at: now(),
    app_metadata: { provider: u.provider, providers: [u.provider] },
    user_metadata: { ...u.metadata, email: u.email, email_verified: Boolean(u.confirmedAt), sub: u.id },
    identities: [],
    created_at: u.createdAt,
    updated_at: now(),
    is_anonymous: false,
  });

  async function session(u: FakeUser, sessionId: string = randomUUID()): Promise<Json> {
    const user = userJson(u);
    const access = await issuer.sign(
      {
        iss: `${fake.url}/auth/v1`,
        sub: u.id,
        aud: 'authenticated',
        email: u.email,
        phone: '',
        role: 'authenticated',
        aal: 'aal1',
        session_id: sessionId,
        is_anonymous: false,
        app_metadata: user.app_metadata,
        user_metadata: user.user_metadata,
      },
      ttl,
    );
    const refresh = randomBytes(12).toString('hex');
    refreshTokens.set(refresh, { userId: u.id, sessionId });
    const expiresAt = Math.floor(Date.now() / 1000) + ttl;
    return {
      access_token: access,
      token_type: 'bearer',
      expires_in: ttl,
      expires_at: expiresAt,
      refresh_token: refresh,
      user,
    };
  }

  function mailLink(email: string, type: SentMail['type'], redirectTo: string | null) {
    const token = randomBytes(16).toString('hex');
    linkTokens.set(token, { email: email.toLowerCase(), type });
    const q = new URLSearchParams({ token, type, ...(redirectTo ? { redirect_to: redirectTo } : {}) });
    fake.mail.push({ to: email, type, link: `${fake.url}/auth/v1/verify?${q}` });
  }

  /** The signed-in user of an access token (signature is the issuer's own; the session must not have ended). */
  function bearerUser(req: IncomingMessage): FakeUser | undefined {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    try {
      const claims = decodeJwt(token);
      if (typeof claims.sub !== 'string' || (claims.exp ?? 0) * 1000 < Date.now()) return undefined;
      if (endedSessions.has(String(claims.session_id))) return undefined;
      return byId(claims.sub);
    } catch {
      return undefined;
    }
  }

  async function route(req: IncomingMessage, url: URL, body: Json): Promise<Reply> {
    const path = url.pathname.replace(/^\/auth\/v1/, '');
    const redirectTo = url.searchParams.get('redirect_to');
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const key = `${req.method} ${path}`;
    if (key === 'GET /.well-known/jwks.json') return { status: 200, body: issuer.jwks };
    if (key === 'GET /settings')
      return {
        status: 200,
        body: { external: { email: true }, mailer_autoconfirm: opts.autoconfirm ?? true },
      };
    if (key === 'POST /signup') {
      if (!email || typeof body.password !== 'string')
        return err(400, 'validation_failed', 'Email and password required');
      if (users.has(email)) return err(422, 'user_already_exists', 'User already registered');
      const u = addUser(email, body.password, 'email', opts.autoconfirm ?? true);
      u.metadata = (body.data as Json | undefined) ?? {};
      if (u.confirmedAt) return { status: 200, body: await session(u) };
      mailLink(email, 'signup', redirectTo);
      return { status: 200, body: userJson(u) };
    }
    if (key === 'POST /token') return token(url.searchParams.get('grant_type'), body, email);
    if (key === 'POST /otp') {
      if (!users.has(email) && body.create_user !== false) addUser(email, null, 'email', false);
      if (users.has(email)) mailLink(email, 'magiclink', redirectTo);
      return { status: 200, body: {} };
    }
    if (key === 'POST /recover') {
      if (users.has(email)) mailLink(email, 'recovery', redirectTo);
      return { status: 200, body: {} };
    }
    if (key === 'GET /verify') return verify(url);
    if (key === 'GET /authorize') {
      const provider = url.searchParams.get('provider') ?? '';
      const address = `${provider}-user@example.com`;
      const u = users.get(address) ?? addUser(address, null, provider, true);
      return redirectWithSession(redirectTo, u, 'signup');
    }
    const user = bearerUser(req);
    if (!user) return err(401, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
    if (key === 'GET /user') return { status: 200, body: userJson(user) };
    if (key === 'PUT /user') {
      if (typeof body.password === 'string') user.password = body.password;
      if (body.data && typeof body.data === 'object')
        user.metadata = { ...user.metadata, ...(body.data as Json) };
      return { status: 200, body: userJson(user) };
    }
    if (key === 'POST /logout') {
      const claims = decodeJwt((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      endedSessions.add(String(claims.session_id));
      return { status: 204 };
    }
    return err(404, 'not_found', `no route ${key}`);
  }

  async function token(grant: string | null, body: Json, email: string): Promise<Reply> {
    if (grant === 'password') {
      const u = users.get(email);
      if (!u || u.password === null || u.password !== body.password)
        return err(400, 'invalid_credentials', 'Invalid login credentials');
      if (!u.confirmedAt) return err(400, 'email_not_confirmed', 'Email not confirmed');
      return { status: 200, body: await session(u) };
    }
    if (grant === 'refresh_token') {
      const held = refreshTokens.get(String(body.refresh_token));
      refreshTokens.delete(String(body.refresh_token)); // rotation: each refresh token works once
      const u = held && !endedSessions.has(held.sessionId) ? byId(held.userId) : undefined;
      if (!held || !u)
        return err(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      fake.refreshes++;
      return { status: 200, body: await session(u, held.sessionId) };
    }
    return err(400, 'unsupported_grant_type', `unsupported grant_type ${grant}`);
  }

  async function verify(url: URL): Promise<Reply> {
    const held = linkTokens.get(url.searchParams.get('token') ?? '');
    const redirectTo = url.searchParams.get('redirect_to');
    if (!held)
      return { status: 303, location: `${redirectTo ?? '/'}#error=access_denied&error_code=otp_expired` };
    linkTokens.delete(url.searchParams.get('token') ?? '');
    const u = users.get(held.email);
    if (!u) return err(404, 'user_not_found', 'User not found');
    u.confirmedAt ??= now();
    return redirectWithSession(redirectTo, u, held.type);
  }

  async function redirectWithSession(redirectTo: string | null, u: FakeUser, type: string): Promise<Reply> {
    const s = await session(u);
    const fragment = new URLSearchParams({
      access_token: String(s.access_token),
      expires_at: String(s.expires_at),
      expires_in: String(s.expires_in),
      refresh_token: String(s.refresh_token),
      token_type: 'bearer',
      type,
    });
    return { status: 303, location: `${redirectTo ?? '/'}#${fragment}` };
  }

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-headers':
        'authorization, apikey, content-type, x-client-info, x-supabase-api-version',
      'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
      vary: 'origin',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Json;
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Json) : {};
    } catch {
      body = {};
    }
    const reply = await route(req, new URL(req.url ?? '/', fake.url), body);
    if (reply.location) return void res.writeHead(reply.status, { ...cors, location: reply.location }).end();
    res.writeHead(reply.status, { ...cors, 'content-type': 'application/json' });
    res.end(reply.body ? JSON.stringify(reply.body) : undefined);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
