/**
 * The demo fleet: with no pool configured, Portal starts the router simulator in-process and serves every
 * catalog model from it, one pool per model (a Cortensor session fixes its model, so each model gets its
 * own sessions). The router key is random per start and reaches the pool only by env var name.
 */
import { randomBytes } from 'node:crypto';
import type { ModelConfig, PoolConfig } from '#src/platform/config/schema.js';
import { startSimulator, type RunningSimulator } from '../simulator/server.js';

export const DEMO_KEY_ENV = 'PORTAL_DEMO_ROUTER_KEY';
export const DEMO_POOL_PREFIX = 'demo-';

/** The model name a real router would report for a product model's family. */
function routerModelName(model: ModelConfig): string {
  switch (model.template) {
    case 'harmony':
      return model.id.includes('120') ? 'gpt-oss:120b-gpu' : 'gpt-oss:20b-gpu';
    case 'gemma4':
      return 'gemma4:31b-gpu';
    case 'gemma':
      return 'gemma3:27b-gpu';
    case 'chatml':
      return 'qwen3:8b-gpu';
    case 'llama3':
      return 'llama3.1';
    case 'plain':
      return 'mistral';
  }
}

export interface DemoFleet {
  simulator: RunningSimulator;
  pools: PoolConfig[];
}

/**
 * Starts the simulator on 127.0.0.1 (a free port) and describes one demo pool per model. Paced like a real
 * router (time to first token, tokens per second) unless zero-delay is asked for (tests, benchmarks).
 */
export async function startDemoFleet(
  models: ModelConfig[],
  options: { zeroDelay: boolean },
): Promise<DemoFleet> {
  // One key per process: several in-process services (tests) may each run a demo simulator.
  const key = process.env[DEMO_KEY_ENV] || randomBytes(24).toString('base64url');
  process.env[DEMO_KEY_ENV] = key;
  const sessionModels: Record<string, string> = {};
  const pools: PoolConfig[] = models.map((model, i) => {
    const sessions = [i * 2 + 1, i * 2 + 2];
    for (const s of sessions) sessionModels[String(s)] = routerModelName(model);
    return {
      id: `${DEMO_POOL_PREFIX}${model.id}`,
      name: `Demo (simulator): ${model.displayName}`,
      kind: 'cortensor',
      apiVersion: 'v1',
      state: 'active',
      models: [model.id],
      routers: [],
    };
  });
  const simulator = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    options: {
      apiKey: key,
      sessionModels,
      defaultModel: 'gpt-oss:20b-gpu',
      ttftMs: options.zeroDelay ? 0 : 250,
      tokensPerSecond: options.zeroDelay ? 0 : 60,
      outputTokens: 120,
    },
  });
  for (const [i, pool] of pools.entries())
    pool.routers.push({
      id: `${pool.id}-sim`,
      url: simulator.url,
      apiKeyEnv: DEMO_KEY_ENV,
      dedicatedSessions: [i * 2 + 1, i * 2 + 2],
      ephemeralSessions: [],
      weight: 1,
      maxConcurrency: 256,
      state: 'active',
    });
  return { simulator, pools };
}
