/**
 * A contract fake of Clerk for tests, written from Clerk's published Frontend API (what `@clerk/clerk-js`
 * 6.40 calls) and its session-token format. It serves on 127.0.0.1:0 and is reached by the browser SDK
 * through Clerk's documented `proxyUrl` option — the SDK derives its Frontend API host from the
 * publishable key, and only a proxy lets it talk to anything but `https://<that host>`.
 *
 * Faithful: the production-instance flow (`pk_live_…`, the `__client` cookie on the Frontend API,
 * credentials included, non-GET/POST methods tunnelled as `POST ?_method=`); form-encoded bodies; the
 * `{response, client}` envelope; errors as `{errors: [{code, message, long_message, meta: {param_name}}]}`
 * (Clerk's components put a `param_name` error under that field). Endpoints, as the SDK and Clerk's
 * prebuilt components (`@clerk/ui`: <SignIn/>, <SignUp/>, <UserButton/>, <UserProfile/>) call them:
 * `GET /v1/environment`, `GET /v1/client`, `POST /v1/client/sign_ins` (identifier first → `needs_first_factor`,
 * or identifier + password at once), `GET /v1/client/sign_ins/{id}`,
 * `POST /v1/client/sign_ins/{id}/attempt_first_factor` (strategy `password`), `POST /v1/client/sign_ups`,
 * `POST /v1/client/sessions/{id}/touch|tokens|end|remove`,
 * `DELETE /v1/client`, `DELETE /v1/client/sessions` (sign-out), `GET /v1/me`, `GET /v1/me/sessions/active`;
 * client, session, user, sign-in and sign-up JSON with the fields clerk-js reads; session tokens as Clerk
 * mints them (RS256, `kid`, `iss` = the Frontend API origin, `sub`, `sid`, `azp`, `exp`/`iat`/`nbf`, `v: 2`,
 * lifetime 60 s) and the JWKS at `/.well-known/jwks.json`. Tokens also carry the custom claims an operator
 * adds in Clerk's "Customize session token" (`email`, `email_verified`, see the README).
 * Simplified: email + password only (no email codes or links, OAuth, MFA, passkeys, captcha, organizations,
 * password reset); a sign-up completes at once (as with email verification turned off in the Clerk
 * console); users live in memory; the environment is a fixed one. Every request the fake has no answer for
 * is answered 404 and listed in `unhandled`, so a test sees what the SDK asked for that the fake lacks.
 * As at Clerk, a token's `azp` is the Origin of the request that obtained it.
 */
import { randomBytes } from 'node:crypto';
import { createJwtIssuer, type JwtIssuer } from './jwt-issuer.js';
import { AVATAR_URL, environment, userJson, type ClerkUser } from './fake-clerk-json.js';
import { form, serveFake, type FakeRequest, type Json, type Reply } from './fake-http.js';

interface ClerkSession {
  id: string;
  userId: string;
  status: 'active' | 'ended' | 'removed';
}
interface ClerkClient {
  id: string;
  sessions: ClerkSession[];
  lastActive: string | null;
  /** The sign-in in progress (Clerk keeps it on the client until it completes). */
  signIn: SignInAttempt | null;
}
interface SignInAttempt {
  id: string;
  user: ClerkUser;
  sessionId: string | null;
}
export interface FakeClerk {
  url: string;
  issuer: string;
  publishableKey: string;
  jwks: JwtIssuer;
  /** How many session tokens the SDK asked for (sign-in, then each refresh). */
  readonly tokensIssued: number;
  /** Sessions signed in and not signed out, over all browsers. */
  liveSessions(): number;
  /** `METHOD /path` of every request the fake had no answer for (answered 404). */
  readonly unhandled: string[];
  /** A session token as Clerk mints it, for tests that do not run the browser SDK. */
  sessionToken(claims: Json & { sub: string }, ttlSeconds?: number): Promise<string>;
  /** Portal's `auth.clerk` for this fake. */
  portalConfig(parties: string[]): Json;
  addUser(email: string, password: string): void;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const fapiError = (status: number, code: string, message: string, param?: string): Reply => ({
  status,
  body: {
    errors: [{ code, message, long_message: message, meta: param ? { param_name: param } : {} }],
    clerk_trace_id: id('trace'),
  },
});

/** The Frontend API's state and endpoints for one instance; `url` is set once the server listens. */
class FrontendApi {
  url = '';
  tokensIssued = 0;
  readonly unhandled: string[] = [];
  private users = new Map<string, ClerkUser>();
  private clients = new Map<string, ClerkClient>();

