import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/**
 * Which peers may tell us the client's address in `X-Forwarded-For`, as express's "trust proxy":
 * `false` trusts no one (the socket's address is the client); a number trusts that many hops
 * nearest to us; a list trusts those addresses, CIDR ranges or the names `loopback`,
 * `linklocal`, `uniquelocal`.
 */
export type TrustProxy = false | number | readonly string[];

/**
 * The client's address for `req`: the socket's, or, from trusted proxies, the nearest address
 * in `X-Forwarded-For` that no trusted proxy added. A header sent by an untrusted peer (a
 * client forging one) is ignored. Parsing the header and matching CIDRs is proxy-addr's
 * (express's own), not ours.
 */
export function clientAddressFrom(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusts = trustFunction(trust);
  return (req) => proxyAddr(req, trusts);
}

function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile([...trust]);
}

/**
 * What the per-client rate limit counts: an IPv4 address as it is, an IPv6 address by its /64
 * (one host is given a whole /64 and can pick any address in it), an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, how a dual-stack socket shows IPv4 clients) as its IPv4 address. Anything
 * that is not an address (a custom `clientAddress`'s own key) is counted as given.
 */
export function rateLimitKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return address;
  const parsed = ipaddr.process(bare);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
