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
 * is refused after GoTrue's 10-second reuse interval; magic-link, recovery and confirmation links redirect to `redirect_to` with the session in
 * the URL fragment (the implicit flow auth-js uses by default in a browser); CORS for the browser client.
 * Simplified: no email is sent (links go to `mail`, read by the test); OAuth `/authorize` skips the
 * provider's consent screen and signs in `<provider>-user@example.com` at once; no PKCE, MFA, phone,
 * rate limits, captcha or password-strength rules; one JWT lifetime for all; users live in memory.
 * Like the real service, an access token stays valid until it expires after `/logout`; the refresh token
 * does not.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { createJwtIssuer, type JwtIssuer } from './jwt-issuer.js';
import { json, serveFake, type FakeRequest, type Json, type Reply } from './fake-http.js';

/** GoTrue's default refresh-token reuse interval. */
const REFRESH_REUSE_INTERVAL_MS = 10_000;

interface FakeUser {
  id: string;
  email: string;
  password: string | null;
  confirmedAt: string | null;
  provider: string;
  metadata: Json;
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
  /** Links the service would have mailed, newest last. */
  mail: SentMail[];
  /** How many refresh-token grants were answered: the client refreshing its session. */
  readonly refreshes: number;
  /** Sessions signed in and not signed out. */
  liveSessions(): number;
  /** Adds a confirmed email + password user (a person who signed up earlier). */
  addUser(email: string, password: string): void;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();
const err = (status: number, code: string, msg: string): Reply => ({
  status,
  body: { code: status, error_code: code, msg },
});

/** GoTrue's state and endpoints; `url` is set once the server listens. */
class GoTrue {
  url = '';
  anonKey = '';
  mail: SentMail[] = [];
  refreshes = 0;
  private users = new Map<string, FakeUser>(); // by lower-cased email
  private refreshTokens = new Map<string, { userId: string; sessionId: string }>();
  private usedRefreshTokens = new Map<string, { userId: string; sessionId: string; usedAt: number }>();
  private sessions = new Set<string>();
  private endedSessions = new Set<string>();
  private linkTokens = new Map<string, { email: string; type: SentMail['type'] }>();

  constructor(
    readonly issuer: JwtIssuer,
    private ttl: number,
    private autoconfirm: boolean,
  ) {}

  liveSessions = () => [...this.sessions].filter((id) => !this.endedSessions.has(id)).length;

  addUser(email: string, password: string | null, provider = 'email', confirmed = true): FakeUser {
    const user: FakeUser = {
      id: randomUUID(),
      email: email.toLowerCase(),
      password,
      confirmedAt: confirmed ? now() : null,
      provider,
      metadata: {},
      createdAt: now(),
    };
    this.users.set(user.email, user);
    return user;
  }

  async route(req: FakeRequest): Promise<Reply> {
    const path = req.url.pathname.replace(/^\/auth\/v1/, '');
    const body = json(req);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const redirectTo = req.url.searchParams.get('redirect_to');
    switch (`${req.method} ${path}`) {
      case 'GET /.well-known/jwks.json':
        return { status: 200, body: this.issuer.jwks };
      case 'GET /settings':
        return { status: 200, body: { external: { email: true }, mailer_autoconfirm: this.autoconfirm } };
      case 'POST /signup':
        return this.signUp(email, body, redirectTo);
      case 'POST /token':
        return this.token(req.url.searchParams.get('grant_type'), body, email);
      case 'POST /otp':
        if (!this.users.has(email) && body.create_user !== false) this.addUser(email, null, 'email', false);
        if (this.users.has(email)) this.mailLink(email, 'magiclink', redirectTo);
        return { status: 200, body: {} };
      case 'POST /recover':
        if (this.users.has(email)) this.mailLink(email, 'recovery', redirectTo);
        return { status: 200, body: {} };
      case 'GET /verify':
        return this.verify(req.url);
      case 'GET /authorize':
        return this.authorize(req.url.searchParams.get('provider') ?? '', redirectTo);
      default:
        return this.signedIn(req, path, body);
    }
  }

  private async signUp(email: string, body: Json, redirectTo: string | null): Promise<Reply> {
    if (!email || typeof body.password !== 'string')
      return err(400, 'validation_failed', 'Email and password required');
    if (this.users.has(email)) return err(422, 'user_already_exists', 'User already registered');
    const u = this.addUser(email, body.password, 'email', this.autoconfirm);
    u.metadata = (body.data as Json | undefined) ?? {};
    if (u.confirmedAt) return { status: 200, body: await this.session(u) };
    this.mailLink(email, 'signup', redirectTo);
    return { status: 200, body: this.userJson(u) };
  }

