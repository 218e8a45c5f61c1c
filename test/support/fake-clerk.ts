/**
 * A contract fake of Clerk for tests, written from Clerk's published Frontend API (what `@clerk/clerk-js`
 * 6.40 calls) and its session-token format. It serves on 127.0.0.1:0 and is reached by the browser SDK
 * through Clerk's documented `proxyUrl` option — the SDK derives its Frontend API host from the
 * publishable key, and only a proxy lets it talk to anything but `https://<that host>`.
 *
 * Faithful: the production-instance flow (`pk_live_…`, the `__client` cookie on the Frontend API,
 * credentials included, non-GET/POST methods tunnelled as `POST ?_method=`); form-encoded bodies; the
 * `{response, client}` envelope; `GET /v1/environment`, `GET /v1/client`, `POST /v1/client/sign_ins`,
 * `POST /v1/client/sign_ups`, `POST /v1/client/sessions/{id}/touch|tokens|end|remove`, `DELETE /v1/client`,
 * `DELETE /v1/client/sessions` (sign-out);
 * client, session, user, sign-in and sign-up JSON with the fields clerk-js reads; session tokens as Clerk
 * mints them (RS256, `kid`, `iss` = the Frontend API origin, `sub`, `sid`, `azp`, `exp`/`iat`/`nbf`, `v: 2`,
 * lifetime 60 s) and the JWKS at `/.well-known/jwks.json`. With `sessionClaims`, tokens also carry the custom
 * claims an operator adds in Clerk's "Customize session token" (`email`, `email_verified`).
 * Simplified: email + password only (no email codes, OAuth, MFA, passkeys, captcha, organizations); a
 * sign-up completes at once (as with verification turned off in the Clerk console); users live in memory;
 * the environment is a fixed, minimal one. As at Clerk, a token's `azp` is the Origin of the request
 * that obtained it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJwtIssuer, type JwtIssuer } from './jwt-issuer.js';
import { environment, userJson, type ClerkUser } from './fake-clerk-json.js';

type Json = Record<string, unknown>;
interface ClerkSession {
  id: string;
  userId: string;
  status: 'active' | 'ended' | 'removed';
}
interface ClerkClient {
  id: string;
  sessions: ClerkSession[];
  lastActive: string | null;
}
export interface FakeClerk {
  url: string;
  issuer: string;
  publishableKey: string;
  jwks: JwtIssuer;
  /** How many session tokens the SDK asked for (sign-in, then each refresh). */
  tokensIssued: number;
  /** A session token as Clerk mints it, for tests that do not run the browser SDK. */
  sessionToken(claims: Json & { sub: string }, ttlSeconds?: number): Promise<string>;
  /** Portal's `auth.clerk` for this fake. */
  portalConfig(parties: string[]): Json;
  addUser(email: string, password: string): void;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** `authorizedParty`: the `azp` of tokens made by `sessionToken()`; the SDK's tokens name the page's origin. */
