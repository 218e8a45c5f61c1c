/**
 * The processes a gateway benchmark measures: the router simulator, the fixed-reply upstream
 * (./fixed-upstream.mjs), a bare reverse proxy in front of either, and Portal itself (`bin/portal serve` with a
 * generated config file), each in its own process. Portal gets one OpenAI-compatible pool (model oss-20b) and
 * one Cortensor pool (model gemma4), both on the same simulator, with a fixed upstream a second
 * OpenAI-compatible pool on it (model oss-120b), and a plan whose four limits are set but high enough that
 * nothing is refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startChild, type Child } from './procs.js';
import { REPO } from './build.js';

export const SIM_KEY = 'bench-sim-key-0123456789';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const HIGH = 1_000_000_000;

export interface Service {
  child: Child;
  url: string;
}

export interface PortalService extends Service {
  key: string;
  /** Where the process's output (pino lines) goes. */
  logFile: string;
  close(): Promise<void>;
}

export async function startSim(bin: string, options: { tokensPerSecond?: number } = {}): Promise<Service> {
  const { child, match } = await startChild({
    name: 'simulator',
    command: process.execPath,
    args: [bin, 'sim', '--port', '0', '--api-key', SIM_KEY].concat(
      options.tokensPerSecond ? ['--tokens-per-second', String(options.tokensPerSecond)] : ['--zero-delay'],
    ),
    ready: /listening on (http:\/\/[\d.]+:\d+)/,
  });
  return { child, url: match[1]! };
}

/** Model name Portal sends to the fixed-reply upstream (which echoes it back). */
export const FIXED_UPSTREAM_MODEL = 'fixed-oss-120b';

export async function startFixedUpstream(): Promise<Service> {
  const { child, match } = await startChild({
    name: 'fixed upstream',
    command: process.execPath,
    args: [join(REPO, 'bench/lib/fixed-upstream.mjs')],
    ready: /listening on (http:\/\/[\d.]+:\d+)/,
  });
  return { child, url: match[1]! };
}

export async function startBareProxy(upstream: string): Promise<Service> {
  const { child, match } = await startChild({
    name: 'bare proxy',
    command: process.execPath,
    args: [join(REPO, 'bench/lib/bare-proxy.mjs'), upstream],
    ready: /listening on (http:\/\/[\d.]+:\d+)/,
  });
  return { child, url: match[1]! };
}

/** `simUrl` may list several simulators: the OpenAI pool gets one router per URL (the upstream client opens
 * at most 256 connections per origin, so 1,000 concurrent streams need several origins). With `fixedUrl`, a
 * third pool (model oss-120b) on the fixed-reply upstream. */
export function portalConfig(port: number, dataDir: string, simUrl: string | string[], fixedUrl?: string) {
  const simUrls = typeof simUrl === 'string' ? [simUrl] : simUrl;
  const router = (id: string, url = simUrls[0]!) => ({
    id,
    url,
    apiKeyEnv: 'BENCH_SIM_KEY',
    maxConcurrency: 10_000,
  });
  return {
    server: { host: '127.0.0.1', port, shutdownGraceMs: 3_000 },
    dataDir,
    defaultPlan: 'bench',
    plans: [
      {
        id: 'bench',
        name: 'Bench',
        kind: 'free',
        limits: { requestsPerMinute: HIGH, tokensPerMinute: HIGH, requestsPerDay: HIGH, tokensPerDay: HIGH },
        maxActiveKeys: 10,
        models: ['*'],
      },
    ],
    pools: [
      {
        id: 'bench-openai',
        kind: 'openai',
        models: [{ id: 'oss-20b', upstreamModel: 'gpt-oss-20b' }],
        routers: simUrls.map((url, i) => router(`sim-openai-${i + 1}`, url)),
      },
      {
        id: 'bench-cortensor',
        kind: 'cortensor',
        models: ['gemma4'],
        routers: [{ ...router('sim-cortensor'), dedicatedSessions: [1, 2, 3, 4] }],
      },
      ...(fixedUrl
        ? [
            {
              id: 'bench-fixed',
              kind: 'openai',
              models: [{ id: 'oss-120b', upstreamModel: FIXED_UPSTREAM_MODEL }],
              routers: [router('fixed-openai-1', fixedUrl)],
            },
          ]
        : []),
    ],
  };
}

export interface PortalMode {
  name: 'memory' | 'redis';
  databaseUrl?: string;
  redisUrl?: string;
}

/** Starts `portal serve` in its own process (optionally with extra node flags) and creates a bench key. */
export async function startPortalProcess(
  bin: string,
  simUrl: string | string[],
  mode: PortalMode,
  options: { nodeArgs?: string[]; serveArgs?: string[]; logLevel?: string; fixedUrl?: string } = {},
): Promise<PortalService> {
  const dir = mkdtempSync(join(tmpdir(), `portal-bench-${mode.name}-`));
  const port = await freePort();
  const configFile = join(dir, 'portal.json');
  writeFileSync(
    configFile,
    JSON.stringify(portalConfig(port, join(dir, 'data'), simUrl, options.fixedUrl), null, 2),
  );
  const env: Record<string, string | undefined> = {
    ...process.env,
    BENCH_SIM_KEY: SIM_KEY,
    PORTAL_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: options.logLevel ?? 'info',
    NODE_ENV: 'production',
  };
  // Undefined removes the name from the child's environment (childEnv): memory mode gets neither.
  env.DATABASE_URL = mode.databaseUrl;
  env.REDIS_URL = mode.redisUrl;
  env.PORT = undefined;
  const url = `http://127.0.0.1:${port}`;
  const { child } = await startChild({
    name: `portal (${mode.name})`,
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), bin, 'serve', '--config', configFile, ...(options.serveArgs ?? [])],
    env,
    ready: `${url}/healthz`,
    logFile: join(dir, 'portal.log'),
    timeoutMs: 120_000,
  });
  const key = await createBenchKey(url);
  return {
    child,
    url,
    key,
    logFile: join(dir, 'portal.log'),
    async close() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function admin<T>(url: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}/admin/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function createBenchKey(url: string): Promise<string> {
  const email = `bench-${Date.now()}@example.test`;
  await admin(url, '/users', { email, password: 'bench-password-0123' });
  const created = await admin<{ key: string }>(url, '/keys', { email, name: 'bench' });
  return created.key;
}