  private async token(grant: string | null, body: Json, email: string): Promise<Reply> {
    if (grant === 'password') {
      const u = this.users.get(email);
      if (!u || u.password === null || u.password !== body.password)
        return err(400, 'invalid_credentials', 'Invalid login credentials');
      if (!u.confirmedAt) return err(400, 'email_not_confirmed', 'Email not confirmed');
      return { status: 200, body: await this.session(u) };
    }
    if (grant !== 'refresh_token')
      return err(400, 'unsupported_grant_type', `unsupported grant_type ${grant}`);
    const presented = String(body.refresh_token);
    // Rotation: a refresh token works once, except that GoTrue accepts a just-used one again for its reuse
    // interval (GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL, 10 s by default), so a refresh whose answer
    // was lost (a page reloaded mid-request) does not sign the user out.
    const reused = this.usedRefreshTokens.get(presented);
    const held =
      this.refreshTokens.get(presented) ??
      (reused && Date.now() - reused.usedAt <= REFRESH_REUSE_INTERVAL_MS ? reused : undefined);
    if (held) this.usedRefreshTokens.set(presented, { ...held, usedAt: reused?.usedAt ?? Date.now() });
    this.refreshTokens.delete(presented);
    const u = held && !this.endedSessions.has(held.sessionId) ? this.byId(held.userId) : undefined;
    if (!held || !u)
      return err(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    this.refreshes++;
    return { status: 200, body: await this.session(u, held.sessionId) };
  }

  private async verify(url: URL): Promise<Reply> {
    const token = url.searchParams.get('token') ?? '';
    const held = this.linkTokens.get(token);
    const redirectTo = url.searchParams.get('redirect_to') ?? '/';
    if (!held) return { status: 303, location: `${redirectTo}#error=access_denied&error_code=otp_expired` };
    this.linkTokens.delete(token);
    const u = this.users.get(held.email);
    if (!u) return err(404, 'user_not_found', 'User not found');
    u.confirmedAt ??= now();
    return this.redirectWithSession(redirectTo, u, held.type);
  }

  /** Simplified OAuth: no provider round trip; `<provider>-user@example.com` is signed in at once. */
  private authorize(provider: string, redirectTo: string | null): Promise<Reply> {
    const address = `${provider}-user@example.com`;
    const u = this.users.get(address) ?? this.addUser(address, null, provider, true);
    return this.redirectWithSession(redirectTo ?? '/', u, 'signup');
  }

  private async signedIn(req: FakeRequest, path: string, body: Json): Promise<Reply> {
    const claims = this.bearerClaims(req);
    const user = claims ? this.byId(String(claims.sub)) : undefined;
    if (!claims || !user) return err(401, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
    if (req.method === 'GET' && path === '/user') return { status: 200, body: this.userJson(user) };
    if (req.method === 'PUT' && path === '/user') {
      if (typeof body.password === 'string') user.password = body.password;
      if (body.data && typeof body.data === 'object')
        user.metadata = { ...user.metadata, ...(body.data as Json) };
      return { status: 200, body: this.userJson(user) };
    }
    if (req.method === 'POST' && path === '/logout') {
      this.endedSessions.add(String(claims.session_id));
      return { status: 204 };
    }
    return err(404, 'not_found', `no route ${req.method} ${path}`);
  }

  /** Claims of a live access token (the fake's own; its session must not have ended). */
  private bearerClaims(req: FakeRequest): Json | undefined {
    try {
      const claims = decodeJwt((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if ((claims.exp ?? 0) * 1000 < Date.now() || this.endedSessions.has(String(claims.session_id))) return;
      return claims as Json;
    } catch {
      return undefined;
    }
  }

  private byId = (id: string) => [...this.users.values()].find((u) => u.id === id);

  private userJson(u: FakeUser): Json {
    return {
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
    };
  }

  private async session(u: FakeUser, sessionId: string = randomUUID()): Promise<Json> {
    const user = this.userJson(u);
    this.sessions.add(sessionId);
    const claims = {
      iss: `${this.url}/auth/v1`,
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
    };
    const refresh = randomBytes(12).toString('hex');
    this.refreshTokens.set(refresh, { userId: u.id, sessionId });
    return {
      access_token: await this.issuer.sign(claims, this.ttl),
      token_type: 'bearer',
      expires_in: this.ttl,
      expires_at: Math.floor(Date.now() / 1000) + this.ttl,
      refresh_token: refresh,
      user,
    };
  }

  private mailLink(email: string, type: SentMail['type'], redirectTo: string | null) {
    const token = randomBytes(16).toString('hex');
    this.linkTokens.set(token, { email: email.toLowerCase(), type });
    const q = new URLSearchParams({ token, type, ...(redirectTo ? { redirect_to: redirectTo } : {}) });
    this.mail.push({ to: email, type, link: `${this.url}/auth/v1/verify?${q}` });
  }

  private async redirectWithSession(redirectTo: string, u: FakeUser, type: string): Promise<Reply> {
    const s = await this.session(u);
    const fragment = new URLSearchParams({
      access_token: String(s.access_token),
      expires_at: String(s.expires_at),
      expires_in: String(s.expires_in),
      refresh_token: String(s.refresh_token),
      token_type: 'bearer',
      type,
    });
    return { status: 303, location: `${redirectTo}#${fragment}` };
  }
}

export async function startFakeSupabase(
  opts: { accessTokenTtlSeconds?: number; autoconfirm?: boolean } = {},
): Promise<FakeSupabase> {
  const issuer = await createJwtIssuer('ES256');
  const gotrue = new GoTrue(issuer, opts.accessTokenTtlSeconds ?? 3600, opts.autoconfirm ?? true);
  gotrue.anonKey = await issuer.sign({ iss: 'supabase', role: 'anon' }, 3600 * 24 * 365);
  const server = await serveFake(
    'authorization, apikey, content-type, x-client-info, x-supabase-api-version',
    (req) => gotrue.route(req),
  );
  gotrue.url = server.url;
  return {
    url: server.url,
    anonKey: gotrue.anonKey,
    issuer,
    mail: gotrue.mail,
    get refreshes() {
      return gotrue.refreshes;
    },
    liveSessions: gotrue.liveSessions,
    addUser: (email, password) => void gotrue.addUser(email, password),
    close: server.close,
  };
}