export async function startFakeClerk(opts: { authorizedParty: string }): Promise<FakeClerk> {
  const jwks = await createJwtIssuer('RS256');
  const users = new Map<string, ClerkUser>();
  const clients = new Map<string, ClerkClient>();
  const fake = { jwks, tokensIssued: 0 } as FakeClerk;

  fake.addUser = (email, password) =>
    void users.set(email.toLowerCase(), {
      id: id('user'),
      email: email.toLowerCase(),
      password,
      firstName: null,
      createdAt: Date.now(),
    });
  fake.sessionToken = (claims, ttl = 60) =>
    jwks.sign({ iss: fake.issuer, azp: opts.authorizedParty, sid: id('sess'), v: 2, ...claims }, ttl);

  const userById = (uid: string) => [...users.values()].find((u) => u.id === uid);

  async function tokenFor(s: ClerkSession, origin: string | undefined): Promise<string> {
    const u = userById(s.userId);
    fake.tokensIssued++;
    return jwks.sign(
      {
        iss: fake.issuer,
        sub: s.userId,
        sid: s.id,
        azp: origin ?? opts.authorizedParty,
        v: 2,
        // Custom session claims the README tells the operator to add in Clerk's console.
        email: u?.email,
        email_verified: true,
      },
      60,
    );
  }

  async function sessionJson(s: ClerkSession, origin?: string): Promise<Json> {
    const u = userById(s.userId);
    const now = Date.now();
    return {
      object: 'session',
      id: s.id,
      status: s.status,
      expire_at: now + 7 * 86_400_000,
      abandon_at: now + 30 * 86_400_000,
      last_active_at: now,
      last_active_organization_id: null,
      last_active_token: s.status === 'active' ? { object: 'token', jwt: await tokenFor(s, origin) } : null,
      actor: null,
      tasks: null,
      factor_verification_age: [0, -1],
      user: u ? userJson(u) : null,
      public_user_data: {
        identifier: u?.email,
        first_name: null,
        last_name: null,
        image_url: '',
        has_image: false,
      },
      created_at: now,
      updated_at: now,
    };
  }

  async function clientJson(
    c: ClerkClient,
    origin?: string,
    signIn: Json | null = null,
    signUp: Json | null = null,
  ) {
    const active = c.sessions.filter((s) => s.status === 'active');
    return {
      object: 'client',
      id: c.id,
      sessions: await Promise.all(active.map((x) => sessionJson(x, origin))),
      sign_in: signIn,
      sign_up: signUp,
      last_active_session_id: active.some((s) => s.id === c.lastActive) ? c.lastActive : null,
      cookie_expires_at: null,
      captcha_bypass: false,
      created_at: Date.now(),
      updated_at: Date.now(),
    };
  }

  function newSession(c: ClerkClient, u: ClerkUser): ClerkSession {
    const s: ClerkSession = { id: id('sess'), userId: u.id, status: 'active' };
    c.sessions.push(s);
    c.lastActive = s.id;
    return s;
  }

  const fapiError = (status: number, code: string, message: string) => ({
    status,
    body: { errors: [{ code, message, long_message: message, meta: {} }], clerk_trace_id: id('trace') },
  });

  async function route(method: string, path: string, form: URLSearchParams, c: ClerkClient, origin?: string) {
    const envelope = async (response: Json, signIn: Json | null = null, signUp: Json | null = null) => ({
      status: 200,
      body: { response, client: await clientJson(c, origin, signIn, signUp) },
    });
    if (method === 'GET' && path === '/.well-known/jwks.json') return { status: 200, body: jwks.jwks };
    if (method === 'GET' && path === '/v1/environment') return { status: 200, body: environment(fake.url) };
    if (method === 'GET' && path === '/v1/client')
      return { status: 200, body: { response: await clientJson(c, origin), client: null } };
    if (method === 'DELETE' && path === '/v1/client') {
      c.sessions.forEach((s) => (s.status = 'ended'));
      c.lastActive = null;
      return { status: 200, body: { response: { object: 'client', id: c.id, deleted: true }, client: null } };
    }
    if (method === 'DELETE' && path === '/v1/client/sessions') {
      // clerk.signOut() in single-session mode: every session of this client ends.
      c.sessions.forEach((s) => (s.status = 'ended'));
      c.lastActive = null;
      return envelope(await clientJson(c, origin));
    }
    if (method === 'POST' && path === '/v1/client/sign_ins') {
      const u = users.get((form.get('identifier') ?? '').trim().toLowerCase());
      if (!u) return fapiError(422, 'form_identifier_not_found', "Couldn't find your account.");
      if (u.password !== form.get('password'))
        return fapiError(
          422,
          'form_password_incorrect',
          'Password is incorrect. Try again, or use another method.',
        );
      const s = newSession(c, u);
      const signIn = {
        object: 'sign_in',
        id: id('sia'),
        status: 'complete',
        identifier: u.email,
        created_session_id: s.id,
        supported_identifiers: ['email_address'],
        supported_first_factors: [{ strategy: 'password' }],
        supported_second_factors: null,
        first_factor_verification: null,
        second_factor_verification: null,
        user_data: { first_name: null, last_name: null, image_url: '', has_image: false },
      };
      return envelope(signIn, signIn);
    }
    if (method === 'POST' && path === '/v1/client/sign_ups') {
      const email = (form.get('email_address') ?? '').trim().toLowerCase();
      const password = form.get('password') ?? '';
      if (!email.includes('@'))
        return fapiError(422, 'form_param_format_invalid', 'Enter a valid email address.');
      if (users.has(email))
        return fapiError(422, 'form_identifier_exists', 'That email address is taken. Please try another.');
      if (password.length < 8)
        return fapiError(422, 'form_password_length_too_short', 'Passwords must be 8 characters or more.');
      fake.addUser(email, password);
      const s = newSession(c, users.get(email)!);
      const signUp = {
        object: 'sign_up_attempt',
        id: id('sua'),
        status: 'complete',
        email_address: email,
        created_session_id: s.id,
        created_user_id: s.userId,
        required_fields: [],
        optional_fields: [],
        missing_fields: [],
        unverified_fields: [],
        verifications: {},
        password_enabled: true,
        unsafe_metadata: {},
        legal_accepted_at: null,
      };
      return envelope(signUp, null, signUp);
    }
    const m = /^\/v1\/client\/sessions\/([^/]+)\/(touch|tokens|end|remove)$/.exec(path);
    const s = m ? c.sessions.find((x) => x.id === m[1]) : undefined;
    if (m && method === 'POST' && s) {
      if (m[2] === 'tokens') {
        if (s.status !== 'active') return fapiError(401, 'authentication_invalid', 'Session is not active.');
        return { status: 200, body: { object: 'token', jwt: await tokenFor(s, origin) } };
      }
      if (m[2] === 'touch') c.lastActive = s.id;
      else s.status = m[2] === 'end' ? 'ended' : 'removed';
      return envelope(await sessionJson(s, origin));
    }
    return fapiError(404, 'resource_not_found', `fake Clerk has no ${method} ${path}`);
  }

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'content-type, authorization, x-clerk-client-token',
      'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
      'access-control-expose-headers': 'authorization',
      vary: 'origin',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const url = new URL(req.url ?? '/', fake.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    const cookie = /(?:^|;\s*)__client=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    let client = cookie ? clients.get(cookie) : undefined;
    if (!client) {
      client = { id: id('client'), sessions: [], lastActive: null };
      clients.set(client.id, client);
    }
    const method = url.searchParams.get('_method') ?? req.method ?? 'GET';
    const reply = await route(method, url.pathname, form, client, req.headers.origin);
    res.writeHead(reply.status, {
      ...cors,
      'content-type': 'application/json',
      'set-cookie': `__client=${client.id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`,
    });
    res.end(JSON.stringify(reply.body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.issuer = fake.url;
  // A publishable key names the Frontend API host (base64 of "<host>$"); proxyUrl takes the SDK elsewhere.
  fake.publishableKey = `pk_live_${Buffer.from('clerk.portal.test$').toString('base64')}`;
  fake.portalConfig = (parties) => ({
    jwksUrl: `${fake.url}/.well-known/jwks.json`,
    issuer: fake.issuer,
    authorizedParties: parties,
    publishableKey: fake.publishableKey,
    proxyUrl: fake.url,
  });
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
