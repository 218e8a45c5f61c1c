/**
 * The client's address, the one every per-IP limit, lockout and request log keys on. `X-Forwarded-For` is a
 * list the client starts and each proxy appends to, so only the part written by proxies we trust means
 * anything: with `server.trustProxy` as a hop count N the client is the address N places left of the socket
 * peer; with a list of CIDRs it is the rightmost address not in them (docs/decisions/010-platform-hardening.md).
 * The leftmost entry is never trusted. With trust off the socket peer is the client, and the first
 * X-Forwarded-For seen is reported once (a proxy in front with trustProxy off puts every client behind one IP).
 *
 * @example
 *   const resolve = createClientIp({ trustProxy: 1, log });
 *   resolve('203.0.113.9', '6.6.6.6, 198.51.100.7')  // → '198.51.100.7' (added by our one proxy)
 */
import { BlockList, isIP } from 'node:net';
import type { Logger } from '../log.js';

/** `false`: no proxy; a number: that many proxies in front; a list: the proxies' addresses (CIDRs). */
export type TrustProxy = false | number | string[];

export type ClientIpResolver = (
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
) => string;

/** What the address is when there is no socket at all (`app.request()` in tests). */
export const NO_SOCKET = 'in-process';

export function createClientIp(options: { trustProxy: TrustProxy; log?: Logger }): ClientIpResolver {
  const { trustProxy } = options;
  let warned = false;
  if (trustProxy === false)
    return function socketAddress(socket, forwardedFor) {
      if (forwardedFor !== undefined && !warned) {
        warned = true;
        options.log?.warn(
          'X-Forwarded-For seen but server.trustProxy is off: every client behind the proxy shares its address ' +
            'for per-IP limits and logs. Set server.trustProxy to the number of proxies in front, or their CIDRs.',
        );
      }
      return normalizeIp(socket) ?? NO_SOCKET;
    };
  const hops = typeof trustProxy === 'number' ? trustProxy : 0;
  const trusted = typeof trustProxy === 'number' ? undefined : blockListOf(trustProxy);
  return function forwardedAddress(socket, forwardedFor) {
    const peer = normalizeIp(socket) ?? NO_SOCKET;
    if (!forwardedFor) return peer;
    // The chain, nearest last: what the client claimed … what our proxies saw, then the socket peer.
    const chain = [...forwardedFor.split(',').map((s) => s.trim()), peer];
    let index = chain.length - 1;
    if (trusted) {
      while (index > 0 && isTrusted(trusted, chain[index] ?? '')) index--;
    } else index = Math.max(0, index - hops);
    // An entry our proxies wrote is an address; anything else was not written by them: use the peer.
    return normalizeIp(chain[index]) ?? peer;
  };
}

/** Validates a `server.trustProxy` / `admin.allowIps` entry: an address or a CIDR. */
export function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** A BlockList of addresses and CIDRs (entries already validated by `isCidr`). */
export function blockListOf(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', bits] = cidr.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

/** Whether an address (any form `normalizeIp` accepts) is in the list. */
export function isTrusted(list: BlockList, address: string): boolean {
  const ip = normalizeIp(address);
  if (!ip) return false;
  return list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

/** A bare address: brackets and ports removed, IPv4-mapped IPv6 as IPv4; undefined when not an address. */
export function normalizeIp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let s = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s)?.[1];
  if (bracketed) s = bracketed;
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  if (s.toLowerCase().startsWith('::ffff:') && isIP(s.slice(7)) === 4) s = s.slice(7);
  return isIP(s) ? s : undefined;
}
