/**
 * The Cortensor router simulator: a standalone HTTP server speaking the router REST API (see
 * /work/shared/cortensor-router-api.md) plus an OpenAI-compatible face, with every behaviour switchable at
 * run time through `POST /_sim/config`. The demo backend of `npm start` and the upstream of tests and
 * benchmarks, so it is plain node:http and does no work it does not have to.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { handleCompletion, handleTask, handleTaskList } from './cortensor-routes.js';
import { parseObject, readBody, sendError, sendJson } from './http.js';
import { handleModels, handleOpenAiCompletion } from './openai-routes.js';
import { parsePatch, simOptionsSchema, type SimOptions, type SimOptionsInput } from './options.js';
import { createSimState, type SimState, type SimStats } from './state.js';

export interface RunningSimulator {
  url: string;
  port: number;
  options(): SimOptions;
  /** Changes behaviour while running (same as POST /_sim/config). */
  configure(patch: Partial<SimOptions>): SimOptions;
  stats(): SimStats;
  close(): Promise<void>;
}

const SESSIONS_LISTED = 8;
const startedAt = Date.now();

function authorized(req: IncomingMessage, key: string): boolean {
  if (!key) return true;
  const header = req.headers.authorization ?? '';
  const presented = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const expected = Buffer.from(key);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function sessionView(state: SimState, id: number) {
  const model = state.options.sessionModels[String(id)] ?? state.options.defaultModel;
  return { id, session_id: id, model, state: 'active', miners: state.options.miners, mode: 'dedicated' };
}

function sessionIds(state: SimState): number[] {
  const listed = Object.keys(state.options.sessionModels).map(Number).filter(Number.isInteger);
  return listed.length ? listed : Array.from({ length: SESSIONS_LISTED }, (_, i) => i);
}

function infoRoutes(path: string, res: ServerResponse, state: SimState): boolean {
  const o = state.options;
  const uptime = Math.round((Date.now() - startedAt) / 1000);
  const routes: Record<string, () => unknown> = {
    '/api/v1/ping': () => ({ status: 'ok', message: 'pong' }),
    '/api/v1/status': () => ({ status: 'ok', uptime, miners: o.miners, sessions: sessionIds(state).length }),
    '/api/v1/info': () => ({ name: 'cortensor-router', version: 'sim-1', network: 'simulated', uptime }),
    '/api/v1/about': () => ({
      name: 'Portal router simulator',
      version: 'sim-1',
      description: 'Simulated Cortensor router',
    }),
    '/api/v1/miners': () =>
      Array.from({ length: o.miners }, (_, m) => ({ address: state.minerAddress(m), status: 'active' })),
    '/api/v1/sessions': () => sessionIds(state).map((id) => sessionView(state, id)),
  };
  const route = routes[path];
  if (!route) return false;
  sendJson(res, 200, route());
  return true;
}

async function control(req: IncomingMessage, res: ServerResponse, state: SimState) {
  if (req.method === 'GET')
    return sendJson(res, 200, { options: { ...state.options, apiKey: undefined }, stats: state.stats });
  const parsed = parsePatch(parseObject(await readBody(req)) ?? {});
  if (!parsed.success) return sendJson(res, 400, { error: { message: parsed.message } });
  Object.assign(state.options, parsed.data);
  sendJson(res, 200, { options: { ...state.options, apiKey: undefined } });
}

const COMPLETION = /^\/api\/v[123]\/completions(?:\/(\d+))?\/?$/;
const TASK = /^\/api\/v1\/tasks\/(\d+)(?:\/(\d+))?\/?$/;
const SESSION = /^\/api\/v1\/sessions\/(\d+)\/?$/;

async function route(req: IncomingMessage, res: ServerResponse, state: SimState) {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!authorized(req, state.options.apiKey)) return sendError(res, state.options, 401, 'unauthorized');
  if (path === '/_sim/config') return control(req, res, state);
  if (state.options.down) return sendError(res, state.options, 503, 'router backend unavailable');
  let m: RegExpMatchArray | null;
  if (req.method === 'POST') {
    if ((m = path.match(COMPLETION))) return handleCompletion(req, res, state, m[1]);
    if (path === '/v1/chat/completions') return handleOpenAiCompletion(req, res, state, true);
    if (path === '/v1/completions') return handleOpenAiCompletion(req, res, state, false);
  }
  if (req.method === 'GET') {
    if (infoRoutes(path, res, state)) return;
    if ((m = path.match(SESSION))) return sendJson(res, 200, sessionView(state, Number(m[1])));
    if ((m = path.match(TASK))) {
      const [, session = '', task] = m;
      return task ? handleTask(res, state, session, task) : handleTaskList(res, state, session);
    }
    if (path === '/v1/models') return handleModels(res, state);
  }
  sendError(res, state.options, 404, `no route for ${req.method} ${path}`);
}

/**
 * Starts a simulator.
 * @example const sim = await startSimulator({ port: 0, options: { apiKey: 'K', tokensPerSecond: 50 } });
 */
export async function startSimulator(
  init: { port?: number; host?: string; options?: SimOptionsInput } = {},
): Promise<RunningSimulator> {
  const state = createSimState(simOptionsSchema.parse(init.options ?? {}));
  const server: Server = createServer((req, res) => {
    state.stats.requests++;
    state.stats.inFlight++;
    res.once('close', () => state.stats.inFlight--);
    route(req, res, state).catch(() => {
      if (!res.headersSent) sendError(res, state.options, 500, 'simulator error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(init.port ?? 0, init.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = init.host === '0.0.0.0' || !init.host ? '127.0.0.1' : init.host;
  return {
    url: `http://${host}:${port}`,
    port,
    options: () => ({ ...state.options }),
    configure(patch) {
      const parsed = parsePatch(patch);
      if (!parsed.success) throw new Error(`bad simulator options: ${parsed.message}`);
      Object.assign(state.options, parsed.data);
      return { ...state.options };
    },
    stats: () => ({ ...state.stats }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
