/**
 * What each configuration option means, in the words of the configuration reference page (reference.ts). Kept
 * beside the schema rather than as `.describe()` calls in it: the schema stays readable (and under 300 lines),
 * and test/docs/configuration.test.ts fails when a schema option has no entry here or an entry names no option.
 */
export const CONFIG_DESCRIPTIONS: Record<string, { text: string; default?: string }> = {
  'server.host': { text: 'Address the main listener binds to.' },
  'server.port': { text: 'Port of the main listener (API, dashboard, docs). `0` picks a free port.' },
  'server.publicUrl': {
    text: 'The canonical public origin, e.g. `https://portal.example`: mailed links, cookies, HSTS (https only) and the `Host` accepted on `/api/auth/*` come from it, never from a request. Required with `NODE_ENV=production` unless `server.host` is loopback.',
    default: '`http://localhost:<port>`',
  },
  'server.bodyLimitBytes': { text: 'Largest request body outside `/v1` (bytes).' },
  'server.shutdownGraceMs': {
    text: 'On SIGTERM/SIGINT: how long in-flight requests and streams may finish before the remaining connections are closed.',
  },
  'server.trustProxy': {
    text: 'Proxies in front, for the client address in `X-Forwarded-For`: `false` (none), a hop count, or the proxies’ addresses/CIDRs. `true` means 1 hop. The leftmost (client-written) entry is never trusted.',
    default: '`false`',
  },
  'server.opsPort': {
    text: 'Starts a second listener serving only `/healthz`, `/readyz` with its detail and `/metrics`; the main port then serves no `/metrics`.',
  },
  'server.opsHost': { text: 'Address the ops listener binds to.' },
  'server.headersTimeoutMs': {
    text: 'A request’s headers must arrive within this time (receiving only; answers and streams are not bounded by it).',
  },
  'server.requestTimeoutMs': { text: 'A whole request must arrive within this time (receiving only).' },
  'server.maxConnections': { text: 'Open connections the main listener accepts at most.' },
  dataDir: {
    text: 'Embedded database (PGlite, when `database.url` is unset), usage spool files, the generated `auth-secret` and, outside production, `admin-token`.',
  },
  'database.url': {
    text: 'PostgreSQL connection string (also Supabase). Unset: the embedded PGlite database in the data dir (one instance only).',
    default: 'embedded PGlite',
  },
  'database.directUrl': {
    text: 'A direct PostgreSQL connection string (`DATABASE_DIRECT_URL`) used only for migrations, when `database.url` goes through a transaction-mode pooler (Supabase: the pooler on port 6543 as `database.url`, the direct connection on 5432 here). Unset: migrations use `database.url` (they work through a transaction-mode pooler too).',
    default: '`database.url`',
  },
  'redis.url': {
    text: 'Redis for the shared rate limiter, the change bus between instances and the password-attempt counters. Unset: in-memory (one instance only).',
    default: 'in-memory',
  },
  'redis.cluster': {
    text: 'Redis Cluster seed nodes (e.g. `[redis://10.0.0.1:6379, redis://10.0.0.2:6379]`): the limiter, bus and counters then run on the cluster (every script touches one hash tag). Several comma-separated URLs in `redis.url` mean the same. Credentials and `rediss:` of the first apply to every node.',
    default: 'unset (one node, `redis.url`)',
  },
  'redis.onFailure': {
    text: 'While Redis is unreachable: `local` applies limits per instance, `closed` refuses requests.',
  },
  'redis.localShare': {
    text: 'This instance’s share of each limit while Redis is unreachable (e.g. `0.34` with three instances).',
  },
  'admin.token': {
    text: 'Bearer token of the admin API, the CLI and `/metrics` on the main port: 32+ random characters (`openssl rand -hex 32`). Unset outside production: generated into `<dataDir>/admin-token`. Unset in production: the admin API is off.',
    default: 'generated (not in production)',
  },
  'admin.allowIps': {
    text: 'Addresses/CIDRs the admin API (and `/metrics` on the main port) answers; others get 403.',
    default: 'any address',
  },
  'admin.emails': {
    text: 'Emails of the people who are admins: their dashboard session also works on `/admin/api` (the operations console). Case-insensitive, checked on every request, so removing an address takes admin away at once (unless the user was created with `portal users create --admin`). A list, or comma-separated in `PORTAL_ADMIN_EMAILS`.',
    default: 'none',
  },
  'auth.provider': {
    text: 'Who signs dashboard users in: `local` (email and password), `clerk` or `supabase`.',
  },
  'auth.secret': {
    text: 'Session signing secret (32+ characters). Unset: generated once into `<dataDir>/auth-secret`.',
    default: 'generated',
  },
  'auth.requireEmailVerification': {
    text: 'Sign-in needs a verified email (a link is mailed at sign-up).',
    default: 'on when `auth.smtp` is set',
  },
  'auth.sessionMaxAgeDays': {
    text: 'Absolute lifetime of a session, however active (sessions also end after 7 idle days).',
  },
  'auth.clerk.jwksUrl': { text: 'Clerk instance JWKS URL that session tokens are verified against.' },
  'auth.clerk.issuer': { text: 'Expected `iss` of Clerk session tokens.' },
  'auth.clerk.audience': { text: 'Expected `aud`, when the Clerk tokens carry one.' },
  'auth.clerk.authorizedParties': {
    text: 'Origins whose Clerk session tokens are accepted (the token’s `azp`), at least the dashboard’s.',
  },
  'auth.clerk.publishableKey': {
    text: 'The dashboard’s Clerk instance (`pk_live_…`/`pk_test_…`); without it the dashboard cannot sign in.',
  },
  'auth.clerk.signInUrl': {
    text: 'Clerk’s hosted sign-in page (Account Portal). When set, “Manage account” opens Clerk’s hosted account page.',
  },
  'auth.clerk.proxyUrl': { text: 'Clerk Frontend API proxy URL, when you proxy Clerk.' },
  'auth.supabase.url': { text: 'The Supabase project URL.' },
  'auth.supabase.jwtSecretEnv': {
    text: 'Name of the environment variable holding the project’s JWT secret (HS256 tokens).',
  },
  'auth.supabase.jwksUrl': { text: 'JWKS URL for projects with asymmetric signing keys.' },
  'auth.supabase.audience': { text: 'Expected `aud` of Supabase access tokens.' },
  'auth.supabase.anonKey': { text: 'The project’s public anon (publishable) key, used by the dashboard.' },
  'auth.supabase.oauthProviders': {
    text: 'OAuth providers enabled in the Supabase project, offered as sign-in buttons (e.g. `github`).',
  },
  'auth.smtp.host': {
    text: 'SMTP server for verification and password-reset mail. Unset: mail is logged, not sent.',
  },
  'auth.smtp.port': { text: 'SMTP port.' },
  'auth.smtp.from': { text: 'Sender address of Portal’s mail.' },
  'auth.smtp.userEnv': {
    text: 'Name of the environment variable holding the SMTP credentials as `user:password`.',
  },
  'gateway.keyCacheTtlMs': {
    text: 'How long a verified API key is cached per instance (revocations reach every instance sooner, through the bus).',
  },
  'gateway.negativeKeyCacheTtlMs': { text: 'How long an unknown key is remembered as unknown.' },
  'gateway.requestTimeoutMs': { text: 'Deadline of one inference request upstream, streams included.' },
  'gateway.firstTokenKeepAliveMs': {
    text: 'While a stream waits for its first token, a keep-alive comment is sent this often.',
  },
  'gateway.rateWindowMs': {
    text: 'Length of the per-key “per minute” windows. 60 s in production; shorter only to test limits quickly.',
  },
  'gateway.promptCharsPerToken': {
    text: 'Abuse bound: a prompt over context window × this many characters is refused without counting tokens; the `/v1` body limit is the largest window × this × 4 bytes + 64 KiB.',
  },
  'gateway.authFailureLimit': {
    text: 'Failed authentications one client address may have per window before key lookups are refused (429).',
  },
  'gateway.authFailureWindowMs': { text: 'Window of `gateway.authFailureLimit`.' },
  'gateway.negativeKeyCacheMaxEntries': {
    text: 'Bound of the separate cache of unknown keys (they never evict valid ones).',
  },
  'keys.provider': { text: 'Who issues and verifies API keys: Portal itself, or Unkey.' },
  'keys.unkey.baseUrl': { text: 'Unkey API base URL.' },
  'keys.unkey.apiId': {
    text: 'The Unkey API whose keys Portal issues. Required with `keys.provider: unkey`.',
  },
  'keys.unkey.rootKeyEnv': {
    text: 'Name of the environment variable holding the Unkey root key (never the key itself).',
  },
  'keys.unkey.prefix': { text: 'Prefix of issued keys (Unkey adds the `_`).' },
  'keys.unkey.timeoutMs': { text: 'Deadline of one Unkey call.' },
  'keys.unkey.creditsMirror.enabled': {
    text: "Write each key's Unkey credits (`remaining`) from its organization's credit balance (micro-dollars) or remaining monthly tokens, so Unkey's dashboard shows them. Read-only: verifications never consume them.",
  },
  'keys.unkey.creditsMirror.intervalMs': {
    text: 'How often organizations with new usage (or a grant, plan change or new key) are written to Unkey.',
  },
  'keys.unkey.creditsMirror.maxOrgsPerFlush': {
    text: 'Organizations written per interval at most; the rest wait for the next one.',
  },
  'keys.unkey.creditsMirror.resyncMs': {
    text: 'Monthly-token organizations are re-read this often while their 30-day window still frees tokens without new traffic.',
  },
  'limits.provider': {
    text: "Who decides rate limits and allowances: Portal's own exact limiter (Redis or memory), or Unkey's ratelimit API (approximate; see decision 021).",
  },
  'limits.unkey.baseUrl': { text: 'Unkey API base URL for `limits.provider: unkey`.' },
  'limits.unkey.rootKeyEnv': {
    text: 'Name of the environment variable holding the Unkey root key used for rate limits (never the key itself).',
  },
  'limits.unkey.namespacePrefix': {
    text: 'Unkey ratelimit namespaces are named `<prefix>.<window>`: rpm, tpm, rpd, tpd, tpmo, auth.',
  },
  'limits.unkey.timeoutMs': { text: 'Deadline of one Unkey ratelimit call; past it the request gets 503.' },
  'health.probeIntervalMs': { text: 'How often each upstream router is probed.' },
  'health.failureThreshold': { text: 'Consecutive failures after which a router is taken out of rotation.' },
  'health.openMs': { text: 'How long a failed router stays out before it is tried again.' },
  'metering.batchSize': { text: 'Usage events written per batch.' },
  'metering.flushIntervalMs': { text: 'Longest wait before queued usage events are written.' },
  'metering.queueMax': {
    text: 'Usage events queued in memory at most; a full queue goes whole to the spool in the data dir (nothing is dropped), as do batches while the database is away.',
  },
  'metering.requestLogRetentionDays': {
    text: 'Request logs older than this are deleted, in bounded batches, by the hourly sweep.',
  },
  'support.url': { text: 'Where customers get help: shown in the docs, the dashboard and its error states.' },
  'support.email': { text: 'Support email address, shown with (or instead of) `support.url`.' },
  defaultPlan: { text: 'Plan of new organizations; must be the `id` of one of `plans`.' },
  models: { text: 'The catalog of product models.', default: 'the built-in launch models' },
  'models[].id': { text: 'The model name clients send (lowercase letters, digits, `.`, `_`, `-`).' },
  'models[].displayName': { text: 'Name shown in the dashboard and docs.' },
  'models[].description': { text: 'One line shown with the model.' },
  'models[].contextWindow': { text: 'Prompt plus output tokens the model accepts.' },
  'models[].maxOutputTokens': { text: 'Largest `max_tokens` a request may ask for.' },
  'models[].defaultMaxTokens': { text: 'Tokens reserved at admission when a request names no `max_tokens`.' },
  'models[].template': { text: 'Chat template family used to render prompts for raw-completion upstreams.' },
  'models[].inputPricePerMTok': {
    text: 'Price in micro-units (1e-6 of the currency) per million prompt tokens.',
  },
  'models[].outputPricePerMTok': {
    text: 'Price in micro-units per million output tokens.',
  },
  'models[].aliases': { text: 'Other names clients may send for this model.' },
  'models[].enabled': { text: 'Disabled models are not listed and cannot be called.' },
  plans: { text: 'Plans and their limits.', default: 'the built-in plans' },
  'plans[].id': { text: 'Plan id (referenced by `defaultPlan`).' },
  'plans[].name': { text: 'Name shown on the Plan page.' },
  'plans[].kind': {
    text: '`free`, `monthly_quota` (a token allowance per 30 rolling days) or `credits` (prepaid balance).',
  },
  'plans[].limits.requestsPerMinute': { text: 'Requests per key per minute; `null` for no limit.' },
  'plans[].limits.tokensPerMinute': { text: 'Tokens per key per minute; `null` for no limit.' },
  'plans[].limits.requestsPerDay': { text: 'Requests per key per day; `null` for no limit.' },
  'plans[].limits.tokensPerDay': { text: 'Tokens per key per day; `null` for no limit.' },
  'plans[].maxActiveKeys': { text: 'Active API keys an organization on this plan may hold.' },
  'plans[].models': { text: 'Model ids this plan may call; `"*"` for all.' },
  'plans[].monthlyTokens': {
    text: '`monthly_quota` plans: tokens per 30 rolling days (a sliding window, not a calendar month).',
  },
  'plans[].priceMicrosPerMonth': {
    text: 'Price per month in micro-units, shown on the Plan page (billing is outside Portal V1).',
  },
  pools: {
    text: 'Upstream router pools.',
    default: 'none: a demo pool (built-in router simulator)',
  },
  'pools[].id': { text: 'Pool id.' },
  'pools[].name': { text: 'Name shown in admin views.' },
  'pools[].kind': {
    text: '`cortensor` (Cortensor routers) or `openai` (any OpenAI-compatible server: vLLM, llama.cpp, Ollama).',
  },
  'pools[].apiVersion': {
    text: 'Cortensor completion path version: `v1` puts prompts on-chain, `v2`/`v3` keep them off-chain.',
  },
  'pools[].toolCalling': {
    text: 'OpenAI-compatible pools: `native` passes tools through; `prompt` renders them into a raw prompt with the model’s template and parses the text.',
    default: '`native`',
  },
  'pools[].state': { text: '`draining` takes no new requests; `disabled` is out of service.' },
  'pools[].models': {
    text: 'Product model ids served, or `{ id, upstreamModel }` where the upstream names the model differently.',
  },
  'pools[].routers': { text: 'The pool’s routers (at least one).' },
  'pools[].routers[].id': { text: 'Router id, unique across pools.' },
  'pools[].routers[].url': { text: 'Base URL of the router.' },
  'pools[].routers[].apiKeyEnv': {
    text: 'Name of the environment variable holding the router’s bearer key — never the key itself.',
  },
  'pools[].routers[].dedicatedSessions': { text: 'Cortensor dedicated session ids.' },
  'pools[].routers[].ephemeralSessions': {
    text: 'Cortensor ephemeral session ids (a Cortensor router needs at least one session of either kind).',
  },
  'pools[].routers[].weight': { text: 'Relative share of traffic.' },
  'pools[].routers[].maxConcurrency': { text: 'Requests in flight to this router at most.' },
  'pools[].routers[].state': { text: '`draining` takes no new requests; `disabled` is out of service.' },
};

