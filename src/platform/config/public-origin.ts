/**
 * The one canonical public origin of a deployment (`server.publicUrl`): mailed links, better-auth's base URL
 * and trusted origins, cookie security and HSTS all come from it, never from a request's `Host`. Without a
 * configured URL the origin is `http://localhost:<port>` — allowed only on loopback or outside production
 * (loadConfig refuses the rest) — and, for that development default only, any loopback host and origin is
 * accepted too (the dashboard at http://127.0.0.1:<port> keeps working; no remote page has such an origin).
 *
 * @example
 *   const o = resolvePublicOrigin({ publicUrl: 'https://portal.example', port: 8080 });
 *   o.origin // 'https://portal.example'; o.allowsHost('evil.example') // false
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface PublicOrigin {
  /** e.g. `https://portal.example` (no path, no trailing slash). */
  origin: string;
  https: boolean;
  /** False for the development default. */
  configured: boolean;
  /** Whether a request's Host (or forwarded host) belongs to this deployment. */
  allowsHost(host: string | undefined): boolean;
  /** Whether a browser Origin is this deployment's. */
  trusts(origin: string | undefined): boolean;
}

export function resolvePublicOrigin(server: { publicUrl?: string; port: number }): PublicOrigin {
  const configured = Boolean(server.publicUrl);
  const url = new URL(server.publicUrl ?? `http://localhost${server.port ? `:${server.port}` : ''}`);
  const isLoopback = (host: string) => LOOPBACK_HOSTS.has(host.replace(/:\d+$/, '').toLowerCase());
  return {
    origin: url.origin,
    https: url.protocol === 'https:',
    configured,
    allowsHost: (host) => !!host && (host.toLowerCase() === url.host || (!configured && isLoopback(host))),
    trusts(origin) {
      if (!origin) return false;
      if (origin === url.origin) return true;
      if (configured) return false;
      try {
        const parsed = new URL(origin);
        return parsed.protocol === 'http:' && isLoopback(parsed.host);
      } catch {
        return false;
      }
    },
  };
}

/** True when a listen address only accepts connections from this machine. */
export function isLoopbackBind(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