  constructor(
    readonly jwks: JwtIssuer,
    readonly authorizedParty: string,
    readonly tokenTtl: number,
  ) {}

  liveSessions = () =>
    [...this.clients.values()].flatMap((c) => c.sessions).filter((s) => s.status === 'active').length;

  addUser(email: string, password: string) {
    const user: ClerkUser = {
      id: id('user'),
      email: email.toLowerCase(),
      password,
      firstName: null,
      createdAt: Date.now(),
    };
    this.users.set(user.email, user);
    return user;
  }

  /** A session token as Clerk mints them: `azp` is the Origin of the request that obtained it. */
  sessionToken(claims: Json & { sub: string }, ttl = 60, origin?: string): Promise<string> {
    return this.jwks.sign(
      { iss: this.url, azp: origin ?? this.authorizedParty, sid: id('sess'), v: 2, ...claims },
      ttl,
    );
  }

  async route(req: FakeRequest): Promise<Reply> {
    const client = this.clientOf(req);
    const method = req.url.searchParams.get('_method') ?? req.method;
    const path = req.url.pathname;
    const origin = req.headers.origin;
    const reply = await this.answer(method, path, form(req), client, origin);
    const cookie = `__client=${client.id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`;
    return { ...reply, headers: { 'set-cookie': cookie } };
  }

  private async answer(method: string, path: string, body: URLSearchParams, c: ClerkClient, origin?: string) {
    const envelope: Envelope = async (response) => ({
      status: 200,
      body: { response, client: await this.clientJson(c, origin) },
    });
    const key = `${method} ${path}`;
    if (key === 'GET /.well-known/jwks.json') return { status: 200, body: this.jwks.jwks };
    if (key === 'GET /v1/environment') return { status: 200, body: environment(this.url) };
    if (key === 'GET /v1/client')
      return { status: 200, body: { response: await this.clientJson(c, origin), client: null } };
    if (key === 'DELETE /v1/client' || key === 'DELETE /v1/client/sessions') {
      // clerk.signOut() in single-session mode: every session of this client ends.
      c.sessions.forEach((s) => (s.status = 'ended'));
      c.lastActive = null;
      return envelope(await this.clientJson(c, origin));
    }
    if (key === 'POST /v1/client/sign_ins') return this.signIn(body, c, envelope);
    if (path.startsWith('/v1/client/sign_ins/')) return this.signInStep(method, path, body, c, envelope);
    if (key === 'POST /v1/client/sign_ups') return this.signUp(body, c, envelope);
    if (path.startsWith('/v1/me')) return this.me(method, path, c, envelope);
    const m = /^\/v1\/client\/sessions\/([^/]+)\/(touch|tokens|end|remove)$/.exec(path);
    const s = m ? c.sessions.find((x) => x.id === m[1]) : undefined;
    if (!m || method !== 'POST' || !s) return this.notFound(key);
    if (m[2] === 'tokens') {
      if (s.status !== 'active') return fapiError(401, 'authentication_invalid', 'Session is not active.');
      return { status: 200, body: { object: 'token', jwt: await this.tokenFor(s, origin) } };
    }
    if (m[2] === 'touch') c.lastActive = s.id;
    else s.status = m[2] === 'end' ? 'ended' : 'removed';
    return envelope(await this.sessionJson(s, origin));
  }

  private notFound(key: string): Reply {
    this.unhandled.push(key);
    return fapiError(404, 'resource_not_found', `fake Clerk has no ${key}`);
  }

  /** The signed-in user's own resources (<UserProfile/>): the user, and its active sessions. */
  private async me(method: string, path: string, c: ClerkClient, envelope: Envelope) {
    const s = c.sessions.find((x) => x.id === c.lastActive && x.status === 'active');
    const u = s ? this.userById(s.userId) : undefined;
    if (!s || !u) return fapiError(401, 'authentication_invalid', 'Not signed in.');
    if (method === 'GET' && path === '/v1/me') return envelope(userJson(u));
    if (method === 'GET' && path === '/v1/me/sessions/active') {
      const mine = c.sessions.filter((x) => x.userId === u.id && x.status === 'active');
      return envelope((await Promise.all(mine.map((x) => this.sessionJson(x)))) as unknown as Json);
    }
    return this.notFound(`${method} ${path}`);
  }

