/**
 * Active health checks: every `intervalMs`, each router that is not disabled gets its adapter's probes
 * (`/api/v1/ping` and `/api/v1/status` for Cortensor). A failed probe counts against the breaker; a passing
 * one closes a breaker whose open period is over (the half-open trial).
 */
import type { Logger } from '#src/platform/log.js';
import type { UpstreamAdapter } from '../adapters/types.js';
import type { UpstreamClient } from '../upstream/net.js';
import type { Fleet, RouterRuntime } from './fleet.js';
import { targetFor } from './target.js';

export interface Prober {
  /** Probes every router once now (also used by tests and at start). */
  probeAll(): Promise<void>;
  stop(): void;
}

export function startProber(deps: {
  fleet: Fleet;
  net: UpstreamClient;
  adapterFor: (r: RouterRuntime) => UpstreamAdapter;
  intervalMs: number;
  log: Logger;
}): Prober {
  const { fleet, net, log } = deps;
  const timeoutMs = Math.max(500, Math.min(2_000, deps.intervalMs * 2));
  let running: Promise<void> | undefined;

  async function probe(r: RouterRuntime) {
    const now = Date.now();
    const state = r.breaker.state(now);
    if (state === 'open') return; // wait for the open period to end before trying again
    let detail: string | undefined;
    try {
      for (const spec of deps.adapterFor(r).probes(targetFor(r))) {
        const answer = await net.send(spec, { deadline: Date.now() + timeoutMs });
        if (answer.status !== 200) {
          detail = `HTTP ${answer.status} from ${new URL(spec.url).pathname}`;
          break;
        }
      }
    } catch (err) {
      detail = (err as Error).message;
    }
    const wasOk = r.lastProbe?.ok ?? true;
    r.lastProbe = { ok: detail === undefined, at: Date.now(), detail };
    if (detail === undefined) {
      if (state === 'half_open') r.breaker.onSuccess();
      if (!wasOk) log.info({ router: r.record.id, pool: r.pool.id }, 'router healthy again');
    } else {
      r.breaker.onFailure(Date.now());
      if (wasOk) log.warn({ router: r.record.id, pool: r.pool.id, detail }, 'router probe failed');
    }
  }

  function probeAll(): Promise<void> {
    running ??= Promise.allSettled(
      fleet
        .routers()
        .filter((r) => r.record.state !== 'disabled')
        .map(probe),
    ).then(() => {
      running = undefined;
    });
    return running;
  }

  const timer = setInterval(() => void probeAll(), deps.intervalMs);
  timer.unref();
  return { probeAll, stop: () => clearInterval(timer) };
}
