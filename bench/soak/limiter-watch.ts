/**
 * Which instance decided limits locally, and when: every 500 ms each live instance's /metrics is read and a
 * stretch is recorded when its count of local-fallback decisions (`portal_limiter_decisions_total{backend=
 * "local"}`) grew or its `portal_limiter_degraded` gauge is 1. An instance falls back not only while Redis is
 * killed or paused: a decision Redis has not answered within the limiter's timeout (300 ms) is decided locally
 * too, which on a loaded machine happens while Redis is up. The window checks classify by these stretches,
 * not by the fault schedule alone (the 30-minute run's 14 / 12 "while Redis was up": docs/reliability.md).
 */
import type { Stack } from './stack.js';
import { ADMIN_TOKEN } from './stack.js';

export interface LocalStretch {
  instance: number;
  /** The poll before the one that saw the local decisions (they happened in between). */
  start: number;
  end: number;
  /** Local decisions counted in the stretch (0 when only the gauge said degraded). */
  decisions: number;
}

/** The sum of local-fallback decisions and the degraded gauge in a Prometheus text exposition. */
export function readLimiterMetrics(text: string): { local: number; degraded: boolean } {
  let local = 0;
  let degraded = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('portal_limiter_decisions_total{') && line.includes('backend="local"'))
      local += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
    else if (line.startsWith('portal_limiter_degraded '))
      degraded = Number(line.slice(line.lastIndexOf(' ') + 1)) === 1;
  }
  return { local, degraded };
}

/** One instance's limiter metrics from its main port's /metrics (admin token); undefined when it did not answer. */
export async function scrapeLimiter(url: string, token = ADMIN_TOKEN) {
  const res = await fetch(`${url}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(2_000),
  }).catch(() => undefined);
  if (!res?.ok) return undefined;
  const text = await res.text().catch(() => undefined);
  return text === undefined ? undefined : readLimiterMetrics(text);
}

export interface LimiterWatch {
  stretches: LocalStretch[];
  /** Scrapes that answered: 0 means the classification saw nothing (and the limit check must not pass). */
  scrapes: number;
}

/** Polls until `stopAt`, appending to `out`; a restarted instance's counter starts again from 0. */
export async function watchLimiters(stack: Stack, stopAt: number, out: LimiterWatch, everyMs = 500) {
  const last = [0, 1, 2].map(() => ({ at: Date.now(), local: 0 }));
  while (Date.now() < stopAt) {
    await Promise.all(
      stack.portals.map(async (p, i) => {
        const prev = last[i];
        if (!p || !prev) return;
        const m = await scrapeLimiter(p.url);
        const now = Date.now();
        if (m === undefined) return; // a stopped instance: its window is a portal fault already
        out.scrapes++;
        const grown = m.local >= prev.local ? m.local - prev.local : m.local;
        if (grown > 0 || m.degraded)
          out.stretches.push({ instance: i, start: prev.at, end: now, decisions: grown });
        last[i] = { at: now, local: m.local };
      }),
    );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