  /** `POST /v1/client/sign_ins`: the identifier first (Clerk's <SignIn/>), or identifier + password. */
  private signIn(body: URLSearchParams, c: ClerkClient, envelope: Envelope) {
    const u = this.users.get((body.get('identifier') ?? '').trim().toLowerCase());
    if (!u) return fapiError(422, 'form_identifier_not_found', "Couldn't find your account.", 'identifier');
    c.signIn = { id: id('sia'), user: u, sessionId: null };
    const password = body.get('password');
    if (password !== null) return this.attemptPassword(password, c.signIn, c, envelope);
    return envelope(this.signInJson(c.signIn));
  }

  /** `GET /v1/client/sign_ins/{id}` and `POST …/attempt_first_factor` with the `password` strategy. */
  private signInStep(
    method: string,
    path: string,
    body: URLSearchParams,
    c: ClerkClient,
    envelope: Envelope,
  ) {
    const [, , , , signInId, action] = path.split('/');
    const attempt = c.signIn?.id === signInId ? c.signIn : null;
    if (!attempt) return fapiError(404, 'resource_not_found', 'No sign-in with that id.');
    if (method === 'GET' && !action) return envelope(this.signInJson(attempt));
    if (method === 'POST' && action === 'attempt_first_factor' && body.get('strategy') === 'password')
      return this.attemptPassword(body.get('password') ?? '', attempt, c, envelope);
    return this.notFound(`${method} ${path}`);
  }

  private attemptPassword(password: string, attempt: SignInAttempt, c: ClerkClient, envelope: Envelope) {
    if (attempt.user.password !== password)
      return fapiError(
        422,
        'form_password_incorrect',
        'Password is incorrect. Try again, or use another method.',
        'password',
      );
    attempt.sessionId = this.newSession(c, attempt.user).id;
    c.signIn = null; // the completed attempt is consumed: the client's next sign-in starts afresh
    return envelope(this.signInJson(attempt));
  }

  private signInJson(a: SignInAttempt): Json {
    return {
      object: 'sign_in',
      id: a.id,
      status: a.sessionId ? 'complete' : 'needs_first_factor',
      identifier: a.user.email,
      created_session_id: a.sessionId,
      supported_identifiers: ['email_address'],
      supported_first_factors: [{ strategy: 'password' }],
      supported_second_factors: null,
      first_factor_verification: a.sessionId
        ? { object: 'verification', status: 'verified', strategy: 'password', attempts: 1, expire_at: null }
        : null,
      second_factor_verification: null,
      user_data: { first_name: a.user.firstName, last_name: null, image_url: AVATAR_URL, has_image: false },
      abandon_at: Date.now() + 86_400_000,
      created_at: Date.now(),
      updated_at: Date.now(),
    };
  }

  private signUp(body: URLSearchParams, c: ClerkClient, envelope: Envelope) {
    const email = (body.get('email_address') ?? '').trim().toLowerCase();
    const password = body.get('password') ?? '';
    if (!email.includes('@'))
      return fapiError(422, 'form_param_format_invalid', 'Enter a valid email address.', 'email_address');
    if (this.users.has(email))
      return fapiError(
        422,
        'form_identifier_exists',
        'That email address is taken. Please try another.',
        'email_address',
      );
    if (password.length < 8)
      return fapiError(
        422,
        'form_password_length_too_short',
        'Passwords must be 8 characters or more.',
        'password',
      );
    const user = this.addUser(email, password);
    user.firstName = body.get('first_name');
    const s = this.newSession(c, user);
    return envelope({
      object: 'sign_up_attempt',
      id: id('sua'),
      status: 'complete',
      email_address: email,
      first_name: user.firstName,
      last_name: null,
      username: null,
      phone_number: null,
      web3_wallet: null,
      external_account: null,
      has_password: true,
      created_session_id: s.id,
      created_user_id: s.userId,
      required_fields: ['email_address', 'password'],
      optional_fields: [],
      missing_fields: [],
      unverified_fields: [],
      verifications: {
        email_address: null,
        phone_number: null,
        web3_wallet: null,
        external_account: null,
      },
      password_enabled: true,
      unsafe_metadata: {},
      legal_accepted_at: null,
      abandon_at: Date.now() + 86_400_000,
    });
  }