/** Environment variables read outside the config schema. */
export const OTHER_ENV: Array<{ name: string; text: string }> = [
  { name: 'PORTAL_CONFIG', text: 'Path of the JSON or YAML config file (same as `--config`).' },
  {
    name: 'NODE_ENV',
    text: '`production` requires `server.publicUrl` off loopback and never generates an admin token.',
  },
  { name: 'LOG_LEVEL', text: 'pino log level (`info` by default).' },
  {
    name: 'PORTAL_WORKERS',
    text: '`portal serve` only: worker processes sharing the port (same as `--workers`; `auto` = one per CPU). Needs `DATABASE_URL` and `REDIS_URL`.',
  },
  {
    name: 'PORTAL_WORKER_ID',
    text: 'Set by the `--workers` primary for each worker (its number, in log lines); not for operators.',
  },
  {
    name: 'PORTAL_URL',
    text: 'CLI only (`portal users`, `portal keys`, `portal admin`): the server to call; default: port 8080 on localhost.',
  },
  {
    name: 'PORTAL_DEMO_ROUTER_KEY',
    text: 'Bearer key of the built-in demo router simulator (random per start when unset).',
  },
  {
    name: 'SIM_API_KEY',
    text: '`portal sim` only: the bearer key the standalone router simulator requires (same as `--api-key`).',
  },
  {
    name: 'PORTAL_DEMO_ZERO_DELAY',
    text: '`1` makes the demo router answer without its simulated token delay.',
  },
  {
    name: 'whatever `apiKeyEnv`, `rootKeyEnv`, `jwtSecretEnv` or `userEnv` names',
    text: 'Secrets: the config names the variable, the environment holds the value.',
  },
];
