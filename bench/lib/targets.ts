/**
 * What the gateway benchmark loads: for each upstream (the router simulator, the fixed-reply upstream), the
 * upstream directly, the bare proxy in front of it, and each Portal process's pools on it. Every row carries
 * its upstream and, for Portal, the bare-proxy row it is compared with (the proxy on the same upstream).
 */
import type { LoadSpec } from './load.js';
import type { PortalMode, PortalService, Service } from './stack.js';
import { FIXED_UPSTREAM_MODEL, SIM_KEY } from './stack.js';

export type UpstreamName = 'sim' | 'fixed';

/** How a row names its upstream, in target names and verdicts. */
export const UPSTREAM_LABEL: Record<UpstreamName, string> = {
  sim: 'router simulator',
  fixed: 'fixed-reply upstream',
};

export interface Target {
  name: string;
  upstream: UpstreamName;
  url: string;
  key: string;
  model: string;
  portal: boolean;
  /** An OpenAI-compatible Portal pool (the rows the targets are judged on). */
  openai: boolean;
  /** The bare-proxy row on the same upstream (Portal rows only). */
  baseline?: string;
  /** CPU time of the process that serves this target (the upstream's own is not counted for the others). */
  cpuMs?: () => number;
}

export function spec(
  t: Pick<Target, 'url' | 'key' | 'model' | 'portal' | 'cpuMs'>,
  stream: boolean,
  connections: number,
  secs: number,
): LoadSpec {
  return {
    url: `${t.url}/v1/chat/completions`,
    headers: { authorization: `Bearer ${t.key}` },
    body: JSON.stringify({
      model: t.model,
      messages: [{ role: 'user', content: 'Say hello to the benchmark.' }],
      max_tokens: 32,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
    connections,
    seconds: secs,
    sampleHeader: t.portal ? 'x-portal-overhead-ms' : undefined,
    serverCpuMs: t.cpuMs,
  };
}

export interface UpstreamSide {
  name: UpstreamName;
  /** The upstream itself (simulator or fixed-reply server). */
  service: Service;
  /** The bare proxy in front of it. */
  proxy: Service;
}

/** The model Portal serves on each upstream's OpenAI-compatible pool, and what the upstream itself is asked. */
const PORTAL_OPENAI_MODEL: Record<UpstreamName, string> = { sim: 'oss-20b', fixed: 'oss-120b' };
const DIRECT_MODEL: Record<UpstreamName, string> = { sim: 'gpt-oss-20b', fixed: FIXED_UPSTREAM_MODEL };

/** The rows of one upstream: directly, through the bare proxy, through each Portal process. */
export function targetsFor(
  side: UpstreamSide,
  portals: { mode: PortalMode; portal: PortalService }[],
): Target[] {
  const on = ` → ${side.name}`;
  const proxyName = `bare proxy${on}`;
  const direct = {
    upstream: side.name,
    key: SIM_KEY,
    model: DIRECT_MODEL[side.name],
    portal: false,
    openai: false,
  };
  const rows: Target[] = [
    {
      ...direct,
      name: side.name === 'sim' ? 'simulator' : 'fixed upstream',
      url: side.service.url,
      cpuMs: side.service.child.cpuMs,
    },
    { ...direct, name: proxyName, url: side.proxy.url, cpuMs: side.proxy.child.cpuMs },
  ];
  for (const { mode, portal } of portals) {
    const common = {
      upstream: side.name,
      url: portal.url,
      key: portal.key,
      portal: true,
      baseline: proxyName,
      cpuMs: portal.child.cpuMs,
    };
    rows.push({
      ...common,
      name: `portal openai ${mode.name}${on}`,
      model: PORTAL_OPENAI_MODEL[side.name],
      openai: true,
    });
    // The fixed upstream speaks only OpenAI's API: the Cortensor pool stays on the simulator.
    if (side.name === 'sim')
      rows.push({ ...common, name: `portal cortensor ${mode.name}${on}`, model: 'gemma4', openai: false });
  }
  return rows;
}