  /** The browser's client, by its `__client` cookie (a new one for a browser that has none). */
  private clientOf(req: FakeRequest): ClerkClient {
    const cookie = /(?:^|;\s*)__client=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const known = cookie ? this.clients.get(cookie) : undefined;
    if (known) return known;
    const client: ClerkClient = {
      id: id('client'),
      sessions: [],
      lastActive: null,
      signIn: null,
    };
    this.clients.set(client.id, client);
    return client;
  }

  private newSession(c: ClerkClient, u: ClerkUser): ClerkSession {
    const s: ClerkSession = { id: id('sess'), userId: u.id, status: 'active' };
    c.sessions.push(s);
    c.lastActive = s.id;
    return s;
  }

  private userById = (uid: string) => [...this.users.values()].find((u) => u.id === uid);

  private tokenFor(s: ClerkSession, origin: string | undefined): Promise<string> {
    this.tokensIssued++;
    // `email` / `email_verified`: the custom session claims the README tells the operator to add.
    const email = this.userById(s.userId)?.email;
    return this.sessionToken(
      { sub: s.userId, sid: s.id, email, email_verified: true },
      this.tokenTtl,
      origin,
    );
  }

  private async sessionJson(s: ClerkSession, origin?: string): Promise<Json> {
    const u = this.userById(s.userId);
    const now = Date.now();
    return {
      object: 'session',
      id: s.id,
      status: s.status,
      expire_at: now + 7 * 86_400_000,
      abandon_at: now + 30 * 86_400_000,
      last_active_at: now,
      last_active_organization_id: null,
      last_active_token:
        s.status === 'active' ? { object: 'token', jwt: await this.tokenFor(s, origin) } : null,
      actor: null,
      tasks: null,
      factor_verification_age: [0, -1],
      user: u ? userJson(u) : null,
      public_user_data: {
        identifier: u?.email,
        first_name: null,
        last_name: null,
        image_url: AVATAR_URL,
        has_image: false,
      },
      created_at: now,
      updated_at: now,
    };
  }

  private async clientJson(c: ClerkClient, origin?: string) {
    const active = c.sessions.filter((s) => s.status === 'active');
    return {
      object: 'client',
      id: c.id,
      sessions: await Promise.all(active.map((x) => this.sessionJson(x, origin))),
      sign_in: c.signIn ? this.signInJson(c.signIn) : null,
      sign_up: null, // a sign-up here completes in one request and is consumed at once
      last_active_session_id: active.some((s) => s.id === c.lastActive) ? c.lastActive : null,
      cookie_expires_at: null,
      captcha_bypass: false,
      created_at: Date.now(),
      updated_at: Date.now(),
    };
  }
}

type Envelope = (response: Json) => Promise<Reply>;

/**
 * `authorizedParty`: the `azp` of tokens made by `sessionToken()` (the SDK's tokens name the page's origin);
 * `tokenTtlSeconds`: the lifetime of the SDK's session tokens (Clerk's default, 60 s, unless a test wants
 * to watch the SDK refresh one).
 */
export async function startFakeClerk(opts: {
  authorizedParty: string;
  tokenTtlSeconds?: number;
}): Promise<FakeClerk> {
  const jwks = await createJwtIssuer('RS256');
  const fapi = new FrontendApi(jwks, opts.authorizedParty, opts.tokenTtlSeconds ?? 60);
  const server = await serveFake('content-type, authorization, x-clerk-client-token', (req) =>
    fapi.route(req),
  );
  fapi.url = server.url;
  // A publishable key names the Frontend API host (base64 of "<host>$"); proxyUrl takes the SDK elsewhere.
  const publishableKey = `pk_live_${Buffer.from('clerk.portal.test$').toString('base64')}`;
  return {
    url: server.url,
    issuer: server.url,
    publishableKey,
    jwks,
    get tokensIssued() {
      return fapi.tokensIssued;
    },
    liveSessions: fapi.liveSessions,
    unhandled: fapi.unhandled,
    sessionToken: (claims, ttl) => fapi.sessionToken(claims, ttl),
    portalConfig: (parties) => ({
      jwksUrl: `${server.url}/.well-known/jwks.json`,
      issuer: server.url,
      authorizedParties: parties,
      publishableKey,
      proxyUrl: server.url,
    }),
    addUser: (email, password) => void fapi.addUser(email, password),
    close: server.close,
  };
}
