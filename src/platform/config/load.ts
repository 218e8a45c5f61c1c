/**
 * Loads the configuration: an optional JSON or YAML file (`--config` / PORTAL_CONFIG), the built-in catalog
 * and plans for what it leaves out, then environment overrides. A bad config throws ConfigError with one line
 * naming the file and the field.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configSchema, type PortalConfig } from './schema.js';
import { defaultModels, defaultPlans } from './defaults.js';
import { isLoopbackBind } from './public-origin.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(options: { file?: string; env?: Env; overrides?: Record<string, unknown> } = {}) {
  const env = options.env ?? process.env;
  const file = options.file ?? env.PORTAL_CONFIG;
  const raw = file ? readConfigFile(file) : {};
  const merged = applyEnv({ models: defaultModels, plans: defaultPlans, ...raw, ...options.overrides }, env);
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(describeIssue(result.error, file));
  return checkPublicUrl(checkReferences(result.data, file), file, env);
}

/** A production server reachable beyond loopback must say its public origin: links never follow `Host`. */
function checkPublicUrl(config: PortalConfig, file: string | undefined, env: Env): PortalConfig {
  if (config.server.publicUrl || env.NODE_ENV !== 'production' || isLoopbackBind(config.server.host))
    return config;
  throw new ConfigError(
    `${file ? `config file ${file}` : 'config'}: server.publicUrl: required in production when listening on ${config.server.host} (set PORTAL_PUBLIC_URL, e.g. https://portal.example)`,
  );
}

function readConfigFile(file: string): Record<string, unknown> {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `config file ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
  let value: unknown;
  try {
    value = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(
      `config file ${file} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(`config file ${file} must hold an object`);
  return value as Record<string, unknown>;
}

/** Environment variables that set a config option (they win over the file). */
export const ENV_OVERRIDES: Array<{ name: string; path: [string] | [string, string]; int?: boolean }> = [
  { name: 'PORT', path: ['server', 'port'], int: true },
  { name: 'HOST', path: ['server', 'host'] },
  { name: 'PORTAL_PUBLIC_URL', path: ['server', 'publicUrl'] },
  { name: 'PORTAL_DATA_DIR', path: ['dataDir'] },
  { name: 'DATABASE_URL', path: ['database', 'url'] },
  { name: 'DATABASE_DIRECT_URL', path: ['database', 'directUrl'] },
  { name: 'REDIS_URL', path: ['redis', 'url'] },
  { name: 'PORTAL_ADMIN_TOKEN', path: ['admin', 'token'] },
  { name: 'PORTAL_ADMIN_EMAILS', path: ['admin', 'emails'] },
  { name: 'PORTAL_AUTH_SECRET', path: ['auth', 'secret'] },
  { name: 'PORTAL_AUTH_PROVIDER', path: ['auth', 'provider'] },
  { name: 'PORTAL_SUPPORT_URL', path: ['support', 'url'] },
  { name: 'PORTAL_SUPPORT_EMAIL', path: ['support', 'email'] },
];

function applyEnv(input: Record<string, unknown>, env: Env): Record<string, unknown> {
  const out = structuredClone(input);
  for (const { name, path, int } of ENV_OVERRIDES) {
    const value = env[name];
    // A whole number is checked even when empty (PORT= is a mistake); an empty string is "unset" otherwise.
    if (value === undefined || (!int && value === '')) continue;
    const parsed = int ? parseIntEnv(name, value) : value;
    const [first, second] = path;
    if (second === undefined) {
      out[first] = parsed;
      continue;
    }
    const current = out[first];
    const section = current && typeof current === 'object' ? (current as Record<string, unknown>) : {};
    out[first] = { ...section, [second]: parsed };
  }
  return out;
}

function parseIntEnv(name: string, value: string): number {
  if (!/^\d+$/.test(value))
    throw new ConfigError(`environment variable ${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function describeIssue(error: z.ZodError, file: string | undefined): string {
  const issue = error.issues[0];
  if (!issue) return `${file ? `config file ${file}` : 'config'}: invalid`;
  const where = issue.path.length ? issue.path.join('.') : '(root)';
  const source = file ? `config file ${file}` : 'config';
  return `${source}: ${where}: ${issue.message}`;
}

/** Cross-field checks zod cannot express: references between models, plans and pools. */
function checkReferences(config: PortalConfig, file: string | undefined): PortalConfig {
  const source = file ? `config file ${file}` : 'config';
  const fail = (path: string, message: string): never => {
    throw new ConfigError(`${source}: ${path}: ${message}`);
  };
  const modelIds = new Set<string>();
  config.models.forEach((m, i) => {
    if (modelIds.has(m.id)) fail(`models.${i}.id`, `duplicate model id "${m.id}"`);
    modelIds.add(m.id);
  });
  config.models.forEach((m, i) =>
    m.aliases.forEach((a, j) => {
      if (modelIds.has(a)) fail(`models.${i}.aliases.${j}`, `alias "${a}" is also a model id`);
    }),
  );
  const planIds = new Set(config.plans.map((p) => p.id));
  if (!planIds.has(config.defaultPlan)) fail('defaultPlan', `no plan with id "${config.defaultPlan}"`);
  config.plans.forEach((p, i) =>
    p.models.forEach((m, j) => {
      if (m !== '*' && !modelIds.has(m)) fail(`plans.${i}.models.${j}`, `unknown model "${m}"`);
    }),
  );
  const routerIds = new Set<string>();
  config.pools.forEach((pool, i) => {
    pool.models.forEach((m, j) => {
      const mid = typeof m === 'string' ? m : m.id;
      if (!modelIds.has(mid)) fail(`pools.${i}.models.${j}`, `unknown model "${mid}"`);
    });
    pool.routers.forEach((r, j) => {
      if (routerIds.has(r.id)) fail(`pools.${i}.routers.${j}.id`, `duplicate router id "${r.id}"`);
      routerIds.add(r.id);
      if (pool.kind === 'cortensor' && r.dedicatedSessions.length + r.ephemeralSessions.length === 0)
        fail(`pools.${i}.routers.${j}.dedicatedSessions`, 'a cortensor router needs at least one session id');
    });
  });
  return config;
}
